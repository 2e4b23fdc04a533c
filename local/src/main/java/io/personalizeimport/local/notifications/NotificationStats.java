package io.personalizeimport.local.notifications;

/** Counters since the source started, and the events waiting for delivery now. */
public record NotificationStats(long queued, long attempts, long delivered, long retried, long deadLettered,
                                long redriven, int pending) {
}
