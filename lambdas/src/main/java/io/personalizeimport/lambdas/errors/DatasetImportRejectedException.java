package io.personalizeimport.lambdas.errors;

/** Thrown when a file fails the preflight check against its dataset's schema; no import job is spent on it. */
public class DatasetImportRejectedException extends RuntimeException {

    public DatasetImportRejectedException(String message) {
        super(message);
    }

    public DatasetImportRejectedException(String message, Throwable cause) {
        super(message, cause);
    }
}
