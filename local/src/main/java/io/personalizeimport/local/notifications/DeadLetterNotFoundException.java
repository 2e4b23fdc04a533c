package io.personalizeimport.local.notifications;

/** Thrown when a redrive names a dead letter that does not exist. */
public class DeadLetterNotFoundException extends RuntimeException {

    public DeadLetterNotFoundException(String id) {
        super("No dead letter with id " + id);
    }
}
