package io.personalizeimport.lambdas.events;

import java.util.List;

/**
 * An import job's end: {@code Dataset Import Succeeded} when it ended ACTIVE, {@code Dataset Import Failed} otherwise
 * (it failed, or the pipeline gave up on it), with the Error and the one-line reason.
 *
 * @param files the files the job carried (a folder import names the folder)
 * @param durationSeconds from the job's creation to its last update, as Personalize reports them
 * @param waitSeconds from the first file's S3 event to the job's creation: the time it waited for its lane
 * @param polls the DescribeDatasetImportJob calls that followed the job
 * @param detectionSeconds from the job's last status change to the release of its lane: how long its end went unseen
 */
public record ImportEnded(
        String schemaVersion,
        String eventId,
        String datasetArn,
        String route,
        String jobName,
        String jobArn,
        String importMode,
        String dataLocation,
        String jobStatus,
        List<FileRef> files,
        int fileCount,
        String executionArn,
        String createdAt,
        String endedAt,
        Long durationSeconds,
        Long waitSeconds,
        Long polls,
        Long detectionSeconds,
        String error,
        String reason) implements EventDetail {

    public static final String SUCCEEDED = "Dataset Import Succeeded";
    public static final String FAILED = "Dataset Import Failed";

    public ImportEnded {
        files = List.copyOf(files);
    }

    public boolean succeeded() {
        return error == null;
    }

    @Override
    public String detailType() {
        return succeeded() ? SUCCEEDED : FAILED;
    }
}
