package io.personalizeimport.lambdas.lane;

import java.time.Instant;
import java.util.List;

/**
 * A dataset's lane: at most one import runs on it, the {@link Running} one.
 *
 * @param running the import that holds the lane, or null when it is free
 * @param lastFull the order and key of the newest FULL import of the lane that succeeded; files older than it are
 *     superseded by it
 * @param lastIncremental the order of the newest INCREMENTAL file the lane imported into a dataset whose records a
 *     newer file replaces (users, items, actions); a file imported later with an older order is late, and the newer
 *     files are applied again after it. Null before any
 * @param version the lane item's version, for the conditional write that claims it
 */
public record Lane(String datasetArn, Running running, LastFull lastFull, String lastIncremental, long version) {

    public static Lane free(String datasetArn) {
        return new Lane(datasetArn, null, null, null, 0);
    }

    public boolean isBusy() {
        return running != null;
    }

    /**
     * The import that holds the lane.
     *
     * @param entries the ledger sort keys of the files it carries
     * @param started whether its execution is known to run; a claim whose start failed is started again
     * @param input the execution's input, kept so that starting it again is the same request (Step Functions
     *     deduplicates StartExecution by name and input)
     */
    public record Running(String jobName, String executionName, List<String> entries, Instant claimedAt,
                          boolean started, String input) {

        public Running {
            entries = List.copyOf(entries);
        }
    }

    /** The newest FULL import of a lane that succeeded: its place in the order and its file. */
    public record LastFull(String order, String key) {
    }
}
