package io.personalizeimport.local.console;

/** Thrown when a part of the local stack the console reads does not answer as it should; answered with HTTP 502. */
public class StackUnavailableException extends RuntimeException {

    public StackUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
