package io.personalizeimport.local.personalize.errors;

/** Thrown when more than five dataset import jobs would be pending or in progress in one region. */
public final class LimitExceededException extends PersonalizeError {

    public LimitExceededException(String message) {
        super(message, 400);
    }
}
