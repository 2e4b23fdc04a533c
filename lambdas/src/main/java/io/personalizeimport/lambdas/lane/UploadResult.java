package io.personalizeimport.lambdas.lane;

/**
 * What became of one notified object: SKIPPED, DUPLICATE, WAITING_FOR_MARKER, REJECTED, or the file's status in its
 * lane (PENDING, IMPORTING, ...).
 *
 * @param detail why, in words; null when the outcome says it all
 * @param executionArn the execution that runs or reports the file's import, when there is one
 */
public record UploadResult(String outcome, String key, String detail, String datasetArn, String jobName,
                           String executionArn) {

    static UploadResult skipped(String key, String reason) {
        return new UploadResult("SKIPPED", key, reason, null, null, null);
    }
}
