package io.personalizeimport.local.personalize.errors;

/** An error the emulator answers with, as awsJson1.1 {@code __type} plus HTTP status. */
public abstract class PersonalizeError extends RuntimeException {

    private final int httpStatus;

    protected PersonalizeError(String message, int httpStatus) {
        super(message);
        this.httpStatus = httpStatus;
    }

    /** The error code the SDK maps to an exception class, e.g. {@code InvalidInputException}. */
    public String type() {
        return getClass().getSimpleName();
    }

    /** The HTTP status of the error response. */
    public int httpStatus() {
        return httpStatus;
    }
}
