package io.personalizeimport.lambdas;

import io.personalizeimport.lambdas.aws.AwsCall;
import io.personalizeimport.lambdas.aws.AwsCallException;
import io.personalizeimport.lambdas.aws.AwsClients;
import io.personalizeimport.lambdas.aws.ErrorKind;
import io.personalizeimport.lambdas.aws.Preflight;
import io.personalizeimport.lambdas.config.PipelineConfig;
import io.personalizeimport.lambdas.config.Route;
import io.personalizeimport.lambdas.config.Staging;
import io.personalizeimport.lambdas.domain.ImportRequest;
import io.personalizeimport.lambdas.domain.ImportSource;
import io.personalizeimport.lambdas.domain.JobNames;
import io.personalizeimport.lambdas.domain.LanePlan;
import io.personalizeimport.lambdas.domain.MonitorInput;
import io.personalizeimport.lambdas.domain.MonitorInput.LaneTicket;
import io.personalizeimport.lambdas.errors.InvalidImportRequestException;
import io.personalizeimport.lambdas.ledger.FileEntry;
import io.personalizeimport.lambdas.ledger.FileStatus;
import io.personalizeimport.lambdas.ledger.Lane;
import io.personalizeimport.lambdas.ledger.Ledger;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Moves a dataset's lane on: when the lane is free and files wait, it plans the next import ({@link LanePlan}), claims
 * the lane for it with a conditional write, creates its job and starts its execution. Any function may call it at any
 * time, as often as it likes: a busy lane, a lost race for the claim or an idle lane change nothing.
 */
final class LaneService {

    /** Bounds the re-planning when files turn out to be overwritten, or another function wins the claim. */
    private static final int MAX_ROUNDS = 20;
    /** How long a claim's execution runs before anyone asks whether it still does. */
    private static final Duration CHECK_AFTER = Duration.ofMinutes(2);
    /** How often one function instance asks, per dataset. */
    private static final Duration CHECK_EVERY = Duration.ofMinutes(1);

    private final PipelineConfig config;
    private final AwsClients clients;
    private final Ledger ledger;
    private final ImportService imports;
    private final Clock clock;
    private final Map<String, Instant> lastChecked = new ConcurrentHashMap<>();

    LaneService(PipelineConfig config, AwsClients clients, Ledger ledger, ImportService imports, Clock clock) {
        this.config = config;
        this.clients = clients;
        this.ledger = ledger;
        this.imports = imports;
        this.clock = clock;
    }

    /** What {@link #advance} found or did. */
    sealed interface Advance {

        /** Another import holds the lane. */
        record Busy(Lane.Running running) implements Advance {
        }

        /** Nothing waits. */
        record Idle() implements Advance {
        }

        /** The lane's next import started in an execution of its own. */
        record Started(Lane.Running running) implements Advance {

            /**
             * Whether the claim itself moved this file (its ledger sort key) to IMPORTING with the import's job, in
             * the transaction that took the lane.
             */
            boolean movedWithClaim(String sortKey) {
                int index = running.entries().indexOf(sortKey);
                return index >= 0 && index < Ledger.FILES_WITH_CLAIM;
            }
        }

        /**
         * The lane's next import is the operator's request of the execution that asked: that execution runs it, with
         * the head of its file as the lane read it (null when it read none).
         */
        record Claimed(Lane.Running running, MonitorInput input, Preflight.ObjectHead head) implements Advance {
        }
    }

    /**
     * Starts the dataset's next import if the lane is free and files wait.
     *
     * @param stateMachineArn the state machine whose executions run the imports
     * @param askingExecution the operator's execution that asks, whose own request it may run; null for the others
     */
    Advance advance(String datasetArn, String stateMachineArn, String askingExecution) {
        return advance(datasetArn, stateMachineArn, askingExecution, null);
    }

    /**
     * As {@link #advance(String, String, String)}, with a file's first bytes that the caller read moments ago in this
     * invocation (null for none): the lane's check of that file uses them instead of reading it again.
     */
    Advance advance(String datasetArn, String stateMachineArn, String askingExecution, Preflight.ObjectHead justRead) {
        for (int round = 0; round < MAX_ROUNDS; round++) {
            Ledger.LaneView view = ledger.laneView(datasetArn);
            Lane lane = view.lane();
            if (lane.isBusy()) {
                Lane.Running running = lane.running();
                if (running.executionName().equals(askingExecution)) {
                    return new Advance.Claimed(running, read(running.input()), null);
                }
                if (!running.started()) {
                    // The function that claimed the lane failed before its execution was known to run: start it again,
                    // with the same name and input, which Step Functions answers with the same execution.
                    start(running, stateMachineArn, datasetArn);
                } else if (dueForCheck(datasetArn, running)) {
                    Lane.Running resumed = resumeIfEnded(datasetArn, running, stateMachineArn);
                    return new Advance.Busy(resumed == null ? running : resumed);
                }
                return new Advance.Busy(running);
            }
            LanePlan plan = LanePlan.of(view.waiting(), lane.lastFull(),
                    name -> config.routes().byName(name).orElse(null));
            for (LanePlan.Superseded superseded : plan.superseded()) {
                supersede(superseded.file(), superseded.by(), superseded.reason());
            }
            if (plan.batch().isEmpty()) {
                return new Advance.Idle();
            }
            Checked checked = check(plan, justRead);
            if (!checked.overwritten().isEmpty()) {
                continue;
            }
            Advance claimed = claim(lane, plan, stateMachineArn, askingExecution, checked.lone());
            if (claimed != null) {
                return claimed;
            }
        }
        throw new IllegalStateException("The lane of " + datasetArn + " changed in each of " + MAX_ROUNDS
                + " attempts to plan its next import");
    }

    /**
     * Resumes the dataset's import if {@code executionName} holds its lane but has ended, as Step Functions reports when
     * an execution stops, fails or times out; null when that execution does not hold the lane or still runs.
     */
    Lane.Running recover(String datasetArn, String stateMachineArn, String executionName) {
        Lane lane = ledger.lane(datasetArn);
        if (!lane.isBusy() || !lane.running().executionName().equals(executionName)) {
            return null;
        }
        return resumeIfEnded(datasetArn, lane.running(), stateMachineArn);
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
     * An execution that ended without releasing its lane (stopped by hand, timed out, or unable to release) would hold
     * the lane for good. Its import job runs on whatever happened to the execution (Personalize has no call that stops
     * one), so a new execution, {@code <job>-resumed-<n>}, takes over the lane with the same input: it finds the job,
     * follows it to its end, records the outcome on its files and releases the lane. Null when the execution still runs
     * or another function resumed it first.
     */
    private Lane.Running resumeIfEnded(String datasetArn, Lane.Running running, String stateMachineArn) {
        String executionArn = MonitorStarter.executionArn(stateMachineArn, running.executionName());
        String status;
        try {
            status = AwsCall.stepFunctions("DescribeExecution", running.executionName()).run(() -> clients.sfn()
                    .describeExecution(describe -> describe.executionArn(executionArn))).statusAsString();
        } catch (AwsCallException e) {
            if (e.kind() != ErrorKind.NOT_FOUND) {
                throw e;
            }
            status = "missing";
        }
        if ("RUNNING".equals(status)) {
            return null;
        }
        Lane.Running resumed = new Lane.Running(running.jobName(), resumedName(running), running.entries(),
                running.claimedAt(), false, running.input());
        if (!ledger.resume(datasetArn, running.executionName(), resumed)) {
            return null;
        }
        Log.warn("Lane held by an execution that ended without releasing it; its import resumes in a new execution",
                "datasetArn", datasetArn, "executionName", running.executionName(), "status", status,
                "resumedIn", resumed.executionName(), "jobName", running.jobName());
        start(resumed, stateMachineArn, datasetArn);
        return resumed;
    }

    /** {@code <job>-resumed-<n>}: the job's name (at most 63 characters) leaves room within Step Functions' 80. */
    static String resumedName(Lane.Running running) {
        String prefix = running.jobName() + "-resumed-";
        String current = running.executionName();
        int count = 0;
        if (current.startsWith(prefix) && current.substring(prefix.length()).matches("\\d{1,6}")) {
            count = Integer.parseInt(current.substring(prefix.length()));
        }
        return prefix + (count + 1);
    }

    private Advance claim(Lane lane, LanePlan plan, String stateMachineArn, String askingExecution,
                          Preflight.ObjectHead lone) {
        List<FileEntry> batch = plan.batch();
        FileEntry first = batch.getFirst();
        Route route = config.routes().byName(first.route()).orElseThrow(() -> new InvalidImportRequestException(
                "Route '" + first.route() + "' of " + first.key() + " is no longer configured: expected one of "
                        + config.routes().routes().stream().map(Route::name).toList()));
        String jobName = jobName(route, plan);
        String dataLocation = plan.isCoalesced() ? stage(batch, jobName) : first.location();
        ImportRequest request = new ImportRequest(jobName, first.datasetArn(), dataLocation, route.roleArn(),
                first.importMode(), route.tags(), route.publishAttributionMetricsToS3());
        ImportSource source = plan.isCoalesced() ? null
                : new ImportSource(first.bucket(), first.key(), first.versionId(), first.eTag(),
                        first.size() < 0 ? null : first.size(), route.name());
        LaneTicket ticket = new LaneTicket(first.datasetArn(), batch.stream().map(Ledger::sortKey).toList(),
                batch.stream().map(FileEntry::key).toList());
        MonitorInput input = new MonitorInput(request.jobArn(), request, source, null, ticket, null);
        // An operator's request runs in the operator's execution only if that execution is the one asking now; one that
        // waited in the lane runs in an execution of its own, named after its job, like any file.
        boolean operators = first.executionName() != null && first.executionName().equals(askingExecution);
        String executionName = operators ? first.executionName() : jobName;
        Lane.Running running = new Lane.Running(jobName, executionName, ticket.entries(), clock.instant(), operators,
                write(input));
        Lane.LastFull lastFull = first.importMode() == io.personalizeimport.lambdas.config.ImportMode.FULL
                ? new Lane.LastFull(batch.getLast().order(), batch.getLast().key()) : lane.lastFull();
        if (!ledger.claim(lane, running, lastFull, batch)) {
            return null;
        }
        Log.info("Lane claimed for the next import", "datasetArn", first.datasetArn(), "jobName", jobName,
                "files", ticket.files().size(), "first", first.key(), "executionName", executionName);
        if (operators) {
            return new Advance.Claimed(running, input, lone);
        }
        createEarly(request, source, lone);
        start(running, stateMachineArn, first.datasetArn());
        return new Advance.Started(running);
    }

    /**
     * Creates the job before the execution starts, so Personalize starts reading at once; whatever goes wrong is left
     * to the execution's create task, which retries it or reports it.
     */
    private void createEarly(ImportRequest request, ImportSource source, Preflight.ObjectHead head) {
        try {
            imports.start(request, source, head);
        } catch (AwsCallException | InvalidImportRequestException e) {
            ImportService.log("Import handed to its execution: " + e.getMessage(), request, source);
        }
    }

    private void start(Lane.Running running, String stateMachineArn, String datasetArn) {
        new MonitorStarter(clients.sfn(), stateMachineArn).start(running.executionName(), running.input());
        ledger.markStarted(datasetArn, running.executionName());
    }

    private static String jobName(Route route, LanePlan plan) {
        FileEntry first = plan.batch().getFirst();
        if (plan.isCoalesced()) {
            return JobNames.forBatch(route.name(), plan.batch().stream().map(FileEntry::order).toList());
        }
        return first.jobName() != null ? first.jobName() : JobNames.forWrite(route.name(), first.object(),
                first.sequencer());
    }

    /**
     * The files of a batch whose object changed since it was notified, and the read of a file imported on its own
     * (null for a coalesced batch, a folder, or a file without identity).
     */
    private record Checked(List<FileEntry> overwritten, Preflight.ObjectHead lone) {
    }

    /**
     * Finds the files of the batch whose object changed since it was notified (Amazon Personalize API Reference,
     * DataSource: a job reads the location's current data, no object version), each now SUPERSEDED by the newer write,
     * whose own event follows. Folders are read as they are.
     */
    private Checked check(LanePlan plan, Preflight.ObjectHead justRead) {
        // A file imported on its own is read far enough for its preflight, which then reads nothing; the files of a
        // coalesced batch are checked from their staged copies, so one byte tells their write apart. A file the caller
        // has just read is not read again.
        int bytes = plan.isCoalesced() || !config.preflight() ? 1 : Preflight.HEAD_BYTES;
        List<FileEntry> changed = new ArrayList<>();
        Preflight.ObjectHead lone = null;
        for (FileEntry file : plan.batch()) {
            if (file.isFolder() || (file.eTag() == null && file.versionId() == null)) {
                continue;
            }
            Optional<Preflight.ObjectHead> head = justRead != null && justRead.isOf(file.bucket(), file.key())
                    ? Optional.of(justRead) : imports.head(file.bucket(), file.key(), bytes);
            lone = plan.isCoalesced() ? null : head.orElse(null);
            String why = changedSince(file, head.orElse(null));
            if (why != null) {
                supersede(file, file.key(), why);
                changed.add(file);
            }
        }
        return new Checked(changed, lone);
    }

    /** Why the file's object is no longer the write that was notified, or null when it still is. */
    private static String changedSince(FileEntry file, Preflight.ObjectHead head) {
        if (head == null) {
            return "deleted before its turn";
        }
        if (head.isEmpty() && head.eTag() == null) {
            // Only non-empty objects are ever notified as files.
            return "overwritten before its turn by an empty object";
        }
        // S3 always answers both; a store that answers neither (S3-compatible servers may not) cannot tell a newer
        // write apart, and the file is read as it is.
        if (file.versionId() != null && head.versionId() != null && !Objects.equals(file.versionId(), head.versionId())) {
            return "overwritten before its turn by a newer write (version " + head.versionId() + "), imported on its own";
        }
        if (file.versionId() == null && file.eTag() != null && head.eTag() != null
                && !sameETag(file.eTag(), head.eTag())) {
            return "overwritten before its turn by a newer write (eTag " + head.eTag() + "), imported on its own";
        }
        return null;
    }

    private static boolean sameETag(String a, String b) {
        return a.replace("\"", "").equals(b.replace("\"", ""));
    }

    /**
     * Copies the batch's files, each exactly as notified, into the job's staging folder, so the job reads those files
     * and nothing else (Amazon Personalize API Reference, DataSource: a folder location imports every CSV in it).
     */
    private String stage(List<FileEntry> batch, String jobName) {
        String folder = Staging.PREFIX + jobName + "/";
        for (int i = 0; i < batch.size(); i++) {
            FileEntry file = batch.get(i);
            String name = file.key().substring(file.key().lastIndexOf('/') + 1);
            String target = folder + String.format("%04d-", i) + name;
            AwsCall.s3("CopyObject", file.key() + " to " + target).run(() -> clients.s3().copyObject(copy -> {
                copy.sourceBucket(file.bucket()).sourceKey(file.key()).destinationBucket(file.bucket())
                        .destinationKey(target);
                if (file.versionId() != null) {
                    copy.sourceVersionId(file.versionId());
                } else if (file.eTag() != null) {
                    copy.copySourceIfMatch(file.eTag());
                }
            }));
        }
        return "s3://" + batch.getFirst().bucket() + "/" + folder;
    }

    private void supersede(FileEntry file, String by, String reason) {
        if (ledger.settle(file.withStatus(FileStatus.SUPERSEDED, null, by, reason),
                OutcomeReporter.superseded(file, by, reason))) {
            Log.info("File superseded: " + reason, "key", file.key(), "datasetArn", file.datasetArn(),
                    "supersededBy", by);
        }
    }

    private static String write(MonitorInput input) {
        return JsonText.toJson(input);
    }

    private static MonitorInput read(String input) {
        try {
            return JsonText.read(JsonText.parse(input), MonitorInput.class);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("the lane's stored execution input is not readable: " + input, e);
        }
    }
}
