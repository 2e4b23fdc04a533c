package io.personalizeimport.local.notifications;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;

/** An event accepted for delivery and not yet delivered or dead-lettered, as kept in {@code pending/<id>.json}. */
record PendingEvent(String id, String bucket, String key, String eTag, ObjectNode event, Instant queuedAt,
                    int attempts, Instant nextAttemptAt, String lastErrorType, String lastErrorMessage) {

    String eventJson() {
        return event.toString();
    }

    PendingEvent afterFailedAttempt(int attempt, Instant next, DeliveryOutcome.Failed failure) {
        return new PendingEvent(id, bucket, key, eTag, event, queuedAt, attempt, next, failure.errorType(),
                failure.errorMessage());
    }
}
