package io.personalizeimport.local.notifications;

/** Told about every event detected and every delivery attempt; called on the source's own threads. */
public interface DeliveryListener {

    /** A write was detected and its event queued for delivery. */
    default void onQueued(String eventId, String bucket, String key, String eTag) {
    }

    /** An attempt finished. */
    default void onAttempt(DeliveryReport report) {
    }
}
