package io.personalizeimport.lambdas.domain;

import java.util.List;

/**
 * The input of an import monitor execution as the trigger, the lane and the create task write it (see README, "State
 * machine contract"). It is a function of the files and the configuration only, never of the time or of Personalize's
 * answer, so starting it again is the same request and Step Functions deduplicates it by name.
 *
 * @param rejection set when the preflight check refused the file: the execution fails at once with the reason
 * @param lane the dataset lane the import holds and the files it carries; the execution releases the lane at its end
 * @param queued set by the create task when an operator's import waits in its lane behind another one
 * @param folderWatch set for the execution that reports a folder whose marker does not come
 */
public record MonitorInput(String datasetImportJobArn, ImportRequest createRequest, ImportSource source,
                           Rejection rejection, LaneTicket lane, Queued queued, FolderWatch folderWatch) {

    public MonitorInput(String datasetImportJobArn, ImportRequest createRequest, ImportSource source,
                        Rejection rejection) {
        this(datasetImportJobArn, createRequest, source, rejection, null, null, null);
    }

    public MonitorInput(String datasetImportJobArn, ImportRequest createRequest, ImportSource source,
                        Rejection rejection, LaneTicket lane, Queued queued) {
        this(datasetImportJobArn, createRequest, source, rejection, lane, queued, null);
    }

    /**
     * A folder of a folder route waiting for its marker: the execution waits {@code waitSeconds}, then reports the
     * folder if the marker has not come.
     */
    public record FolderWatch(String datasetArn, String bucket, String folder, String route, String marker,
                              long waitSeconds) {
    }

    /** Why a file was refused before any import job was spent on it. */
    public record Rejection(String reason) {
    }

    /**
     * The lane an import holds.
     *
     * @param entries the ledger sort keys of the files it carries
     * @param files their keys, for the people reading the execution
     */
    public record LaneTicket(String datasetArn, List<String> entries, List<String> files) {

        public LaneTicket {
            entries = List.copyOf(entries);
            files = List.copyOf(files);
        }
    }

    /**
     * An operator's import that waits in its lane: {@code behind} names the job that holds the lane, and the import
     * runs later as the execution named {@code jobName}, unless newer data supersedes it first.
     */
    public record Queued(String file, String datasetArn, String behind, String jobName) {
    }
}
