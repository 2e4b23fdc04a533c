package io.personalizeimport.lambdas.errors;

/** Thrown when an import job is still running at the monitor deadline; ends the execution as timed out. */
public class MonitorDeadlineExceededException extends RuntimeException {

    public MonitorDeadlineExceededException(String message) {
        super(message);
    }

    public MonitorDeadlineExceededException(String message, Throwable cause) {
        super(message, cause);
    }
}
