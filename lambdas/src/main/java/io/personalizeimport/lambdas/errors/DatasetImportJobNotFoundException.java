package io.personalizeimport.lambdas.errors;

/** Thrown when the import job to describe does not exist (yet): a queued import, or a wrong ARN. */
public class DatasetImportJobNotFoundException extends RuntimeException {

    public DatasetImportJobNotFoundException(String message) {
        super(message);
    }

    public DatasetImportJobNotFoundException(String message, Throwable cause) {
        super(message, cause);
    }
}
