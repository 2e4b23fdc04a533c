package io.personalizeimport.lambdas.events;

/**
 * A data deletion job's end: {@code Data Deletion Succeeded} when it ended COMPLETED, with how many records it removed;
 * {@code Data Deletion Failed} otherwise, with the Error and the one-line reason. {@code datasetArn} is the dataset
 * group's ARN, the deletion's subject.
 *
 * @param file the list of users it deleted
 * @param numDeleted the records Personalize reports it removed; null when it did not complete
 * @param requestedAt when the list was written: the data written before it is what the deletion applies to
 */
public record DeletionEnded(
        String schemaVersion,
        String eventId,
        String datasetArn,
        String route,
        String jobName,
        String jobArn,
        FileRef file,
        String requestedAt,
        String jobStatus,
        Long numDeleted,
        String executionArn,
        String endedAt,
        String error,
        String reason) implements EventDetail {

    public static final String SUCCEEDED = "Data Deletion Succeeded";
    public static final String FAILED = "Data Deletion Failed";

    public boolean succeeded() {
        return error == null;
    }

    @Override
    public String detailType() {
        return succeeded() ? SUCCEEDED : FAILED;
    }
}
