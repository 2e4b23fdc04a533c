package io.personalizeimport.local.personalize.errors;

/** Thrown when an ARN in the request names no existing resource. */
public final class ResourceNotFoundException extends PersonalizeError {

    public ResourceNotFoundException(String message) {
        super(message, 400);
    }
}
