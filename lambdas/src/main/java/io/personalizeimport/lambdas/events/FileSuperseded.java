package io.personalizeimport.lambdas.events;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * {@code File Superseded}: newer data replaced a waiting file before its turn, so no job was spent on it.
 *
 * @param supersededBy the key of the newer file (the same key, for an overwrite)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FileSuperseded(String schemaVersion, String eventId, String datasetArn, String route, FileRef file,
                             String supersededBy, String reason) implements EventDetail {

    public static final String DETAIL_TYPE = "File Superseded";

    @Override
    @JsonIgnore
    public String detailType() {
        return DETAIL_TYPE;
    }
}
