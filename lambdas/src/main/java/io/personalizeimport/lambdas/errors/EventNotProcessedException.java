package io.personalizeimport.lambdas.errors;

/**
 * Thrown when records of an S3 event could not be processed: Lambda retries the whole event (every step is
 * idempotent), then hands it to the on-failure destination, so no upload is lost.
 */
public class EventNotProcessedException extends RuntimeException {

    public EventNotProcessedException(String message, Throwable cause) {
        super(message, cause);
    }
}
