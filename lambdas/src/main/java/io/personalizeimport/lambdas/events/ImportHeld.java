package io.personalizeimport.lambdas.events;

import java.util.List;

/**
 * {@code Dataset Import Held}: coalescing interactions files have waited their route's longest hold without reaching
 * Personalize's minimum of records per import job; they keep waiting, and no job is spent on a certain failure.
 *
 * @param records the records the held files hold together, each file counted up to the minimum
 * @param minimum the records one import job needs
 * @param since when the oldest held file was written
 * @param longestHold the route's longest hold, an ISO-8601 duration
 * @param files the held files, at most {@value #MAX_FILES} of them
 * @param fileCount how many files are held
 */
public record ImportHeld(String schemaVersion, String eventId, String datasetArn, String route, long records,
                         long minimum, String since, String longestHold, List<FileRef> files, int fileCount,
                         String reason) implements EventDetail {

    public static final String DETAIL_TYPE = "Dataset Import Held";
    /** Files named in one event: keeps its detail far below EventBridge's 256 KB per entry. */
    public static final int MAX_FILES = 100;

    public ImportHeld {
        files = List.copyOf(files);
    }

    @Override
    public String detailType() {
        return DETAIL_TYPE;
    }
}
