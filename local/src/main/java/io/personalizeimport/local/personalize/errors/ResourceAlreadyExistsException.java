package io.personalizeimport.local.personalize.errors;

/** Thrown when a resource with the same name (or, for datasets, type in the group) exists. */
public final class ResourceAlreadyExistsException extends PersonalizeError {

    public ResourceAlreadyExistsException(String message) {
        super(message, 400);
    }
}
