package io.personalizeimport.lambdas;

import com.amazonaws.services.lambda.runtime.events.models.s3.S3EventNotification.S3EventNotificationRecord;
import com.amazonaws.services.lambda.runtime.events.models.s3.S3EventNotification.S3ObjectEntity;
import io.personalizeimport.lambdas.domain.S3Object;
import io.personalizeimport.lambdas.lane.Notification;
import java.time.Instant;

/**
 * Reads one S3 notification record (Amazon S3 User Guide, "Event message structure"): event version 2.x, ObjectCreated
 * events only, the key decoded as a form field, no folder placeholders ({@code key/}); with the write's sequencer and
 * event time, which place it in its lane.
 */
final class S3Notifications {

    private S3Notifications() {
    }

    static Notification read(S3EventNotificationRecord record) {
        if (record == null || record.getS3() == null || record.getS3().getObject() == null
                || record.getS3().getObject().getKey() == null || record.getS3().getBucket() == null) {
            return new Notification.Skipped(null, "record has no s3 bucket or object");
        }
        S3ObjectEntity object = record.getS3().getObject();
        String key = object.getUrlDecodedKey();
        String version = record.getEventVersion() == null ? "" : record.getEventVersion();
        String eventName = record.getEventName() == null ? "" : record.getEventName();
        if (!version.equals("2") && !version.startsWith("2.")) {
            return new Notification.Skipped(key, "event version '" + version + "' is not 2.x");
        }
        if (!eventName.startsWith("ObjectCreated:")) {
            return new Notification.Skipped(key, "event " + eventName + " is not an ObjectCreated event");
        }
        if (key.endsWith("/")) {
            return new Notification.Skipped(key, "key is a folder marker");
        }
        String versionId = blankToNull(object.getVersionId());
        String eTag = blankToNull(object.geteTag());
        // Every S3 event has a sequencer (Amazon S3 User Guide, 'Event message structure'); without one a duplicate
        // cannot be told from a re-upload, so the write's own identity stands in and a re-upload of the same bytes counts
        // as a duplicate.
        String sequencer = blankToNull(object.getSequencer());
        if (sequencer == null) {
            sequencer = "write-" + new S3Object("", key, versionId, eTag, 0).revision().replaceAll("[^A-Za-z0-9]", "");
        }
        // S3 sends both in every record; guessing them would misplace the file: an epoch event time makes it older than
        // every other file of its lane, and an unknown size passes the lane's size limits.
        if (record.getEventTime() == null) {
            return refused(key, "eventTime", "the ISO-8601 time of the write, which orders the file in its lane");
        }
        Long size = object.getSizeAsLong();
        if (size == null) {
            return refused(key, "s3.object.size", "the object's size in bytes, which the lane's limits are checked on");
        }
        return new Notification.Created(record.getS3().getBucket().getName(), key, versionId, eTag, size, sequencer,
                Instant.ofEpochMilli(record.getEventTime().getMillis()));
    }

    /**
     * A record without a field every S3 event has: logged as an error, and left out of the lane with a reason naming
     * the field, while the event's other records go on.
     */
    private static Notification.Skipped refused(String key, String field, String expected) {
        String reason = "record refused: it has no " + field + " (expected " + expected + ")";
        Log.error("S3 event record refused: it has no " + field, "key", key, "field", field);
        return new Notification.Skipped(key, reason);
    }

    /** The record's key as S3 sent it, for the log; null when it has none. */
    static String rawKey(S3EventNotificationRecord record) {
        return record == null || record.getS3() == null || record.getS3().getObject() == null ? null
                : record.getS3().getObject().getKey();
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
