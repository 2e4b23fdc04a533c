package io.personalizeimport.lambdas.errors;

/** Thrown when Personalize, S3 or Step Functions stays unavailable after the SDK's own retries; the state machine retries it. */
public class PersonalizeUnavailableException extends RuntimeException {

    public PersonalizeUnavailableException(String message) {
        super(message);
    }

    public PersonalizeUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
