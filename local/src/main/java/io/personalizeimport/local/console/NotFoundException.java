package io.personalizeimport.local.console;

/** Thrown when a console API request names an execution the stack does not have; answered with HTTP 404. */
public class NotFoundException extends RuntimeException {

    public NotFoundException(String message) {
        super(message);
    }
}
