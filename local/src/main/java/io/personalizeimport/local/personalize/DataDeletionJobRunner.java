package io.personalizeimport.local.personalize;

import io.personalizeimport.local.personalize.Resources.DataDeletionJob;
import java.time.Clock;
import java.util.Set;

/**
 * Moves data deletion jobs through PENDING -> IN_PROGRESS -> COMPLETED | FAILED on the import jobs' timing: one step in
 * each of the first two. The list of users is read when the job goes in progress and their records are removed when it
 * completes, so a client polling at the step's pace sees every status. Every step runs guarded ({@link JobSteps}).
 */
final class DataDeletionJobRunner implements AutoCloseable {

    /** Reads a data deletion job's user ids: the {@link UserIdListReader}, or in tests one with a smaller limit. */
    interface UserIdReader {
        Set<String> read(String dataLocation) throws ImportFailedException;
    }

    private final EmulatorState state;
    private final UserIdReader reader;
    private final Clock clock;
    private final JobSteps steps;

    DataDeletionJobRunner(EmulatorState state, UserIdReader reader, long stepMillis, Clock clock) {
        this.state = state;
        this.reader = reader;
        this.clock = clock;
        this.steps = new JobSteps("deletion", 2, stepMillis, clock);
    }

    /** Continues {@code job} from its current status: new jobs, and unfinished ones found after a restart. */
    void resume(DataDeletionJob job) {
        if (Resources.PENDING.equals(job.status())) {
            steps.afterStep(steps(job), job.updated(), () -> start(job.arn()));
        } else if (Resources.IN_PROGRESS.equals(job.status())) {
            // Removing records is idempotent: a job caught in progress by a shutdown reads its list again.
            steps.now(steps(job), () -> run(job));
        }
    }

    private JobSteps.Job steps(DataDeletionJob job) {
        return new JobSteps.Job("data deletion job " + job.jobName(), "deleting the users of " + job.dataLocation(),
                reason -> state.updateDataDeletionJob(job.arn(), j -> j.unfinished()
                        ? j.withStatus(Resources.FAILED, clock.millis(), null, reason) : j));
    }

    private void start(String jobArn) {
        DataDeletionJob job = state.updateDataDeletionJob(jobArn,
                j -> j.withStatus(Resources.IN_PROGRESS, clock.millis(), null, null));
        EmulatorLog.info("data deletion job " + job.jobName() + " -> " + job.status());
        run(job);
    }

    private void run(DataDeletionJob job) {
        Runnable finish;
        try {
            Set<String> userIds = reader.read(job.dataLocation());
            finish = () -> {
                DataDeletionJob done = state.completeDeletion(job, userIds, clock.millis());
                EmulatorLog.info("data deletion job " + job.jobName() + " -> COMPLETED (" + userIds.size()
                        + " users, " + done.numDeleted() + " records deleted)");
            };
        } catch (ImportFailedException e) {
            finish = () -> {
                state.updateDataDeletionJob(job.arn(),
                        j -> j.withStatus(Resources.FAILED, clock.millis(), null, e.getMessage()));
                EmulatorLog.info("data deletion job " + job.jobName() + " -> FAILED: " + e.getMessage());
            };
        }
        steps.afterStep(steps(job), job.updated(), finish);
    }

    /** Stops scheduling; a step that is writing state is allowed to finish so the data directory stays whole. */
    @Override
    public void close() {
        steps.close();
    }
}
