/**
 * S3 event notifications for the local S3.
 *
 * <p>{@link io.personalizeimport.local.notifications.S3NotificationSource} watches a bucket folder of
 * {@link io.personalizeimport.local.s3.LocalS3}, so an object counts as uploaded whether it came through an S3 client
 * or was copied into the folder. Each new or overwritten object under a filtered prefix becomes one
 * {@code ObjectCreated} event in S3's own format, delivered at least once and asynchronously to a
 * {@link io.personalizeimport.local.notifications.NotificationTarget} with the retries of a Lambda asynchronous
 * invocation; an event that exhausts them becomes a dead letter that can be inspected and redriven. Pending events,
 * dead letters and what was already notified live in a state directory, so a restart loses nothing.
 */
package io.personalizeimport.local.notifications;
