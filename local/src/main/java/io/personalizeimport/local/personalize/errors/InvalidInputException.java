package io.personalizeimport.local.personalize.errors;

/** Thrown when a request breaks the service model's constraints or a Personalize rule. */
public final class InvalidInputException extends PersonalizeError {

    public InvalidInputException(String message) {
        super(message, 400);
    }
}
