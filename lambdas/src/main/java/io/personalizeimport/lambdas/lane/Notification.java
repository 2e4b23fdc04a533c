package io.personalizeimport.lambdas.lane;

import io.personalizeimport.lambdas.domain.S3Object;
import java.time.Instant;

/** What one S3 notification record asks for, with AWS's event types left behind. */
public sealed interface Notification {

    /** A record that will not become an import, and why; the key is null when the record has none. */
    record Skipped(String key, String reason) implements Notification {
    }

    /**
     * A created object, placed in its lane by the write's sequencer and event time.
     *
     * @param versionId null when the bucket is not versioned
     * @param eTag null when the event lacks it
     * @param size in bytes, as the event gives it
     */
    record Created(String bucket, String key, String versionId, String eTag, long size, String sequencer,
                   Instant eventTime) implements Notification {

        /** Why an empty object cannot be imported, whatever its dataset. */
        public static final String EMPTY = "The file is empty: a CSV needs a header row and at least one record";

        public Created {
            if (size < 0) {
                throw new IllegalArgumentException("size of " + key + " is " + size + ": expected the event's size,"
                        + " 0 or more bytes");
            }
            if (eventTime == null) {
                throw new IllegalArgumentException("eventTime of " + key + " is missing: expected the event's time");
            }
        }

        /** Whether the object holds no bytes: no header, no records, nothing any import can use. */
        boolean isEmpty() {
            return size == 0;
        }

        /** Whether the event names the write: by version id or eTag; otherwise the object is read for it. */
        boolean identified() {
            return versionId != null || eTag != null;
        }

        S3Object object() {
            return new S3Object(bucket, key, versionId, eTag, size);
        }
    }
}
