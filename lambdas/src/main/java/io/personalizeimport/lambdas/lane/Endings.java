package io.personalizeimport.lambdas.lane;

import io.personalizeimport.lambdas.lane.Release.Verdict;

/**
 * The state machine's last task, the one every path ends in: it gives the execution its verdict, records the verdict on
 * the files of the lane the execution holds and releases that lane.
 */
public final class Endings {

    private final Releases releases;
    private final Folders folders;

    public Endings(Releases releases, Folders folders) {
        this.releases = releases;
        this.folders = folders;
    }

    /**
     * The verdict, and what the release did (null when the execution holds no lane, or waits in one).
     *
     * @param verdict no error when the execution succeeded: its import ended ACTIVE, it waits in its lane, or its folder's
     *     marker came
     */
    public record Finished(Verdict verdict, Released released) {
    }

    public Finished end(Ending ending) {
        Verdict verdict = switch (ending.happened()) {
            case Ending.FolderWaited waited -> folders.verdict(waited.watch());
            case Ending.Queued queued -> Verdict.imported();
            case Ending.Rejected rejected -> Verdicts.of(rejected);
            case Ending.TaskFailed failed -> Verdicts.of(failed, ending.job() == null ? null : ending.job().jobArn());
            case Ending.JobEnded ended -> Verdicts.of(ended);
            case Ending.Unstageable unstageable -> Verdicts.of(unstageable, ending.claim() == null
                    || ending.claim().ticket() == null ? 1 : ending.claim().ticket().entries().size());
        };
        Ending.LaneClaim claim = ending.claim();
        if (ending.happened() instanceof Ending.Unstageable unstageable && claim != null && claim.ticket() != null) {
            return new Finished(verdict, releases.returnBatch(ending.executionName(), claim.ticket(), unstageable));
        }
        if (claim == null || ending.happened() instanceof Ending.Queued) {
            // A queued import's files wait in the lane for an execution of their own.
            return new Finished(verdict, null);
        }
        if (ending.happened() instanceof Ending.TaskFailed failed && Verdicts.jobMayStillRun(failed)
                && claim.ticket() != null) {
            // The job may still end ACTIVE: its files keep the lane, and a new execution watches the job on.
            Lane.Running watch = releases.handOver(claim.ticket().datasetArn(), ending.executionName());
            if (watch != null) {
                return new Finished(new Verdict(verdict.error(), verdict.cause() + "; the job may still finish:"
                        + " execution " + watch.executionName() + " watches it on and records its outcome"), null);
            }
        }
        return new Finished(verdict, releases.release(new Release(ending.executionName(), claim.ticket(),
                claim.asked(), claim.jobName(), verdict, ending.job() == null ? Release.JobSeen.NONE : ending.job())));
    }
}
