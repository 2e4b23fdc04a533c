package io.personalizeimport.local.personalize.errors;

/** Thrown when a quota of unfinished jobs is full: five import jobs in a region, five data deletion jobs in a group. */
public final class LimitExceededException extends PersonalizeError {

    public LimitExceededException(String message) {
        super(message, 400);
    }
}
