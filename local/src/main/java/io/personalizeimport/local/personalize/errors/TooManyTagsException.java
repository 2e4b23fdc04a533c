package io.personalizeimport.local.personalize.errors;

/** Thrown when a request carries more than 200 tags. */
public final class TooManyTagsException extends PersonalizeError {

    public TooManyTagsException(String message) {
        super(message, 400);
    }
}
