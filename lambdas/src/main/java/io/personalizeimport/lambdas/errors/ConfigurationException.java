package io.personalizeimport.lambdas.errors;

/** Thrown at init when an environment variable is missing or malformed; the message names the variable and what it expects. */
public class ConfigurationException extends RuntimeException {

    public ConfigurationException(String message) {
        super(message);
    }

    public ConfigurationException(String message, Throwable cause) {
        super(message, cause);
    }
}
