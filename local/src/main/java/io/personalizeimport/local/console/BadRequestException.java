package io.personalizeimport.local.console;

/** Thrown when a console API request is malformed or names nothing the stack has; answered with HTTP 400. */
public class BadRequestException extends RuntimeException {

    public BadRequestException(String message) {
        super(message);
    }
}
