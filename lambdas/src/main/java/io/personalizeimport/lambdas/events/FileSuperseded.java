package io.personalizeimport.lambdas.events;


/**
 * {@code File Superseded}: newer data replaced a waiting file before its turn, so no job was spent on it.
 *
 * @param supersededBy the key of the newer file (the same key, for an overwrite)
 */
public record FileSuperseded(String schemaVersion, String eventId, String datasetArn, String route, FileRef file,
                             String supersededBy, String reason) implements EventDetail {

    public static final String DETAIL_TYPE = "File Superseded";

    @Override
    public String detailType() {
        return DETAIL_TYPE;
    }
}
