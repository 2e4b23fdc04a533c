package io.personalizeimport.local.personalize.errors;

/** Thrown when the dataset already has an import job pending or in progress. */
public final class ResourceInUseException extends PersonalizeError {

    public ResourceInUseException(String message) {
        super(message, 400);
    }
}
