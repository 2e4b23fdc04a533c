package io.personalizeimport.lambdas.errors;

/** Thrown when Personalize answers ResourceInUseException: the dataset is busy with another import; the state machine retries later. */
public class DatasetBusyException extends RuntimeException {

    public DatasetBusyException(String message) {
        super(message);
    }

    public DatasetBusyException(String message, Throwable cause) {
        super(message, cause);
    }
}
