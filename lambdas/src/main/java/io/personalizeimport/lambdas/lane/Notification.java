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
     * @param size -1 when the event lacks it
     */
    record Created(String bucket, String key, String versionId, String eTag, long size, String sequencer,
                   Instant eventTime) implements Notification {

        /** Whether the event names the write: by version id or eTag; otherwise the object is read for it. */
        boolean identified() {
            return versionId != null || eTag != null;
        }

        S3Object object() {
            return new S3Object(bucket, key, versionId, eTag, size);
        }
    }
}
