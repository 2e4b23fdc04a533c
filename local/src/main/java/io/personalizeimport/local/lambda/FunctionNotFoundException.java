package io.personalizeimport.local.lambda;

/** Thrown when an invocation names a function that is not registered with the host. */
public final class FunctionNotFoundException extends RuntimeException {
    public FunctionNotFoundException(String functionArn) {
        super("Function not found: " + functionArn);
    }
}
