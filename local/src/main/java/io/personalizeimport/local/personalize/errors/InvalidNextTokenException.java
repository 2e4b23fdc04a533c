package io.personalizeimport.local.personalize.errors;

/** Thrown when a List operation gets a {@code nextToken} that no earlier page of it returned. */
public final class InvalidNextTokenException extends PersonalizeError {

    public InvalidNextTokenException(String message) {
        super(message, 400);
    }
}
