package io.personalizeimport.local.personalize.errors;

/** Thrown when the request body is not JSON or a member has the wrong JSON type. */
public final class SerializationException extends PersonalizeError {

    public SerializationException(String message) {
        super(message, 400);
    }
}
