package io.personalizeimport.local.lambda;

/** Thrown when a function's configuration would be refused by Lambda (bad name, limits, reserved variables). */
public final class InvalidFunctionConfigurationException extends IllegalArgumentException {
    public InvalidFunctionConfigurationException(String message) {
        super(message);
    }
}
