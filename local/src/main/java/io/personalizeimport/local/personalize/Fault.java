package io.personalizeimport.local.personalize;

import java.util.Objects;
import java.util.Set;

/**
 * A fault to inject: the next {@code count} requests for {@code operation} ("*" for any) wait
 * {@code latencyMillis}, then, when {@code error} is set, fail with that error code and HTTP {@code status}.
 *
 * @param operation the operation name, e.g. {@code CreateDatasetImportJob}, or {@code *}
 * @param error the error code to answer with ({@code __type}), or null for latency only
 * @param status the HTTP status of the error
 * @param count how many matching requests the fault applies to (at least 1)
 * @param latencyMillis the delay before answering
 * @param message the error message
 */
public record Fault(String operation, String error, int status, int count, long latencyMillis, String message) {

    private static final Set<String> SERVER_ERRORS = Set.of("InternalFailure", "InternalServerError",
            "ServiceUnavailable", "ServiceUnavailableException");

    public Fault {
        Objects.requireNonNull(operation, "operation");
        if (count < 1) {
            throw new IllegalArgumentException("count must be at least 1, was " + count);
        }
        if (latencyMillis < 0) {
            throw new IllegalArgumentException("latencyMillis must not be negative, was " + latencyMillis);
        }
        if (error != null && (status < 400 || status > 599)) {
            throw new IllegalArgumentException("status must be an HTTP error status 400..599, was " + status);
        }
        if (error == null && latencyMillis == 0) {
            throw new IllegalArgumentException("a fault needs an error, a latency, or both");
        }
    }

    /** Fails the next {@code count} calls of {@code operation} with {@code error}; 500 for server errors, else 400. */
    public static Fault error(String operation, String error, int count) {
        return new Fault(operation, error, defaultStatus(error), count, 0, "Injected fault: " + error);
    }

    /** Delays the next {@code count} calls of {@code operation} by {@code latencyMillis}. */
    public static Fault latency(String operation, long latencyMillis, int count) {
        return new Fault(operation, null, 0, count, latencyMillis, null);
    }

    /** The status a fault with this error gets when none is given. */
    static int defaultStatus(String error) {
        return error != null && SERVER_ERRORS.contains(error) ? 500 : 400;
    }

    boolean matches(String requested) {
        return "*".equals(operation) || operation.equals(requested);
    }
}
