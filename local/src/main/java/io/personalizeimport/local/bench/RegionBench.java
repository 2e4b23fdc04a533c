package io.personalizeimport.local.bench;

import io.personalizeimport.lambdas.FunctionSettings;
import io.personalizeimport.lambdas.config.PipelineConfig;
import io.personalizeimport.lambdas.domain.PollPolicy;
import io.personalizeimport.lambdas.lane.FileEntry;
import io.personalizeimport.lambdas.lane.FileStatus;
import io.personalizeimport.lambdas.ledger.Ledger;
import io.personalizeimport.local.dynamodb.RequestUnits;
import io.personalizeimport.local.lambda.FunctionStats;
import io.personalizeimport.local.personalize.ImportJobSpan;
import io.personalizeimport.local.personalize.ImportJobStats;
import io.personalizeimport.local.stack.LocalStack;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.StringJoiner;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.ExecutionListItem;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.HistoryEvent;

/**
 * {@code local/run bench --scenario region} (issue 20): a burst of files into datasets of all five types in four dataset
 * groups, with emulated import jobs as long as real ones (scaled), so the region's five import jobs are the bottleneck:
 * the wall time against the ideal, how much of the quota was used while work waited, and what the run's AWS resources
 * cost at list prices.
 */
public final class RegionBench {

    public static final int GROUPS = 4;
    public static final List<String> TYPES = List.of("INTERACTIONS", "ITEMS", "USERS", "ACTIONS",
            "ACTION_INTERACTIONS");
    private static final List<String> SHORT_NAMES = List.of("clicks", "items", "users", "actions", "taken");
    public static final int DEFAULT_DATASETS = 20;
    public static final int DEFAULT_FILES = 40;
    public static final int DEFAULT_JOB_MINUTES = 10;
    /** What a modelled job lasts in wall time unless a time scale is given: long against the pipeline's own steps. */
    static final double JOB_WALL_SECONDS = 15;
    /** A modelled job's time in CREATE PENDING before it runs, before scaling. */
    static final Duration PENDING = Duration.ofMinutes(1);
    static final Duration TIMEOUT = Duration.ofMinutes(30);
    private static final int APPEND_ROWS = 1_000;
    private static final int ROWS = 50;
    private static final long T0 = 1_760_000_000L;

    /** Whether the burst replaces each dataset's data or adds to it (after a FULL import of each, not measured). */
    public enum Mode { FULL, INCREMENTAL }

    /**
     * What to run.
     *
     * @param datasets how many datasets, spread over four groups, the types in turn (at most 20: one per type a group)
     * @param files how many files the burst has, spread over the datasets in turn
     * @param jobMinutes what a modelled import job lasts in CREATE IN_PROGRESS, before scaling
     * @param timeScale how the stack's waits and the jobs are scaled
     */
    public record Settings(Path root, Path dataDir, int datasets, int files, int jobMinutes, Mode mode,
                           double timeScale, Consumer<String> progress) {

        public Settings {
            Objects.requireNonNull(root, "root");
            Objects.requireNonNull(dataDir, "dataDir");
            Objects.requireNonNull(mode, "mode");
            if (datasets < 1 || datasets > GROUPS * TYPES.size() || files < datasets) {
                throw new IllegalArgumentException("1 to " + GROUPS * TYPES.size() + " datasets and at least one file"
                        + " each, was " + datasets + " datasets and " + files + " files");
            }
        }

        /** The time scale that makes a job of {@code jobMinutes} last {@value #JOB_WALL_SECONDS} s of wall time. */
        public static double defaultTimeScale(int jobMinutes) {
            return Math.min(1.0, JOB_WALL_SECONDS / (jobMinutes * 60.0));
        }
    }

    /**
     * What the run measured.
     *
     * @param jobs the burst's import jobs, as the emulator's timeline has them
     * @param quota the wall time against the ideal and the quota's use
     * @param stats the emulator's figures since the stack started (the INCREMENTAL mode's FULL imports included)
     * @param costs what the burst used of each billed resource, its describe polls counted as a real job of the
     *     modelled length costs them
     * @param polls the describe polls the run made and those its jobs make at their real length
     */
    public record Report(Settings settings, int maxImportJobs, List<ImportJobSpan> jobs, QuotaUse quota,
                         ImportJobStats stats, RunCosts costs, Polls polls) {
    }

    /**
     * The describe polls of a run: {@code measured}, and {@code modelled} for its jobs at their modelled length as the
     * poll policy schedules them. A compressed job is young by the clock its age is read with, so it is polled every 15
     * modelled seconds to its end: a 2-hour job some 480 times where the real one is polled 57 times.
     */
    public record Polls(long measured, long modelled) {
    }

    private RegionBench() {
    }

    /** Starts a local stack in {@code settings.dataDir()}, runs the burst, and stops it. */
    public static Report run(Settings settings) {
        double scale = settings.timeScale();
        try {
            Files.createDirectories(settings.dataDir());
            try (PrintStream log = new PrintStream(Files.newOutputStream(settings.dataDir().resolve("stack.log")), true,
                    StandardCharsets.UTF_8);
                 LocalStack stack = LocalStack.builder().root(settings.root())
                         .dataDir(settings.dataDir().resolve("stack")).timeScale(scale)
                         .personalizeStepMillis(Math.round(PENDING.toMillis() * scale))
                         .personalizeInProgressMillis(Math.round(settings.jobMinutes() * 60_000.0 * scale))
                         .routes(routes(settings)).logSink(log::println).build().start();
                 S3Client s3 = stack.s3Client();
                 SfnClient sfn = stack.sfnClient()) {
                return burst(settings, stack, s3, sfn);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("bench: cannot write to " + settings.dataDir(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BenchFailedException("the region bench was interrupted", e);
        }
    }

    /** The group and type of dataset {@code index}: the groups in turn, then the types. */
    static String group(int index) {
        return "market-" + (index % GROUPS + 1);
    }

    static String type(int index) {
        return TYPES.get(index / GROUPS);
    }

    /** The burst's route of each dataset, and in INCREMENTAL mode a FULL route beside it for its first import. */
    static String routes(Settings settings) {
        StringJoiner routes = new StringJoiner(",\n ", "[", "]");
        for (int d = 0; d < settings.datasets(); d++) {
            String arn = LocalStack.datasetArn(group(d), type(d));
            // Route names have at most 20 characters.
            String name = "m" + (d % GROUPS + 1) + "-" + SHORT_NAMES.get(d / GROUPS);
            routes.add("{\"name\":\"%s\",\"prefix\":\"%s\",\"datasetArn\":\"%s\",\"importMode\":\"%s\"}"
                    .formatted(name, prefix(settings.mode(), d), arn, settings.mode()));
            if (settings.mode() == Mode.INCREMENTAL) {
                routes.add("{\"name\":\"%s-base\",\"prefix\":\"%s\",\"datasetArn\":\"%s\",\"importMode\":\"FULL\"}"
                        .formatted(name, prefix(Mode.FULL, d), arn));
            }
        }
        return routes.toString();
    }

    private static String prefix(Mode mode, int dataset) {
        return mode.name().toLowerCase(Locale.ROOT) + "/" + group(dataset) + "/"
                + type(dataset).toLowerCase(Locale.ROOT) + "/";
    }

    private static Report burst(Settings settings, LocalStack stack, S3Client s3, SfnClient sfn)
            throws InterruptedException {
        // The bench's own looks at the ledger are not the pipeline's cost.
        Ledger ledger = new Ledger(stack.uncountedDynamoDbClient(), LocalStack.LEDGER_TABLE, Clock.systemUTC());
        if (settings.mode() == Mode.INCREMENTAL) {
            settings.progress().accept("Importing each of the " + settings.datasets() + " datasets in FULL first"
                    + " (not measured)");
            inParallel(settings.datasets(), d -> put(s3, prefix(Mode.FULL, d) + "base.csv", csv(type(d), 0)));
            awaitSettled(settings, ledger, Mode.FULL, settings.datasets());
            checkImported(settings, ledger, Mode.FULL);
            awaitNoExecutionRunning(sfn, stack);
        }
        Counts before = counts(stack);
        settings.progress().accept(String.format(Locale.ROOT, "Uploading %d %s files into %d datasets; a job lasts"
                        + " %d min (%.1f s here)", settings.files(), settings.mode(), settings.datasets(),
                settings.jobMinutes(), settings.jobMinutes() * 60 * settings.timeScale()));
        long firstUpload = Instant.now().toEpochMilli();
        inParallel(settings.files(), f -> put(s3, prefix(settings.mode(), f % settings.datasets())
                + String.format(Locale.ROOT, "%04d.csv", f), csv(type(f % settings.datasets()), f + 1)));
        long lastOutcome = awaitSettled(settings, ledger, settings.mode(), settings.files());
        checkImported(settings, ledger, settings.mode());
        settings.progress().accept("Every file has its outcome after " + (lastOutcome - firstUpload) + " ms; counting");
        awaitNoExecutionRunning(sfn, stack);
        List<ImportJobSpan> jobs = stack.personalize().importJobTimeline().stream()
                .filter(job -> job.createdMillis() >= firstUpload).toList();
        Counts after = counts(stack);
        long transitions = 0;
        for (ExecutionListItem execution : sfn.listExecutionsPaginator(request -> request
                .stateMachineArn(stack.stateMachineArn())).executions()) {
            if (execution.startDate().toEpochMilli() >= firstUpload) {
                transitions += stateTransitions(sfn.getExecutionHistoryPaginator(request -> request
                        .executionArn(execution.executionArn())).events().stream().toList());
            }
        }
        long requests = 0;
        double gbSeconds = 0;
        double describeGbSeconds = 0;
        long measuredPolls = 0;
        for (FunctionSettings function : FunctionSettings.values()) {
            FunctionStats was = before.functions().get(function.functionName());
            FunctionStats is = after.functions().get(function.functionName());
            requests += is.invocations() - was.invocations();
            double used = (is.runMillis() - was.runMillis()) / 1000.0 * function.memoryMb() / 1024.0;
            gbSeconds += used;
            if (function == FunctionSettings.DESCRIBE) {
                describeGbSeconds = used;
                measuredPolls = is.invocations() - was.invocations();
            }
        }
        // Each poll is a Wait, the describe Task and the Choice: priced as a real job of the modelled length is polled.
        Polls polls = new Polls(measuredPolls,
                jobs.size() * PollPolicy.defaults().pollsFor(Duration.ofMinutes(settings.jobMinutes())));
        long extraPolls = polls.modelled() - polls.measured();
        transitions += 3 * extraPolls;
        requests += extraPolls;
        gbSeconds += measuredPolls == 0 ? 0 : describeGbSeconds * extraPolls / measuredPolls;
        RequestUnits units = after.units().since(before.units());
        RunCosts costs = new RunCosts(settings.files(), transitions, requests, gbSeconds, units.read(), units.write(),
                after.events() - before.events());
        // The stack runs with the functions' default MAX_IMPORT_JOBS, the region's whole quota.
        int max = PipelineConfig.REGION_IMPORT_JOBS;
        return new Report(settings, max, jobs, QuotaUse.of(jobs, max, firstUpload, lastOutcome),
                stack.personalize().importJobStats(), costs, polls);
    }

    /**
     * The state transitions Step Functions bills for one execution's history: each state entered, and each retry of a
     * task (an attempt scheduled beyond the first of its entry).
     */
    static long stateTransitions(List<HistoryEvent> history) {
        long entered = 0;
        long tasksEntered = 0;
        long attempts = 0;
        for (HistoryEvent event : history) {
            String type = event.typeAsString();
            if (type.endsWith("StateEntered")) {
                entered++;
                tasksEntered += type.equals("TaskStateEntered") ? 1 : 0;
            } else if (type.equals("LambdaFunctionScheduled") || type.equals("TaskScheduled")) {
                attempts++;
            }
        }
        return entered + Math.max(0, attempts - tasksEntered);
    }

    private record Counts(Map<String, FunctionStats> functions, RequestUnits units, long events) {
    }

    private static Counts counts(LocalStack stack) {
        Map<String, FunctionStats> functions = new HashMap<>();
        stack.lambdaHost().stats().forEach(stats -> functions.put(stats.name(), stats));
        return new Counts(functions, stack.dynamoDb().requestUnits(), stack.eventBridge().events().size());
    }

    /** A file of dataset type {@code type}; {@code seed} makes each file's rows its own. */
    static byte[] csv(String type, int seed) {
        StringBuilder csv = new StringBuilder();
        long t = T0 + seed * 10_000L;
        switch (type) {
            case "INTERACTIONS" -> {
                csv.append("USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE,EVENT_VALUE\n");
                for (int i = 0; i < APPEND_ROWS; i++) {
                    csv.append('u').append(i % 97).append(",i").append(i % 31).append(',').append(t + i)
                            .append(",click,").append(i % 2 == 0 ? "1.5" : "").append('\n');
                }
            }
            case "ACTION_INTERACTIONS" -> {
                csv.append("USER_ID,ACTION_ID,TIMESTAMP,EVENT_TYPE\n");
                for (int i = 0; i < APPEND_ROWS; i++) {
                    csv.append('u').append(i % 41).append(",a").append(i % 12).append(',').append(t + i)
                            .append(i % 3 == 0 ? ",Taken\n" : ",Viewed\n");
                }
            }
            case "ITEMS" -> {
                csv.append("ITEM_ID,CATEGORY,PRICE,CREATION_TIMESTAMP\n");
                for (int i = 0; i < ROWS; i++) {
                    csv.append('i').append(i).append(i % 2 == 0 ? ",shoes," : ",hats,").append(4.5 + seed % 7)
                            .append(',').append(t).append('\n');
                }
            }
            case "USERS" -> {
                csv.append("USER_ID,MEMBERSHIP,AGE\n");
                for (int i = 0; i < ROWS; i++) {
                    csv.append('u').append(i).append(i % 2 == 0 ? ",gold," : ",basic,").append(18 + (i + seed) % 60)
                            .append('\n');
                }
            }
            case "ACTIONS" -> {
                csv.append("ACTION_ID,VALUE,CREATION_TIMESTAMP,CHANNEL\n");
                for (int i = 0; i < ROWS; i++) {
                    csv.append('a').append(i).append(',').append(1 + seed % 5).append(".0,").append(t)
                            .append(",EMAIL\n");
                }
            }
            default -> throw new IllegalArgumentException("no dataset type " + type);
        }
        return csv.toString().getBytes(StandardCharsets.UTF_8);
    }

    private interface Work {
        void run(int index) throws Exception;
    }

    private static void inParallel(int count, Work work) throws InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> results = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                int index = i;
                results.add(pool.submit(() -> {
                    work.run(index);
                    return null;
                }));
            }
            for (Future<?> result : results) {
                result.get();
            }
        } catch (ExecutionException e) {
            throw new BenchFailedException("uploading the burst failed: " + e.getCause().getMessage(), e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    private static void put(S3Client s3, String key, byte[] content) {
        s3.putObject(request -> request.bucket(LocalStack.BUCKET).key(key), RequestBody.fromBytes(content));
    }

    /**
     * Fails the run when a file under the mode's prefixes ended other than IMPORTED or SUPERSEDED: figures of a run whose
     * imports failed say nothing of the pipeline's.
     */
    private static void checkImported(Settings settings, Ledger ledger, Mode mode) {
        List<String> failed = new java.util.ArrayList<>();
        for (int d = 0; d < settings.datasets(); d++) {
            String prefix = prefix(mode, d);
            for (FileEntry file : ledger.files(LocalStack.datasetArn(group(d), type(d)))) {
                FileStatus status = file.standing().status();
                if (file.file().key().startsWith(prefix) && status != FileStatus.IMPORTED
                        && status != FileStatus.SUPERSEDED) {
                    failed.add(file.file().key() + " " + status + ": " + file.standing().reason());
                }
            }
        }
        if (!failed.isEmpty()) {
            throw new BenchFailedException(failed.size() + " " + mode + " files did not import, so the run measures"
                    + " nothing: " + failed.subList(0, Math.min(5, failed.size())), null);
        }
    }

    /** Waits until {@code count} files under the mode's prefixes have a final status; returns when it saw that. */
    private static long awaitSettled(Settings settings, Ledger ledger, Mode mode, int count)
            throws InterruptedException {
        Instant deadline = Instant.now().plus(TIMEOUT);
        int settled = 0;
        while (Instant.now().isBefore(deadline)) {
            settled = 0;
            for (int d = 0; d < settings.datasets(); d++) {
                String prefix = prefix(mode, d);
                for (FileEntry file : ledger.files(LocalStack.datasetArn(group(d), type(d)))) {
                    if (file.file().key().startsWith(prefix) && file.standing().status().isFinal()) {
                        settled++;
                    }
                }
            }
            if (settled >= count) {
                return Instant.now().toEpochMilli();
            }
            Thread.sleep(250);
        }
        throw new BenchFailedException("gave up after " + TIMEOUT.toMinutes() + " min: " + settled + " of " + count
                + " " + mode + " files have their outcome", null);
    }

    /** Waits until every execution has ended, so that what they still do after the files' outcomes is counted. */
    private static void awaitNoExecutionRunning(SfnClient sfn, LocalStack stack) throws InterruptedException {
        Instant deadline = Instant.now().plus(TIMEOUT);
        while (!sfn.listExecutions(request -> request.stateMachineArn(stack.stateMachineArn())
                .statusFilter(ExecutionStatus.RUNNING)).executions().isEmpty()) {
            if (Instant.now().isAfter(deadline)) {
                throw new BenchFailedException("gave up after " + TIMEOUT.toMinutes() + " min waiting for the"
                        + " executions to end", null);
            }
            Thread.sleep(250);
        }
    }
}
