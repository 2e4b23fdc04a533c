package io.personalizeimport.lambdas.lane;

import io.personalizeimport.lambdas.Log;
import io.personalizeimport.lambdas.config.PipelineConfig;
import io.personalizeimport.lambdas.domain.ImportRequest;
import io.personalizeimport.lambdas.domain.ImportSource;
import io.personalizeimport.lambdas.domain.MonitorInput.LaneTicket;
import io.personalizeimport.lambdas.domain.MonitorInput;
import io.personalizeimport.lambdas.errors.InvalidImportRequestException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Moves a dataset's lane on: when the lane is free and files wait, it plans the next import ({@link LanePlan}), takes a
 * slot of the region's import jobs for it in line ({@link Region}), claims the lane with the slot, creates its job (a
 * coalesced batch's execution creates it, once it has staged the files) and starts its execution. Any function may call
 * it at any time, as often as it likes: a busy lane, a lost race for the claim or an idle lane change nothing.
 */
public final class Lanes {

    /** Bounds the re-planning when files turn out to be overwritten, or another function wins the claim. */
    private static final int MAX_ROUNDS = 20;
    /** How long a claim's execution runs before anyone asks whether it still does. */
    static final Duration CHECK_AFTER = Duration.ofMinutes(2);
    /** How often one function instance asks, per dataset. */
    static final Duration CHECK_EVERY = Duration.ofMinutes(1);
    /** How many times a watch that gave up hands its lane to a new one: with the 48 h deadline, eight days in all. */
    static final int MAX_HANDOVERS = 3;

    private final PipelineConfig config;
    private final LaneRecords lanes;
    private final RegionAdmission admission;
    private final ObjectStore objects;
    private final ImportJobs jobs;
    private final Executions executions;
    private final Settlements settlements;
    private final Clock clock;
    private final Map<String, Instant> lastChecked = new ConcurrentHashMap<>();

    public Lanes(PipelineConfig config, LaneRecords lanes, RegionRecords region, ObjectStore objects, ImportJobs jobs,
                 Executions executions, Settlements settlements, Clock clock) {
        this.config = config;
        this.lanes = lanes;
        this.admission = new RegionAdmission(config.maxImportJobs(), region, lanes, clock);
        this.objects = objects;
        this.jobs = jobs;
        this.executions = executions;
        this.settlements = settlements;
        this.clock = clock;
    }

    /** What {@link #advance} found or did. */
    public sealed interface Advance {

        /** Another import holds the lane. */
        record Busy(Lane.Running running) implements Advance {
        }

        /** Nothing waits. */
        record Idle() implements Advance {
        }

        /**
         * Files wait, but together hold fewer than the {@code minimum} of records one import job needs: the lane holds
         * them for more, since {@code since}, and starts no job that would fail.
         */
        record Holding(long records, long minimum, Instant since) implements Advance {
        }

        /**
         * Files wait on the free lane behind a deletion of its dataset group's users: the one that runs ({@code jobName})
         * or, when none runs, the list of users written before them ({@code deletion}), which imports written before
         * it go ahead of.
         */
        record BehindDeletion(String jobName, String deletion) implements Advance {
        }

        /**
         * Files wait on the free lane, and it waits in line for a slot of the region's import jobs: {@code place} lanes
         * before it (from 0), {@code inUse} of {@code max} slots held, since its oldest waiting file was written.
         */
        record Waiting(int place, int inUse, int max, Instant since) implements Advance {

            /** What the lane waits for, as the files view and the console say it. */
            public String describe() {
                return Region.describe(place, inUse, max);
            }
        }

        /**
         * The lane's next import started in an execution of its own.
         *
         * @param movedWithClaim the files (sort keys) the claim itself moved to IMPORTING with the import's job
         */
        record Started(Lane.Running running, List<String> movedWithClaim) implements Advance {
        }

        /**
         * The lane's next import is the operator's request of the execution that asked: that execution runs it, with
         * the head of its file as the lane read it (null when it read none).
         */
        record Claimed(Lane.Running running, MonitorInput.LaneImport input, ObjectHead head) implements Advance {
        }
    }

    /** The lane's next import, if the lane is free and files wait; no execution asks. */
    public Advance advance(String datasetArn) {
        return advance(datasetArn, null, null);
    }

    /**
     * Starts the dataset's next import if the lane is free and files wait.
     *
     * @param askingExecution the operator's execution that asks, whose own request it may run; null for the others
     * @param justRead a file's first bytes the caller read moments ago (null for none): the lane's check of that file
     *     uses them instead of reading it again
     */
    public Advance advance(String datasetArn, String askingExecution, ObjectHead justRead) {
        Advance advanced = advanceLane(datasetArn, askingExecution, justRead);
        if (advanced instanceof Advance.Waiting waiting && waiting.inUse() < waiting.max()) {
            // Slots are free, but lanes before this one in line have them: they move first, then this one looks again.
            admission.wake(datasetArn, next -> advanceLane(next, null, null));
            advanced = advanceLane(datasetArn, askingExecution, justRead);
        }
        return advanced;
    }

    /**
     * Moves on the lanes first in line while the region has free slots: each takes a slot for its next import, or leaves
     * the line when it has nothing to import. Called when an import ended and returned its slot; returns the region as
     * it is then.
     */
    public Region wakeLine() {
        return admission.wake(null, next -> advanceLane(next, null, null));
    }

    private Advance advanceLane(String datasetArn, String askingExecution, ObjectHead justRead) {
        for (int round = 0; round < MAX_ROUNDS; round++) {
            LaneView view = lanes.laneView(datasetArn);
            Lane lane = view.lane();
            if (lane.isBusy()) {
                return busy(datasetArn, lane.running(), askingExecution);
            }
            DeletionBarrier barrier = DeletionBarrier.of(datasetArn, config.routes(), lanes::laneView);
            if (barrier.running() != null) {
                return new Advance.BehindDeletion(barrier.running().jobName(), null);
            }
            List<FileEntry> importable = barrier.importable(view.waiting());
            LanePlan plan = LanePlan.of(importable, lane.lastFull(), name -> config.routes().byName(name).orElse(null));
            for (LanePlan.Superseded superseded : plan.superseded()) {
                settlements.supersede(superseded.file(), superseded.by(), superseded.reason());
            }
            if (plan.batch().isEmpty()) {
                Lane.Holding holding = plan.hold() == null ? null : plan.hold().holding().keeping(lane.holding());
                if (!Objects.equals(holding, lane.holding()) && !lanes.hold(lane, holding)) {
                    continue;
                }
                if (holding == null) {
                    return importable.size() < view.waiting().size()
                            ? new Advance.BehindDeletion(null, barrier.first().file().key()) : new Advance.Idle();
                }
                new Holds(config, lanes, clock).reportIfPast(datasetArn, holding, plan.hold().files());
                return new Advance.Holding(holding.records(), holding.minimum(), holding.since());
            }
            RegionAdmission.Turn turn = admission.turn(datasetArn, plan.batch());
            if (turn instanceof RegionAdmission.Turn.InLine inLine) {
                return inLine.waiting();
            }
            int slot = ((RegionAdmission.Turn.Admitted) turn).slot();
            BatchCheck.Result checked = new BatchCheck(objects, settlements).check(plan,
                    plan.isCoalesced() || !config.preflight() ? 1 : ObjectHead.HEAD_BYTES, justRead);
            if (checked.anySettled()) {
                continue;
            }
            Advance claimed = claim(lane, plan, view.waiting(), askingExecution, checked.lone(), slot, barrier.lanes());
            if (claimed != null) {
                return claimed;
            }
        }
        throw new IllegalStateException("The lane of " + datasetArn + " changed in each of " + MAX_ROUNDS
                + " attempts to plan its next import");
    }

    private Advance busy(String datasetArn, Lane.Running running, String askingExecution) {
        if (running.executionName().equals(askingExecution)) {
            return new Advance.Claimed(running, ExecutionInputs.read(running.input()), null);
        }
        if (!running.started()) {
            // The function that claimed the lane failed before its execution was known to run: start it again, with
            // the same name and input, which Step Functions answers with the same execution.
            start(running, datasetArn);
        } else if (dueForCheck(datasetArn, running)) {
            Lane.Running resumed = resumeIfEnded(datasetArn, running);
            return new Advance.Busy(resumed == null ? running : resumed);
        }
        return new Advance.Busy(running);
    }

    /**
     * Resumes the dataset's import if {@code executionName} holds its lane but has ended, as Step Functions reports when
     * an execution stops, fails or times out; null when that execution does not hold the lane or still runs.
     */
    public Lane.Running recover(String datasetArn, String executionName) {
        Lane lane = lanes.lane(datasetArn);
        if (!lane.isBusy() || !lane.running().executionName().equals(executionName)) {
            return null;
        }
        return resumeIfEnded(datasetArn, lane.running());
    }

    /**
     * Whether to ask Step Functions if the lane's execution still runs: only once it has had time to run its import's
     * first steps, and at most once a minute per dataset and function instance, so a burst of files costs no burst of
     * DescribeExecution calls.
     */
    private boolean dueForCheck(String datasetArn, Lane.Running running) {
        Instant now = clock.instant();
        if (running.claimedAt().plus(CHECK_AFTER).isAfter(now)) {
            return false;
        }
        Instant last = lastChecked.get(datasetArn);
        if (last != null && last.plus(CHECK_EVERY).isAfter(now)) {
            return false;
        }
        lastChecked.put(datasetArn, now);
        return true;
    }

    /**
     * An execution that ended without releasing its lane would hold the lane for good. Its import job runs on whatever
     * happened to the execution (Personalize has no call that stops one), so a new execution, {@code <job>-resumed-<n>},
     * takes over the lane with the same input and follows the job to its end. Null when the execution still runs or
     * another function resumed it first.
     */
    private Lane.Running resumeIfEnded(String datasetArn, Lane.Running running) {
        String status = executions.status(running.executionName()).orElse("missing");
        if ("RUNNING".equals(status)) {
            return null;
        }
        Lane.Running resumed = running.handedTo(resumedName(running));
        if (!lanes.resume(datasetArn, running.executionName(), resumed)) {
            return null;
        }
        Log.warn("Lane held by an execution that ended without releasing it; its import resumes in a new execution",
                "datasetArn", datasetArn, "executionName", running.executionName(), "status", status,
                "resumedIn", resumed.executionName(), "jobName", running.jobName());
        start(resumed, datasetArn);
        return resumed;
    }

    /**
     * Hands the lane from an execution whose watch gave up while its job may still run (its monitor deadline passed, or
     * describing the job kept failing) to a new execution, {@code <job>-resumed-<n>}, with the same input: it finds the
     * job it created and follows it to its end, so the files get the job's real outcome and the lane stays held while
     * the job can still import. Null when that execution does not hold the lane, or the lane was handed on
     * {@link #MAX_HANDOVERS} times already.
     */
    public Lane.Running handOver(String datasetArn, String executionName) {
        Lane lane = lanes.lane(datasetArn);
        if (!lane.isBusy() || !lane.running().executionName().equals(executionName)
                || handovers(lane.running()) >= MAX_HANDOVERS) {
            return null;
        }
        Lane.Running running = lane.running();
        Lane.Running next = running.handedTo(resumedName(running));
        if (!lanes.resume(datasetArn, executionName, next)) {
            return null;
        }
        Log.warn("The watch of an import gave up while its job may still run; a new execution watches it on",
                "datasetArn", datasetArn, "executionName", executionName, "watchedOnIn", next.executionName(),
                "jobName", running.jobName());
        start(next, datasetArn);
        return next;
    }

    /** How many executions took the lane over from the one that claimed it. */
    private static int handovers(Lane.Running running) {
        String prefix = running.jobName() + "-resumed-";
        String current = running.executionName();
        return current.startsWith(prefix) && current.substring(prefix.length()).matches("\\d{1,6}")
                ? Integer.parseInt(current.substring(prefix.length())) : 0;
    }

    /** {@code <job>-resumed-<n>}: the job's name (at most 63 characters) leaves room within Step Functions' 80. */
    static String resumedName(Lane.Running running) {
        return running.jobName() + "-resumed-" + (handovers(running) + 1);
    }

    private Advance claim(Lane lane, LanePlan plan, List<FileEntry> pending, String askingExecution, ObjectHead lone,
                          int slot, List<Lane> unchanged) {
        List<FileEntry> batch = plan.batch();
        LaneFile first = batch.getFirst().file();
        Instant claimedAt = clock.instant();
        PlannedImport planned = PlannedImport.of(config, plan, pending, group -> lanes.files(group, FileStatus.DELETED),
                claimedAt);
        MonitorInput.LaneImport input = planned.input();
        ImportRequest request = input.createRequest();
        String jobName = request.jobName();
        LaneTicket ticket = input.lane();
        // An operator's request runs in the operator's execution only if that execution is the one asking now; one that
        // waited in the lane runs in an execution of its own, named after its job, like any file.
        String carrying = batch.getFirst().standing().executionName();
        boolean operators = carrying != null && carrying.equals(askingExecution);
        String executionName = operators ? carrying : jobName;
        Lane.Running running = new Lane.Running(jobName, executionName, ticket.entries(), claimedAt, operators,
                ExecutionInputs.write(input), slot);
        if (!lanes.claim(lane, running, batch, unchanged)) {
            return null;
        }
        Log.info("Lane claimed for the next import", "datasetArn", first.datasetArn(), "jobName", jobName,
                "files", ticket.files().size(), "first", first.key(), "executionName", executionName, "slot", slot);
        if (operators) {
            return new Advance.Claimed(running, input, lone);
        }
        if (!planned.staged()) {
            createEarly(request, input.source(), lone);
        }
        start(running, first.datasetArn());
        return new Advance.Started(running, ticket.entries().subList(0,
                Math.min(ticket.entries().size(), lanes.filesMovedWithClaim())));
    }

    /**
     * Creates the job before the execution starts, so Personalize starts reading at once; whatever goes wrong is left
     * to the execution's create task, which retries it or reports it.
     */
    private void createEarly(ImportRequest request, ImportSource source, ObjectHead head) {
        try {
            jobs.start(request, source, head);
        } catch (ServiceCallException | InvalidImportRequestException e) {
            Log.info("Import handed to its execution: " + e.getMessage(), "jobName", request.jobName(),
                    "datasetArn", request.datasetArn(), "dataLocation", request.dataLocation());
        }
    }

    private void start(Lane.Running running, String datasetArn) {
        executions.start(running.executionName(), running.input());
        lanes.markStarted(datasetArn, running.executionName());
    }
}
