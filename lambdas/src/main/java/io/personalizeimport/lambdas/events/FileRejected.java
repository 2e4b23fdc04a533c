package io.personalizeimport.lambdas.events;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * {@code File Rejected}: preflight refused a file before any import job was spent on it.
 *
 * @param executionArn the execution that reports the rejection
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FileRejected(String schemaVersion, String eventId, String datasetArn, String route, FileRef file,
                           String reason, String executionArn) implements EventDetail {

    public static final String DETAIL_TYPE = "File Rejected";

    @Override
    @JsonIgnore
    public String detailType() {
        return DETAIL_TYPE;
    }
}
