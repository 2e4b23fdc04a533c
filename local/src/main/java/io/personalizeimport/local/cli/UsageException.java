package io.personalizeimport.local.cli;

/** Thrown when a command line is malformed; the launcher prints the message and exits with code 2. */
public class UsageException extends RuntimeException {

    public UsageException(String message) {
        super(message);
    }
}
