package io.personalizeimport.lambdas.lane;

import io.personalizeimport.lambdas.events.OutboxEvent;
import java.util.List;
import java.util.Optional;

/** The ledger's record of each notified file, as the lane reads and settles it. */
public interface FileRecords {

    /**
     * Records a notified file with the event that reports its outcome (null for none), in one write; false when this
     * very event was recorded before, and then nothing is written.
     */
    boolean record(FileEntry entry, OutboxEvent event);

    /** The file recorded under {@code sortKey} ({@link FileEntry#sortKey()}) in the dataset's lane. */
    Optional<FileEntry> file(String datasetArn, String sortKey);

    /** The dataset's files with this status, in lane order. */
    List<FileEntry> files(String datasetArn, FileStatus status);

    /**
     * Moves a file to {@code settled}'s status, job, successor and reason (a null one keeps what was recorded), with its
     * event (null for none), only while the file has no final status; false when it had, and nothing is written.
     */
    boolean settle(FileEntry settled, OutboxEvent event);
}
