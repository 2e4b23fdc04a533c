package io.personalizeimport.local.bench;

import io.personalizeimport.local.personalize.ImportJobSpan;
import java.util.List;

/**
 * How well a run used the region's quota of import jobs, from the emulator's timeline of its jobs: the wall time
 * against the ideal (every job's duration packed {@code max} at a time) and the share of the quota in use while work
 * waited.
 *
 * @param wallMillis from the first upload to the last file's outcome
 * @param idealMillis the sum of the jobs' durations divided by {@code max}
 * @param utilisation the time-integral of unfinished jobs over the waiting window, divided by {@code max} times its length
 * @param waitingMillis the waiting window: from the first upload until the last job was created
 */
public record QuotaUse(long wallMillis, long idealMillis, double utilisation, long waitingMillis) {

    /** The goal of issue 20: wall time at most this many times the ideal. */
    public static final double RATIO_GOAL = 1.15;
    /** The goal of issue 20: at least this share of the quota in use while work waits. */
    public static final double UTILISATION_GOAL = 0.90;

    /** The figures of finished {@code jobs} for a run from {@code firstUpload} to {@code lastOutcome} (epoch millis). */
    public static QuotaUse of(List<ImportJobSpan> jobs, int max, long firstUpload, long lastOutcome) {
        long busy = 0;
        long lastCreated = firstUpload;
        for (ImportJobSpan job : jobs) {
            if (job.endedMillis() == null) {
                throw new IllegalArgumentException("job " + job.jobName() + " has not ended");
            }
            busy += job.endedMillis() - job.createdMillis();
            lastCreated = Math.max(lastCreated, job.createdMillis());
        }
        long waiting = lastCreated - firstUpload;
        double used = waiting == 0 ? 1.0 : unfinishedIntegral(jobs, firstUpload, lastCreated) / ((double) max * waiting);
        return new QuotaUse(lastOutcome - firstUpload, busy / max, used, waiting);
    }

    /** The integral over [from, to] of the number of jobs created and not yet ended, in job-milliseconds. */
    static long unfinishedIntegral(List<ImportJobSpan> jobs, long from, long to) {
        long sum = 0;
        for (ImportJobSpan job : jobs) {
            long start = Math.max(from, job.createdMillis());
            long end = Math.min(to, job.endedMillis());
            sum += Math.max(0, end - start);
        }
        return sum;
    }

    public double ratio() {
        return idealMillis == 0 ? 0 : (double) wallMillis / idealMillis;
    }

    public boolean meetsRatioGoal() {
        return ratio() <= RATIO_GOAL;
    }

    public boolean meetsUtilisationGoal() {
        return utilisation >= UTILISATION_GOAL;
    }
}
