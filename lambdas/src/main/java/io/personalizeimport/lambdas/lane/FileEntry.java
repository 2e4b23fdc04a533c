package io.personalizeimport.lambdas.lane;

import io.personalizeimport.lambdas.domain.ImportRequest;
import io.personalizeimport.lambdas.domain.ImportSource;
import java.time.Instant;

/**
 * One notified file in its dataset's lane, and what became of it.
 *
 * @param records the file's records counted when it was notified, up to Personalize's minimum per interactions job
 *     ({@link LanePlan#MIN_INTERACTIONS}); null when not counted (only files of coalescing INTERACTIONS routes are, and
 *     entries recorded before counting began are read as holding enough)
 */
public record FileEntry(LaneFile file, Standing standing, Long records) {

    /** A file whose records were not counted. */
    public FileEntry(LaneFile file, Standing standing) {
        this(file, standing, null);
    }

    /** A file that waits for its lane (or, in a folder route, for its folder's marker). */
    public static FileEntry pending(LaneFile file) {
        return new FileEntry(file, new Standing(FileStatus.PENDING, null, null, null, null));
    }

    /**
     * An operator's request, placed in its lane at {@code placedAt}: it waits under the job it asked for, and the
     * operator's execution carries it if the lane is free for it.
     */
    public static FileEntry requested(ImportRequest job, ImportSource source, String executionName,
                                      Instant placedAt) {
        return new FileEntry(LaneFile.requested(job, source, executionName, placedAt),
                new Standing(FileStatus.PENDING, job.jobName(), executionName, null, null));
    }

    /** The same file, standing as given; the execution that carries it and its count stay. */
    public FileEntry withStatus(FileStatus newStatus, String newJobName, String newSupersededBy, String newReason) {
        return new FileEntry(file, new Standing(newStatus, newJobName, standing.executionName(), newSupersededBy,
                newReason), records);
    }

    /** The same file with its records counted, up to Personalize's minimum. */
    public FileEntry counted(long counted) {
        return new FileEntry(file, standing, counted);
    }

    /**
     * Where a file stands in its lane.
     *
     * @param jobName the import job that carries (or carried, or would have carried) it
     * @param executionName the execution that carries the file: an operator's, or the lane's for its job
     * @param supersededBy the key of the newer file that replaced this one
     * @param reason why it was superseded, rejected or failed
     */
    public record Standing(FileStatus status, String jobName, String executionName, String supersededBy,
                           String reason) {
    }
}
