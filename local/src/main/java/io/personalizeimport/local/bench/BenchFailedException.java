package io.personalizeimport.local.bench;

/** Thrown when a measurement cannot be made as intended: a JVM failed, or a run did not do the work it measures. */
public class BenchFailedException extends RuntimeException {

    public BenchFailedException(String message) {
        super(message);
    }

    public BenchFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
