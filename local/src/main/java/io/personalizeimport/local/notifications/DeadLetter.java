package io.personalizeimport.local.notifications;

import java.nio.file.Path;
import java.time.Instant;

/**
 * An event whose every attempt failed, as stored in {@code <stateDir>/dead-letters/<id>.json}: the file itself is a
 * Lambda on-failure destination record; this is its summary.
 */
public record DeadLetter(String id, String bucket, String key, String eventJson, int attempts, String condition,
                         String errorType, String errorMessage, Instant eventTime, Instant deadLetteredAt,
                         Path file) {
}
