package io.personalizeimport.lambdas.events;


/**
 * {@code File Rejected}: preflight refused a file before any import job was spent on it.
 *
 * @param executionArn the execution that reports the rejection
 */
public record FileRejected(String schemaVersion, String eventId, String datasetArn, String route, FileRef file,
                           String reason, String executionArn) implements EventDetail {

    public static final String DETAIL_TYPE = "File Rejected";

    @Override
    public String detailType() {
        return DETAIL_TYPE;
    }
}
