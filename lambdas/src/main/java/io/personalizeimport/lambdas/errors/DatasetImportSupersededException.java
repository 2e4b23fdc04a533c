package io.personalizeimport.lambdas.errors;

/** Thrown when an operator's import is replaced by newer data in its dataset's lane before its turn comes. */
public class DatasetImportSupersededException extends RuntimeException {

    public DatasetImportSupersededException(String message) {
        super(message);
    }
}
