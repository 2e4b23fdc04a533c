package io.personalizeimport.lambdas.lane;

import io.personalizeimport.lambdas.domain.MonitorInput.FolderWatch;
import io.personalizeimport.lambdas.domain.MonitorInput.LaneTicket;

/**
 * How an execution came to its last task: what happened, the lane it holds (null when none) and its job as last seen
 * (null when never seen).
 */
public record Ending(String executionName, Happened happened, LaneClaim claim, Release.JobSeen job) {

    /** What the execution saw last. */
    public sealed interface Happened {
    }

    /** A folder watch waited its route's marker timeout. */
    public record FolderWaited(FolderWatch watch) implements Happened {
    }

    /** An operator's import waits in its lane, to run in an execution of its own. */
    public record Queued(String file, String datasetArn, String behind, String jobName) implements Happened {
    }

    /** The trigger's preflight check refused the file. */
    public record Rejected(String reason) implements Happened {
    }

    /**
     * A task failed after its retries: {@code error} is the Step Functions error name (a Java exception's class name),
     * {@code cause} the error's message.
     */
    public record TaskFailed(Task task, String error, String cause) implements Happened {
    }

    /** The task that failed. */
    public enum Task {
        CREATE, DESCRIBE
    }

    /**
     * A file of a coalesced batch could not be copied to the batch's staging folder, for a reason no retry heals.
     *
     * @param entry its ledger sort key
     * @param file its key
     */
    public record Unstageable(String entry, String file, String reason) implements Happened {
    }

    /** The import job reached a final status: ACTIVE, or CREATE FAILED with Personalize's reason. */
    public record JobEnded(String status, String failureReason) implements Happened {
    }

    /**
     * The lane the execution holds, or (for an operator's execution that ended before it was handed one) the dataset or
     * key its input named.
     */
    public record LaneClaim(LaneTicket ticket, Release.Asked asked, String jobName) {
    }
}
