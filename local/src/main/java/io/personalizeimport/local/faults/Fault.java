package io.personalizeimport.local.faults;

import java.util.Map;
import java.util.Objects;

/**
 * A fault to inject into an emulator's answers: a matching request waits {@code latencyMillis}, then, when
 * {@code error} is set, fails with that error code and HTTP {@code status}.
 *
 * <p>Two forms, told apart by {@code probability}:
 * <ul>
 *   <li>counted ({@code probability} 1): the next {@code count} matching requests get the fault;</li>
 *   <li>probabilistic ({@code 0 < probability < 1}): each matching request gets it with that chance, until it has
 *       been injected {@code count} times, or for as long as it is armed when {@code count} is {@link #UNLIMITED}.</li>
 * </ul>
 * The chance is drawn from a generator seeded with {@code seed}, or, when that is null, from the injector's seed and
 * the fault's place in the arming order (see {@link FaultInjector}), so a run can be repeated.
 *
 * @param operation the operation name, e.g. {@code CreateDatasetImportJob} or {@code GetObject}, or {@code *}
 * @param error the error code to answer with, or null for latency only
 * @param status the HTTP status of the error
 * @param count how many times the fault is injected (at least 1), or {@link #UNLIMITED}
 * @param latencyMillis the delay before answering
 * @param message the error message, or null for a default naming the error
 * @param probability the chance that a matching request gets the fault, {@code 0 < probability <= 1}
 * @param seed the seed of this fault's own random generator, or null to derive one from the injector's seed
 */
public record Fault(String operation, String error, int status, int count, long latencyMillis, String message,
                    double probability, Long seed) {

    /** A {@code count} meaning "as long as the fault is armed", until the faults are cleared. */
    public static final int UNLIMITED = -1;

    // The HTTP status AWS answers each error code with (AWS API reference "Common Errors" and the Amazon S3
    // "Error responses" page); any other code is a client error, 400.
    private static final Map<String, Integer> STATUS_OF = Map.ofEntries(
            Map.entry("InternalFailure", 500),
            Map.entry("InternalServerError", 500),
            Map.entry("InternalError", 500),
            Map.entry("ServiceUnavailable", 503),
            Map.entry("ServiceUnavailableException", 503),
            Map.entry("SlowDown", 503),
            Map.entry("AccessDenied", 403),
            Map.entry("InvalidAccessKeyId", 403),
            Map.entry("SignatureDoesNotMatch", 403),
            Map.entry("RequestTimeTooSkewed", 403),
            Map.entry("NoSuchKey", 404),
            Map.entry("NoSuchBucket", 404),
            Map.entry("PreconditionFailed", 412));

    public Fault {
        Objects.requireNonNull(operation, "operation");
        if (operation.isBlank()) {
            throw new IllegalArgumentException("operation must name an operation or be \"*\"");
        }
        if (count < 1 && count != UNLIMITED) {
            throw new IllegalArgumentException("count must be at least 1, or " + UNLIMITED + " for unlimited, was "
                    + count);
        }
        if (!(probability > 0 && probability <= 1)) {
            throw new IllegalArgumentException("probability must be greater than 0 and at most 1, was " + probability);
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

    /** A counted fault: the next {@code count} matching requests get it. */
    public Fault(String operation, String error, int status, int count, long latencyMillis, String message) {
        this(operation, error, status, count, latencyMillis, message, 1, null);
    }

    /** Fails the next {@code count} calls of {@code operation} with {@code error}, with its {@link #defaultStatus}. */
    public static Fault error(String operation, String error, int count) {
        return new Fault(operation, error, defaultStatus(error), count, 0, null);
    }

    /** Delays the next {@code count} calls of {@code operation} by {@code latencyMillis}. */
    public static Fault latency(String operation, long latencyMillis, int count) {
        return new Fault(operation, null, 0, count, latencyMillis, null);
    }

    /** Fails each call of {@code operation} with {@code error} with the given chance, until cleared. */
    public static Fault randomError(String operation, String error, double probability) {
        return new Fault(operation, error, defaultStatus(error), UNLIMITED, 0, null, probability, null);
    }

    /** Delays each call of {@code operation} by {@code latencyMillis} with the given chance, until cleared. */
    public static Fault randomLatency(String operation, long latencyMillis, double probability) {
        return new Fault(operation, null, 0, UNLIMITED, latencyMillis, null, probability, null);
    }

    /** The HTTP status AWS answers {@code error} with: 500/503 for server errors, 403/404 for S3's, else 400. */
    public static int defaultStatus(String error) {
        return error == null ? 0 : STATUS_OF.getOrDefault(error, 400);
    }

    /** This fault with another injection count ({@link #UNLIMITED} for no limit). */
    public Fault withCount(int newCount) {
        return new Fault(operation, error, status, newCount, latencyMillis, message, probability, seed);
    }

    /** This fault with another chance per matching request. */
    public Fault withProbability(double newProbability) {
        return new Fault(operation, error, status, count, latencyMillis, message, newProbability, seed);
    }

    /** This fault drawing from its own generator with this seed. */
    public Fault withSeed(long newSeed) {
        return new Fault(operation, error, status, count, latencyMillis, message, probability, newSeed);
    }

    /** This fault with another HTTP status. */
    public Fault withStatus(int newStatus) {
        return new Fault(operation, error, newStatus, count, latencyMillis, message, probability, seed);
    }

    /** This fault with another error message. */
    public Fault withMessage(String newMessage) {
        return new Fault(operation, error, status, count, latencyMillis, newMessage, probability, seed);
    }

    /** This fault with a delay before its answer. */
    public Fault withLatencyMillis(long newLatencyMillis) {
        return new Fault(operation, error, status, count, newLatencyMillis, message, probability, seed);
    }

    /** True when the fault stays armed until cleared, however often it is injected. */
    public boolean unlimited() {
        return count == UNLIMITED;
    }

    /** The message to answer with: the given one, or one naming the error. */
    public String messageOrDefault() {
        return message != null ? message : "Injected fault: " + error;
    }

    boolean matches(String requested) {
        return "*".equals(operation) || operation.equals(requested);
    }
}
