package io.personalizeimport.lambdas.domain;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.time.Instant;
import java.util.List;

/**
 * The input of an import monitor execution, in one of the forms the trigger, a lane and the create task write
 * (docs/state-machine.md).
 */
// A form is told by its fields alone, so the JSON is the same as before the forms had types of their own.
@JsonTypeInfo(use = JsonTypeInfo.Id.DEDUCTION)
@JsonSubTypes({
        @JsonSubTypes.Type(MonitorInput.LaneImport.class),
        @JsonSubTypes.Type(MonitorInput.RejectedFile.class),
        @JsonSubTypes.Type(MonitorInput.QueuedImport.class),
        @JsonSubTypes.Type(MonitorInput.WatchedFolder.class),
        @JsonSubTypes.Type(MonitorInput.LaneDeletion.class)})
public sealed interface MonitorInput {

    /**
     * An import that holds its dataset's lane: the execution follows its job (creating it first if it does not exist)
     * and releases the lane at its end. It is a function of the files and the configuration only, so starting it again
     * is the same request and Step Functions deduplicates it by name.
     *
     * @param source the one file it imports; null for a coalesced batch, which has no one file
     * @param staging how far the create task has copied a coalesced batch into its staging folder; null once its job is
     *     created, and for every other import
     */
    record LaneImport(String datasetImportJobArn, ImportRequest createRequest, ImportSource source, LaneTicket lane,
                      Staging staging) implements MonitorInput {

        public LaneImport(String datasetImportJobArn, ImportRequest createRequest, ImportSource source,
                          LaneTicket lane) {
            this(datasetImportJobArn, createRequest, source, lane, null);
        }
    }

    /**
     * A data deletion that holds its dataset group's deletion lane: the execution follows its job (creating it first if
     * it does not exist) and releases the lane at its end, after which the imports written after its list move on.
     */
    record LaneDeletion(String dataDeletionJobArn, DeletionRequest deletionRequest, ImportSource source,
                        LaneTicket lane) implements MonitorInput {
    }

    /**
     * A coalesced batch's files copied so far into its staging folder, of {@code files}; the create task runs again
     * until all are, or ends the import when one cannot be read.
     *
     * @param unreadable the file the store refused to copy, for a reason no retry heals; null while none was
     */
    record Staging(int staged, int files, Unreadable unreadable) {
    }

    /**
     * A file of a coalesced batch that cannot be copied: it ends REJECTED, and the batch's other files wait in the lane
     * again.
     *
     * @param entry its ledger sort key
     * @param file its key
     */
    record Unreadable(String entry, String file, String reason) {
    }

    /** A file the trigger's preflight check refused: the execution fails at once with the reason. */
    record RejectedFile(String datasetImportJobArn, ImportRequest createRequest, ImportSource source,
                        Rejection rejection) implements MonitorInput {
    }

    /** The create task's result for an operator's import that waits in its lane behind another one. */
    record QueuedImport(ImportRequest createRequest, ImportSource source, Queued queued) implements MonitorInput {
    }

    /** The execution that reports a folder whose marker does not come. */
    record WatchedFolder(FolderWatch folderWatch) implements MonitorInput {
    }

    /**
     * A folder of a folder route waiting for its marker: the execution waits {@code waitSeconds}, then reports the
     * folder if the marker has not come.
     */
    record FolderWatch(String datasetArn, String bucket, String folder, String route, String marker,
                       long waitSeconds) {
    }

    /** Why a file was refused before any import job was spent on it. */
    record Rejection(String reason) {
    }

    /**
     * The lane an import holds.
     *
     * @param entries the ledger sort keys of the files it carries
     * @param files their keys, for the people reading the execution
     * @param claimedAt when the lane was claimed for the import: a job of the import's name that Personalize created
     *     before it is another import's; null in inputs written before it was kept, and for an operator's files that
     *     never held the lane
     */
    record LaneTicket(String datasetArn, List<String> entries, List<String> files, Instant claimedAt) {

        public LaneTicket {
            entries = List.copyOf(entries);
            files = List.copyOf(files);
        }
    }

    /**
     * An operator's import that waits in its lane: {@code behind} names the job that holds the lane (null when the lane
     * is free), {@code waitingFor} says what it waits for, and the import runs later as the execution named
     * {@code jobName}, unless newer data supersedes it first.
     */
    record Queued(String file, String datasetArn, String behind, String jobName, String waitingFor) {
    }
}
