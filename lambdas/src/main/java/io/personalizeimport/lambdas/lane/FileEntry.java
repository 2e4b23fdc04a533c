package io.personalizeimport.lambdas.lane;

import io.personalizeimport.lambdas.config.ImportMode;
import io.personalizeimport.lambdas.domain.S3Object;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * One notified file in its dataset's lane: the write S3 told of (or an operator's request), and what became of it.
 *
 * <p>Its place in the lane is {@link #order()}: the event time, then the sequencer, as S3 orders writes (Amazon S3 User
 * Guide, "Event message structure"), so a duplicate delivery of one event has the same place and a re-upload a new one.
 *
 * @param sequencer S3's sequencer of the write, or {@code console-<execution>} for an operator's request
 * @param key the object's key, or a folder ({@code prefix/folder/}) for a folder import
 * @param folder the folder a part file of a folder route belongs to, whose marker imports it; null otherwise
 * @param executionName the execution that carries the file: an operator's, or the lane's for its job
 * @param supersededBy the key of the newer file that replaced this one
 */
public record FileEntry(
        String datasetArn,
        String route,
        String bucket,
        String key,
        String versionId,
        String eTag,
        long size,
        String sequencer,
        Instant eventTime,
        ImportMode importMode,
        FileStatus status,
        String jobName,
        String executionName,
        String supersededBy,
        String reason,
        String folder) {

    private static final DateTimeFormatter EVENT_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
    /** S3 sequencers are hex strings compared after right-padding with zeros; 32 digits covers those seen. */
    private static final int SEQUENCER_WIDTH = 32;

    /** The lane order: event time, then sequencer, then the object, as sortable text. */
    public String order() {
        String padded = sequencer.length() >= SEQUENCER_WIDTH ? sequencer
                : sequencer + "0".repeat(SEQUENCER_WIDTH - sequencer.length());
        return EVENT_TIME.format(eventTime) + "#" + padded + "#" + bucket + "/" + key;
    }

    /** The file's key in its lane's ledger partition: its place in the order. */
    public String sortKey() {
        return "file#" + order();
    }

    public String location() {
        return "s3://" + bucket + "/" + key;
    }

    public S3Object object() {
        return new S3Object(bucket, key, versionId, eTag, size);
    }

    /** True for an import of a whole folder (a marker's folder, or an operator's folder location). */
    public boolean isFolder() {
        return key.endsWith("/");
    }

    /** True for a part file that waits for its folder's marker rather than for a lane of its own. */
    public boolean isPart() {
        return folder != null;
    }

    public FileEntry withStatus(FileStatus newStatus, String newJobName, String newSupersededBy, String newReason) {
        return new FileEntry(datasetArn, route, bucket, key, versionId, eTag, size, sequencer, eventTime, importMode,
                newStatus, newJobName, executionName, newSupersededBy, newReason, folder);
    }
}
