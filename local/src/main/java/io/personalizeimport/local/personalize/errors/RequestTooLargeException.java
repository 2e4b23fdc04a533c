package io.personalizeimport.local.personalize.errors;

/** Thrown when a request body is larger than the emulator accepts; answered with HTTP 413, as Lambda does. */
public final class RequestTooLargeException extends PersonalizeError {

    public RequestTooLargeException(String message) {
        super(message, 413);
    }
}
