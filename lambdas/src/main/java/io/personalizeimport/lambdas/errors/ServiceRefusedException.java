package io.personalizeimport.lambdas.errors;

/**
 * Thrown when Personalize or S3 refuses a call in a way no retry can heal (access denied, validation, not found); ends
 * the execution with the service's own message.
 */
public class ServiceRefusedException extends RuntimeException {

    public ServiceRefusedException(String message) {
        super(message);
    }

    public ServiceRefusedException(String message, Throwable cause) {
        super(message, cause);
    }
}
