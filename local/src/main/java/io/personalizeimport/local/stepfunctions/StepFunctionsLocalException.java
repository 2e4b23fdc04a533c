package io.personalizeimport.local.stepfunctions;

/** Thrown when the local Step Functions endpoint cannot be started. */
public final class StepFunctionsLocalException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public StepFunctionsLocalException(String message) {
        super(message);
    }

    public StepFunctionsLocalException(String message, Throwable cause) {
        super(message, cause);
    }
}
