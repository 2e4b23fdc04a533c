package io.personalizeimport.lambdas.errors;

/** Thrown when an execution's input cannot become an import job (missing fields, unknown route, absent object); ends the execution. */
public class InvalidImportRequestException extends RuntimeException {

    public InvalidImportRequestException(String message) {
        super(message);
    }

    public InvalidImportRequestException(String message, Throwable cause) {
        super(message, cause);
    }
}
