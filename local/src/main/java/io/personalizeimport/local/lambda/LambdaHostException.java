package io.personalizeimport.local.lambda;

/** Thrown when the host itself cannot do its work: a port, the runtime client jars or a container process. */
public final class LambdaHostException extends RuntimeException {
    public LambdaHostException(String message) {
        super(message);
    }

    public LambdaHostException(String message, Throwable cause) {
        super(message, cause);
    }
}
