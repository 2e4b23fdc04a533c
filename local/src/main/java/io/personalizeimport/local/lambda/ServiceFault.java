package io.personalizeimport.local.lambda;

import java.util.Objects;

/**
 * A failure of the Lambda service itself, answered for the next {@code count} invokes of a function without running it,
 * so that callers' retry policies can be tested.
 */
public record ServiceFault(String function, String errorCode, int status, int count, String message) {

    public ServiceFault {
        Objects.requireNonNull(function, "function");
        Objects.requireNonNull(errorCode, "errorCode");
        if (status < 400 || status > 599) {
            throw new IllegalArgumentException("A service fault needs an HTTP error status, was " + status);
        }
        if (count < 1) {
            throw new IllegalArgumentException("A service fault needs a count of at least 1, was " + count);
        }
        if (message == null || message.isBlank()) {
            message = errorCode + " injected by the local Lambda host";
        }
    }

    /** A fault with the default message. */
    public ServiceFault(String function, String errorCode, int status, int count) {
        this(function, errorCode, status, count, null);
    }

    /** {@code ServiceException}, HTTP 500: what Step Functions retries as {@code Lambda.ServiceException}. */
    public static ServiceFault serviceException(String function, int count) {
        return new ServiceFault(function, "ServiceException", 500, count, null);
    }

    /** {@code TooManyRequestsException}, HTTP 429: throttling. */
    public static ServiceFault tooManyRequests(String function, int count) {
        return new ServiceFault(function, "TooManyRequestsException", 429, count, "Rate Exceeded.");
    }

    /** The {@code Type} field Lambda puts in error bodies: 5xx are the service's fault, 4xx the caller's. */
    String type() {
        return status >= 500 ? "Service" : "User";
    }
}
