package io.personalizeimport.local.notifications;

import java.time.Instant;

/** One delivery attempt of one event and what follows from it, for progress output and tests. */
public record DeliveryReport(String eventId, String bucket, String key, String eTag, int attempt, int maxAttempts,
                             DeliveryOutcome outcome, Disposition disposition, Instant nextAttemptAt) {

    /** What became of the event after the attempt. */
    public enum Disposition {
        DELIVERED,
        RETRY_SCHEDULED,
        DEAD_LETTERED
    }
}
