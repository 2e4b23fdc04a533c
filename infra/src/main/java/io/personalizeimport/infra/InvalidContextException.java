package io.personalizeimport.infra;

/** Thrown when a context value of the CDK app is missing or malformed; synthesis stops before any output. */
public final class InvalidContextException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public InvalidContextException(String message) {
        super(message);
    }
}
