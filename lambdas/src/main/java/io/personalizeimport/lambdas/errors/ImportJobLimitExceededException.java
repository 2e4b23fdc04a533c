package io.personalizeimport.lambdas.errors;

/** Thrown when Personalize answers LimitExceededException: too many import jobs are pending or running; the state machine retries later. */
public class ImportJobLimitExceededException extends RuntimeException {

    public ImportJobLimitExceededException(String message) {
        super(message);
    }

    public ImportJobLimitExceededException(String message, Throwable cause) {
        super(message, cause);
    }
}
