package io.personalizeimport.lambdas.lane;

import io.personalizeimport.lambdas.Log;
import io.personalizeimport.lambdas.domain.MonitorInput;
import io.personalizeimport.lambdas.errors.InvalidImportRequestException;
import io.personalizeimport.lambdas.events.DeletionEnded;
import io.personalizeimport.lambdas.events.EventDetail;
import io.personalizeimport.lambdas.events.FileRef;
import java.time.Clock;

/**
 * The end of an execution that held a dataset group's deletion lane: the list of users DELETED with the records removed,
 * or FAILED with the reason, reported by one event; the lane freed; then the group's imports written after the list,
 * the region's line and the group's next list move on. Every step is idempotent, so a retried task repeats nothing.
 */
public final class DeletionEnds {

    /** The status of a data deletion job that ended having removed its users' records. */
    public static final String COMPLETED = "COMPLETED";

    private final FileRecords files;
    private final LaneRecords laneRecords;
    private final Lanes lanes;
    private final Deletions deletions;
    private final Executions executions;
    private final OutcomeEvents events;
    private final Clock clock;

    public DeletionEnds(FileRecords files, LaneRecords laneRecords, Lanes lanes, Deletions deletions,
                        Executions executions, OutcomeEvents events, Clock clock) {
        this.files = files;
        this.laneRecords = laneRecords;
        this.lanes = lanes;
        this.deletions = deletions;
        this.executions = executions;
        this.events = events;
        this.clock = clock;
    }

    /**
     * How the deletion ended: its job COMPLETED with {@code numDeleted} records removed ({@code error} null), or not,
     * with the error and its one-line cause.
     */
    public record Verdict(String jobStatus, Long numDeleted, String error, String cause) {

        public boolean deleted() {
            return error == null;
        }
    }

    /**
     * The verdict on what the execution saw last, recorded ({@link #end}); or, when its watch gave up while the job may
     * still run, the lane handed to a new execution that watches the job on, and the list left DELETING.
     *
     * @param numDeleted the records the job removed, as its last description said; null when unknown
     */
    public Verdict finish(String executionName, MonitorInput.LaneDeletion input, Ending.Happened happened,
                          Long numDeleted) {
        if (happened instanceof Ending.TaskFailed failed && Verdicts.jobMayStillRun(failed)) {
            Lane.Running watch = lanes.handOver(input.lane().datasetArn(), executionName);
            if (watch != null) {
                Release.Verdict named = Verdicts.ofDeletion(failed);
                return new Verdict(null, null, named.error(), named.cause() + "; the job may still finish: execution "
                        + watch.executionName() + " watches it on and records its outcome");
            }
        }
        Verdict verdict = switch (happened) {
            case Ending.JobEnded ended when COMPLETED.equals(ended.status()) ->
                    new Verdict(ended.status(), numDeleted, null, null);
            case Ending.JobEnded ended -> {
                Release.Verdict failed = Verdicts.ofDeletion(ended);
                yield new Verdict(ended.status(), null, failed.error(), failed.cause());
            }
            case Ending.TaskFailed failed -> {
                Release.Verdict named = Verdicts.ofDeletion(failed);
                yield new Verdict(null, null, named.error(), named.cause());
            }
            default -> throw new InvalidImportRequestException("A data deletion's execution cannot end with "
                    + happened + ": expected its job COMPLETED or FAILED, or a failed create or describe task");
        };
        end(executionName, input, verdict);
        return verdict;
    }

    /** Records the verdict on the execution's list of users, frees its group's lane and moves the group on. */
    public FileStatus end(String executionName, MonitorInput.LaneDeletion input, Verdict verdict) {
        MonitorInput.LaneTicket ticket = input.lane();
        String group = ticket.datasetArn();
        FileStatus outcome = verdict.deleted() ? FileStatus.DELETED : FileStatus.FAILED;
        String reason = verdict.deleted() ? null : verdict.error() + ": " + verdict.cause();
        String jobName = input.deletionRequest().jobName();
        String executionArn = executions.arn(executionName);
        FileEntry list = files.file(group, ticket.entries().getFirst()).orElse(null);
        if (list != null) {
            FileEntry ended = list.withStatus(outcome, jobName, null, reason);
            if (files.settle(verdict.numDeleted() == null ? ended : ended.counted(verdict.numDeleted()), null)) {
                Log.info("Deletion file " + outcome, "key", list.file().key(), "datasetGroupArn", group, "jobName",
                        jobName, "numDeleted", verdict.numDeleted(), "reason", reason);
            }
        }
        DeletionEnded detail = new DeletionEnded(EventDetail.SCHEMA_VERSION,
                EventDetail.idOf(DeletionEnded.SUCCEEDED, input.dataDeletionJobArn()), group,
                input.source() == null ? null : input.source().route(), jobName, input.dataDeletionJobArn(),
                list == null ? null : FileRef.of(list.file()),
                list == null ? null : list.file().eventTime().toString(), verdict.jobStatus(), verdict.numDeleted(),
                executionArn, clock.instant().toString(), verdict.deleted() ? null : verdict.error(),
                verdict.deleted() ? null : verdict.cause());
        if (laneRecords.release(group, executionName, null, jobName, null, null, Settlements.event(detail))) {
            Log.info("Deletion lane released", "datasetGroupArn", group, "executionName", executionName,
                    "outcome", outcome);
        }
        events.drain(group);
        // The imports written after the list waited for its end; the deletion took no region slot, but an import does.
        for (String datasetArn : deletions.datasetsOf(group)) {
            lanes.advance(datasetArn);
            events.drain(datasetArn);
        }
        lanes.wakeLine();
        deletions.advance(group);
        return outcome;
    }
}
