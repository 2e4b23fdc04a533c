package io.personalizeimport.local.personalize.errors;

/** Thrown when X-Amz-Target names no operation the emulator implements. */
public final class UnknownOperationException extends PersonalizeError {

    public UnknownOperationException(String message) {
        super(message, 400);
    }
}
