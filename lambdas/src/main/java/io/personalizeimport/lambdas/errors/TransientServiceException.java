package io.personalizeimport.lambdas.errors;

/**
 * Thrown when an AWS call fails in a way a later attempt can heal (throttling, 5xx, timeouts, connection errors); the
 * state machine retries it with backoff until the monitor deadline.
 */
public class TransientServiceException extends RuntimeException {

    public TransientServiceException(String message) {
        super(message);
    }

    public TransientServiceException(String message, Throwable cause) {
        super(message, cause);
    }
}
