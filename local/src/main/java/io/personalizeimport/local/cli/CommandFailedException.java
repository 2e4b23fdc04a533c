package io.personalizeimport.local.cli;

/** Thrown when a command cannot do its work (stack not running, file missing); the launcher exits with code 1. */
public class CommandFailedException extends RuntimeException {

    public CommandFailedException(String message) {
        super(message);
    }

    public CommandFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
