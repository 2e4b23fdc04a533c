package io.personalizeimport.lambdas.lane;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * A dataset's lane: at most one import runs on it, the {@link Running} one.
 *
 * @param running the import that holds the lane, or null when it is free
 * @param lastFull the order and key of the newest FULL import of the lane that succeeded; files older than it are
 *     superseded by it
 * @param lastIncremental the order of the newest INCREMENTAL file the lane imported into a dataset whose records a
 *     newer file replaces (users, items, actions); a file imported later with an older order is late, and the newer
 *     files are applied again after it. Null before any
 * @param holding the files the free lane holds until they have Personalize's minimum of records for a job; null when
 *     it holds none
 * @param version the lane item's version, for the conditional write that claims it
 */
public record Lane(String datasetArn, Running running, LastFull lastFull, String lastIncremental, Holding holding,
                   long version) {

    public static Lane free(String datasetArn) {
        return new Lane(datasetArn, null, null, null, null, 0);
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
     * @param slot the number of the region's import slot the import holds ({@link Region}); null for a lane claimed
     *     before the ledger counted slots
     */
    public record Running(String jobName, String executionName, List<String> entries, Instant claimedAt,
                          boolean started, String input, Integer slot) {

        public Running {
            entries = List.copyOf(entries);
        }

        /** An import that holds no slot of the region. */
        public Running(String jobName, String executionName, List<String> entries, Instant claimedAt, boolean started,
                       String input) {
            this(jobName, executionName, entries, claimedAt, started, input, null);
        }

        /** The same import and slot, handed to the execution {@code next}, which is not yet known to run. */
        public Running handedTo(String next) {
            return new Running(jobName, next, entries, claimedAt, false, input, slot);
        }

        /** The same import, its execution known to run. */
        public Running asStarted() {
            return new Running(jobName, executionName, entries, claimedAt, true, input, slot);
        }
    }

    /** The newest FULL import of a lane that succeeded: its place in the order and its file. */
    public record LastFull(String order, String key) {
    }

    /**
     * Files of a coalescing INTERACTIONS route that wait until together they hold Personalize's minimum of records per
     * import job, since a job with fewer fails after it has run (Amazon Personalize Developer Guide, quotas).
     *
     * @param records their records, each file's counted up to the minimum
     * @param since when the oldest of them was written
     * @param longestHold how long they wait before the hold is reported (its route's {@code longestHold})
     * @param first the oldest one's sort key, which names the hold: a new hold starts when it changes
     * @param reported whether the hold was reported as past its longest hold
     */
    public record Holding(long records, long minimum, Instant since, Duration longestHold, String first,
                          boolean reported) {

        /** Whether the hold has lasted its longest hold at {@code now}. */
        public boolean isPast(Instant now) {
            return !since.plus(longestHold).isAfter(now);
        }

        /** The same hold, reported. */
        public Holding asReported() {
            return new Holding(records, minimum, since, longestHold, first, true);
        }

        /** This hold, keeping that it was reported when {@code before} was the same hold and was reported. */
        public Holding keeping(Holding before) {
            return before != null && before.reported() && before.first().equals(first) ? asReported() : this;
        }

        /**
         * Whether the held files cannot grow to the minimum: as many as one import job carries (its longest hold is
         * none, {@link LanePlan}).
         */
        public boolean isFull() {
            return longestHold.isZero();
        }

        /** What the held files wait for, as the files view and the console say it. */
        public String describe(Instant now) {
            String count = String.format(Locale.ROOT, "%,d of %,d interactions", records, minimum);
            if (isFull()) {
                return "waiting, cannot grow: " + count + " in as many files as one import job carries";
            }
            return isPast(now) ? "waiting past the longest hold (" + longestHold + " since " + since + "): " + count
                    : "waiting: " + count;
        }
    }
}
