package io.personalizeimport.lambdas.lane;

import io.personalizeimport.lambdas.Log;
import io.personalizeimport.lambdas.events.EventDetail;
import io.personalizeimport.lambdas.events.FileRef;
import io.personalizeimport.lambdas.events.FileRejected;
import io.personalizeimport.lambdas.events.FileSuperseded;
import io.personalizeimport.lambdas.events.OutboxEvent;
import io.personalizeimport.lambdas.json.Json;
import java.util.ArrayList;
import java.util.List;

/**
 * A file's final outcome, written with the event that reports it in one ledger write, so a retried or duplicated step,
 * which changes nothing, writes no second event.
 */
public final class Settlements {

    private final FileRecords files;

    public Settlements(FileRecords files) {
        this.files = files;
    }

    /**
     * Ends a waiting file SUPERSEDED by the newer file {@code by}, and a folder's part files with it; false when it had
     * ended already.
     */
    boolean supersede(FileEntry entry, String by, String reason) {
        LaneFile file = entry.file();
        boolean settled = files.settle(entry.withStatus(FileStatus.SUPERSEDED, null, by, reason),
                event(new FileSuperseded(EventDetail.SCHEMA_VERSION,
                        EventDetail.idOf(FileSuperseded.DETAIL_TYPE, file.sortKey()), file.datasetArn(), file.route(),
                        FileRef.of(file), by, reason)));
        if (settled) {
            Log.info("File superseded: " + reason, "key", file.key(), "datasetArn", file.datasetArn(),
                    "supersededBy", by);
        }
        // Also when it had ended so already: a retry finds the parts a failed step left waiting. The folder's event
        // speaks for its parts, as for its import.
        boolean folderSuperseded = settled || file.isFolder() && files.file(file.datasetArn(), file.sortKey())
                .map(ended -> ended.standing().status() == FileStatus.SUPERSEDED).orElse(false);
        for (FileEntry part : folderSuperseded ? partsOf(file) : List.<FileEntry>of()) {
            files.settle(part.withStatus(FileStatus.SUPERSEDED, null, by, reason), null);
        }
        return settled;
    }

    /** The part files that wait for the folder {@code file} names (none for a file). */
    private List<FileEntry> partsOf(LaneFile file) {
        return file.isFolder() ? FolderParts.of(file, files.files(file.datasetArn(), FileStatus.PENDING)) : List.of();
    }

    /** Ends a waiting file REJECTED before any job was spent on it; false when it had ended already. */
    boolean reject(FileEntry entry, String reason) {
        FileEntry rejected = entry.withStatus(FileStatus.REJECTED, null, null, reason);
        boolean settled = files.settle(rejected, rejectedEvent(rejected, null));
        if (settled) {
            Log.info("File rejected: " + reason, "key", entry.file().key(), "datasetArn", entry.file().datasetArn());
        }
        return settled;
    }

    /** Records a new file REJECTED before any job was spent on it; false when this event was recorded before. */
    boolean recordRejected(FileEntry rejected, String executionArn) {
        return files.record(rejected, rejectedEvent(rejected, executionArn));
    }

    /**
     * Ends the file with the outcome of its import and, for a folder, the part files its marker completed; a rejected
     * file's own event goes with it (an import that ran is reported as a whole, by its release).
     */
    void settle(FileEntry entry, FileStatus outcome, String jobName, String reason, String executionArn) {
        settleOne(entry, entry, outcome, jobName, reason, executionArn);
        LaneFile file = entry.file();
        // After the folder's own entry: a late part recorded meanwhile either sees it ended, or is found here.
        partsOf(file).forEach(part -> settleOne(part, entry, outcome, jobName, reason, executionArn));
    }

    /** Settles one file of an import; only the import's own entry, when rejected, has an event of its own. */
    private void settleOne(FileEntry each, FileEntry entry, FileStatus outcome, String jobName, String reason,
                           String executionArn) {
        FileEntry ended = each.withStatus(outcome, jobName, null, reason);
        OutboxEvent event = outcome == FileStatus.REJECTED && each == entry ? rejectedEvent(ended, executionArn) : null;
        if (files.settle(ended, event)) {
            Log.info("File " + outcome, "key", each.file().key(), "datasetArn", each.file().datasetArn(),
                    "jobName", jobName, "reason", reason);
        }
    }

    private static OutboxEvent rejectedEvent(FileEntry rejected, String executionArn) {
        LaneFile file = rejected.file();
        return event(new FileRejected(EventDetail.SCHEMA_VERSION,
                EventDetail.idOf(FileRejected.DETAIL_TYPE, file.sortKey()), file.datasetArn(), file.route(),
                FileRef.of(file), rejected.standing().reason(), executionArn));
    }

    /** An event to write to the ledger's outbox with the outcome it reports. */
    static OutboxEvent event(EventDetail detail) {
        return new OutboxEvent(detail.eventId(), detail.detailType(), detail.datasetArn(), Json.write(detail));
    }
}
