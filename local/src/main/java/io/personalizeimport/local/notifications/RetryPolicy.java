package io.personalizeimport.local.notifications;

import java.time.Duration;

/**
 * How often and how late a failed event is retried, with Lambda's asynchronous invocation semantics (AWS Lambda
 * Developer Guide, 'Asynchronous invocation'):
 * {@code retryAttempts} more attempts (0-2, default 2) about 1 and then 2 minutes apart, while the event is younger
 * than {@code maxEventAge} (default 6 hours); every interval is multiplied by {@code timeScale}.
 */
public record RetryPolicy(int retryAttempts, Duration maxEventAge, double timeScale) {

    /** Lambda waits about a minute before the second attempt and two before the third. */
    private static final Duration FIRST_RETRY_DELAY = Duration.ofMinutes(1);
    private static final Duration MIN_EVENT_AGE = Duration.ofSeconds(60);
    private static final Duration MAX_EVENT_AGE = Duration.ofHours(6);

    /** Lambda's defaults at real speed: 2 retries, events kept 6 hours. */
    public static final RetryPolicy LAMBDA_DEFAULTS = new RetryPolicy(2, MAX_EVENT_AGE, 1.0);

    public RetryPolicy {
        if (retryAttempts < 0 || retryAttempts > 2) {
            throw new IllegalArgumentException("retryAttempts must be 0..2 as Lambda allows, was " + retryAttempts);
        }
        if (maxEventAge.compareTo(MIN_EVENT_AGE) < 0 || maxEventAge.compareTo(MAX_EVENT_AGE) > 0) {
            throw new IllegalArgumentException("maxEventAge must be 60 s..6 h as Lambda allows, was " + maxEventAge);
        }
        if (!(timeScale > 0 && timeScale <= 1)) {
            throw new IllegalArgumentException("timeScale must be in (0, 1], was " + timeScale);
        }
    }

    /** The same policy with every interval multiplied by {@code value}. */
    public RetryPolicy withTimeScale(double value) {
        return new RetryPolicy(retryAttempts, maxEventAge, value);
    }

    /** The same policy with {@code value} retries. */
    public RetryPolicy withRetryAttempts(int value) {
        return new RetryPolicy(value, maxEventAge, timeScale);
    }

    /** Attempts in all, the first included. */
    public int maxAttempts() {
        return 1 + retryAttempts;
    }

    /** How long to wait after failed attempt number {@code attempt} (1-based), scaled. */
    public Duration delayAfter(int attempt) {
        return scale(FIRST_RETRY_DELAY.multipliedBy(attempt));
    }

    /** The scaled age after which an event is no longer retried. */
    public Duration scaledMaxEventAge() {
        return scale(maxEventAge);
    }

    private Duration scale(Duration duration) {
        return Duration.ofNanos(Math.round(duration.toNanos() * timeScale));
    }
}
