package io.personalizeimport.local.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.personalizeimport.lambdas.FunctionSettings;
import io.personalizeimport.lambdas.domain.PollPolicy;
import io.personalizeimport.local.demo.DemoData;
import io.personalizeimport.local.lambda.ContainerSpec;
import io.personalizeimport.local.notifications.S3EventFormat;
import io.personalizeimport.local.stack.LocalStack;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.HistoryEvent;

/**
 * The measurements of {@code local/run bench} (issue 9), on a local stack of its own: cold starts of the trigger and
 * describe functions in fresh JVMs against a bare JVM that makes one HTTP call, warm invocations of every function,
 * the deployment packages, and the poll policy's costs.
 *
 * <p>Every function runs in a JVM of its own as the Lambda host would start its container (its jar, JVM options and
 * environment, from {@link io.personalizeimport.local.lambda.LambdaHost#containerSpec}), but under {@link Harness}
 * instead of the runtime interface client, which leaves the figures to the function. Each run does real work on new
 * data: a new object and sequencer for the trigger, an import job of its own for describe. Each import's execution is
 * followed to its end before the next measurement, so no execution competes with a measured JVM for the CPU.
 */
public final class Bench {

    /** Issue 9's bounds on the cold-start ratios to the bare JVM. */
    public static final double TRIGGER_GOAL = 1.5;
    public static final double DESCRIBE_GOAL = 1.3;

    /** The state machine's Wait and retry intervals run this much faster, so each import's execution takes moments. */
    static final double TIME_SCALE = 0.001;
    /** How long an emulated job stays in each of CREATE PENDING and CREATE IN_PROGRESS. */
    static final long STEP_MILLIS = 100;
    static final Duration EXECUTION_TIMEOUT = Duration.ofMinutes(2);
    static final String COLD_ROUTE = "interactions";
    static final String SERIALIZATION_JAR_PREFIX = "aws-lambda-java-serialization-";

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String STREAM_HANDLER = "com.amazonaws.services.lambda.runtime.RequestStreamHandler";

    /**
     * What to measure and where.
     *
     * @param root the repository checkout, whose built jars and state machine the stack runs
     * @param dataDir an empty folder for the stack's state, the harness and the JVMs' logs
     * @param runs fresh JVMs per cold-start figure
     * @param warm measured warm invocations per function, after a tenth as many (at least one) unmeasured
     * @param functionJvmOptions added after the options the Lambda host gives each function's JVM (never the bare
     *     JVM's): to see where a cold start goes, {@code -Xlog:class+load:file=<dir>/%p.log:uptime}
     */
    public record Settings(Path root, Path dataDir, int runs, int warm, List<String> functionJvmOptions,
                           Consumer<String> progress) {

        public Settings {
            Objects.requireNonNull(root, "root");
            Objects.requireNonNull(dataDir, "dataDir");
            functionJvmOptions = List.copyOf(functionJvmOptions);
            if (runs < 1 || warm < 1) {
                throw new IllegalArgumentException("runs and warm must be at least 1");
            }
        }

        int warmUp() {
            return Math.max(1, warm / 10);
        }
    }

    private final Settings settings;
    private final LocalStack stack;
    private final S3Client s3;
    private final SfnClient sfn;
    private final Path java;
    private final Path harness;
    private final Path logs;
    private final Map<FunctionSettings, ContainerSpec> specs = new EnumMap<>(FunctionSettings.class);
    private final Map<FunctionSettings, String> handlerTypes = new EnumMap<>(FunctionSettings.class);
    private final Map<String, String> csvByRoute = new LinkedHashMap<>();
    private final List<String> routes;
    private long sequence;
    private Integer statesPerImport;
    private int countedExecutions;

    private Bench(Settings settings, LocalStack stack, S3Client s3, SfnClient sfn) throws IOException {
        this.settings = settings;
        this.stack = stack;
        this.s3 = s3;
        this.sfn = sfn;
        this.java = ProcessHandle.current().info().command().map(Path::of)
                .orElseGet(() -> Path.of(System.getProperty("java.home"), "bin", "java"));
        this.logs = Files.createDirectories(settings.dataDir().resolve("logs"));
        this.harness = writeHarness(settings.dataDir().resolve("harness"));
        for (FunctionSettings function : FunctionSettings.values()) {
            Path taskRoot = Files.createDirectories(settings.dataDir().resolve("task").resolve(function.functionName()));
            ContainerSpec spec = stack.lambdaHost().containerSpec(function.functionName(), taskRoot);
            specs.put(function, spec);
            handlerTypes.put(function, handlerType(spec));
        }
        for (DemoData.DemoFile file : DemoData.files(DemoData.DEFAULT_SEED)) {
            String route = file.key().substring(0, file.key().indexOf('/'));
            if (file.key().equals(route + "/" + route + ".csv")) {
                csvByRoute.put(route, file.content());
            }
        }
        // Warm runs take the demo routes in turn, so that no dataset's ledger partition grows much longer than another.
        this.routes = List.copyOf(csvByRoute.keySet());
    }

    /**
     * Starts a local stack in {@code settings.dataDir()}, measures, and stops it. The stack's log, and whatever its
     * parts write to standard error meanwhile (the Personalize emulator does), go to {@code stack.log} there.
     */
    public static BenchReport run(Settings settings) {
        try {
            Files.createDirectories(settings.dataDir());
            try (PrintStream stackLog = new PrintStream(Files.newOutputStream(settings.dataDir().resolve("stack.log")),
                    true, StandardCharsets.UTF_8)) {
                PrintStream stderr = System.err;
                System.setErr(stackLog);
                try {
                    return run(settings, stackLog);
                } finally {
                    System.setErr(stderr);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("bench: cannot write to " + settings.dataDir(), e);
        }
    }

    private static BenchReport run(Settings settings, PrintStream stackLog) throws IOException {
        try (LocalStack stack = LocalStack.builder()
                .root(settings.root())
                .dataDir(settings.dataDir().resolve("stack"))
                .timeScale(TIME_SCALE)
                .personalizeStepMillis(STEP_MILLIS)
                .s3Notifications(false)
                .logSink(stackLog::println)
                .build()
                .start();
                S3Client s3 = stack.s3Client();
                SfnClient sfn = stack.sfnClient()) {
            return new Bench(settings, stack, s3, sfn).measure();
        }
    }

    private BenchReport measure() {
        settings.progress().accept("Local stack up in " + settings.dataDir() + "; cold starts: " + settings.runs()
                + " fresh JVMs per figure");
        List<BenchReport.ColdStart> cold = coldStarts();
        settings.progress().accept("Warm invocations: " + settings.warm() + " per function after "
                + settings.warmUp() + " unmeasured");
        List<BenchReport.Warm> warm = new ArrayList<>();
        warm.add(warmTrigger());
        warm.addAll(warmCreateDescribeLane());
        return new BenchReport(measured(), machine(), cold, warm, packages(),
                PollTable.of(PollPolicy.defaults(), statesPerImport));
    }

    private String measured() {
        return "Cold starts: a fresh JVM per run, timed from just before the process starts to just after it exits;"
                + " the ratio is the median over the baseline's median, a JVM that makes one HTTP request with"
                + " java.net.http to the local Personalize endpoint. A function's JVM has the options, environment and"
                + " deployment jar the Lambda host gives its containers, and runs the handler under a small harness"
                + " (the runtime interface client's own start-up is not counted): the trigger once for an S3 event of"
                + " a new object (preflight, ledger, CreateDatasetImportJob, StartExecution), describe once for a job"
                + " of its own. Warm: the handler's time per invocation in one JVM per function, taken by the harness."
                + " State transitions: " + PollTable.STATES_PER_POLL + " per poll and " + statesPerImport
                + " more per import, counted in the histories of the " + countedExecutions + " cold trigger runs'"
                + " executions.";
    }

    private BenchReport.Machine machine() {
        return new BenchReport.Machine(System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                + System.getProperty("os.arch"), Runtime.getRuntime().availableProcessors(), java.toString(),
                System.getProperty("java.runtime.version"), settings.runs(), settings.warm(), settings.warmUp(),
                settings.functionJvmOptions());
    }

    // ---- cold starts ----

    private List<BenchReport.ColdStart> coldStarts() {
        List<Long> bare = new ArrayList<>();
        ColdRuns trigger = new ColdRuns();
        ColdRuns describe = new ColdRuns();
        // Unmeasured: the first import starts the stack's own describe and lane containers, which its execution runs,
        // and brings the jars into the file cache, so that no measured run pays for either.
        awaitExecution(importing(cold(FunctionSettings.TRIGGER, newObjectEvent(COLD_ROUTE, "first")).invocation()
                .output()));
        for (int run = 1; run <= settings.runs(); run++) {
            bare.add(bareJvm());
            String executionArn = importing(trigger.add(cold(FunctionSettings.TRIGGER,
                    newObjectEvent(COLD_ROUTE, "cold-" + run))));
            JsonNode output = awaitExecution(executionArn);
            countStates(executionArn, output);
            JsonNode job = output.path("datasetImportJob");
            ObjectNode event = MAPPER.createObjectNode();
            event.putObject("input").put("datasetImportJobArn", job.path("datasetImportJobArn").asText());
            event.put("executionStartTime", Instant.now().toString());
            String status = json(describe.add(cold(FunctionSettings.DESCRIBE, event.toString())))
                    .path("datasetImportJob").path("status").asText();
            if (!"ACTIVE".equals(status)) {
                throw new BenchFailedException("describe saw job " + job.path("jobName").asText() + " " + status
                        + ", which its execution saw ACTIVE");
            }
            settings.progress().accept(String.format("  run %d of %d: bare JVM %.0f ms, trigger %.0f ms, describe %.0f ms",
                    run, settings.runs(), bare.getLast() / 1e6, trigger.process.getLast() / 1e6,
                    describe.process.getLast() / 1e6));
        }
        Samples baseline = Samples.ofNanos(bare);
        ContainerSpec describeSpec = specs.get(FunctionSettings.DESCRIBE);
        return List.of(
                new BenchReport.ColdStart("baseline", "a bare JVM that makes one HTTP request (java.net.http) and exits",
                        null, describeSpec.jvmOptions(), baseline, null, null, 1.0, null, null),
                trigger.figure("trigger", "JVM start, init and the first invocation: preflight, ledger, "
                        + "CreateDatasetImportJob, StartExecution", FunctionSettings.TRIGGER, baseline, TRIGGER_GOAL),
                describe.figure("describe", "JVM start, init and the first invocation: DescribeDatasetImportJob",
                        FunctionSettings.DESCRIBE, baseline, DESCRIBE_GOAL));
    }

    /** The runs of one cold-start figure. */
    private final class ColdRuns {
        private final List<Long> process = new ArrayList<>();
        private final List<Long> init = new ArrayList<>();
        private final List<Long> firstInvocation = new ArrayList<>();

        String add(ColdRun run) {
            process.add(run.processNanos());
            init.add(run.initNanos());
            firstInvocation.add(run.invocation().nanos());
            return run.invocation().output();
        }

        BenchReport.ColdStart figure(String name, String what, FunctionSettings function, Samples baseline,
                                     double goal) {
            Samples samples = Samples.ofNanos(process);
            double ratio = samples.median() / baseline.median();
            return new BenchReport.ColdStart(name, what, handlerTypes.get(function), functionJvmOptions(function),
                    samples, Samples.ofNanos(init), Samples.ofNanos(firstInvocation), ratio, goal, ratio <= goal);
        }
    }

    private record ColdRun(long processNanos, long initNanos, JvmProcess.Invocation invocation) {
    }

    private ColdRun cold(FunctionSettings function, String event) {
        try (JvmProcess jvm = harness(function)) {
            jvm.sendLast(event);
            long init = jvm.initNanos();
            JvmProcess.Invocation invocation = jvm.nextInvocation();
            return new ColdRun(jvm.finish(), init, invocation);
        }
    }

    private long bareJvm() {
        ContainerSpec spec = specs.get(FunctionSettings.DESCRIBE);
        List<String> command = new ArrayList<>();
        command.add(java.toString());
        command.addAll(spec.jvmOptions());
        command.addAll(List.of("-cp", harness.toString(), BareJvm.class.getName(),
                stack.personalize().endpoint().toString()));
        try (JvmProcess jvm = JvmProcess.start("bare", command, spec.environment(), logs.resolve("bare.log"))) {
            return jvm.finish();
        }
    }

    // ---- warm invocations ----

    private BenchReport.Warm warmTrigger() {
        List<Long> nanos = new ArrayList<>();
        try (JvmProcess trigger = harness(FunctionSettings.TRIGGER)) {
            trigger.initNanos();
            for (int i = 0; i < settings.warmUp() + settings.warm(); i++) {
                String route = routes.get(i % routes.size());
                JvmProcess.Invocation invocation = trigger.invoke(newObjectEvent(route, "warm-" + i));
                awaitExecution(importing(invocation.output()));
                if (i >= settings.warmUp()) {
                    nanos.add(invocation.nanos());
                }
            }
            trigger.finish();
        }
        settings.progress().accept("  trigger: " + nanos.size() + " invocations");
        return new BenchReport.Warm("trigger", "a new object on a free lane: preflight, ledger, "
                + "CreateDatasetImportJob, StartExecution", settings.warmUp(), Samples.ofNanos(nanos));
    }

    /**
     * The create, describe and lane tasks of operators' imports, run as the state machine would run them: create
     * places the import in its free lane and creates the job; describe polls it until it is ACTIVE; lane releases the
     * lane.
     */
    private List<BenchReport.Warm> warmCreateDescribeLane() {
        List<Long> creates = new ArrayList<>();
        List<Long> describes = new ArrayList<>();
        List<Long> releases = new ArrayList<>();
        try (JvmProcess create = harness(FunctionSettings.CREATE);
                JvmProcess describe = harness(FunctionSettings.DESCRIBE);
                JvmProcess lane = harness(FunctionSettings.LANE)) {
            create.initNanos();
            describe.initNanos();
            lane.initNanos();
            String stateMachineArn = stack.stateMachineArn();
            ObjectNode poll = null;
            for (int i = 0; i < settings.warmUp() + settings.warm(); i++) {
                boolean measured = i >= settings.warmUp();
                String route = routes.get(i % routes.size());
                String key = upload(route, "operator-" + i).key();
                String executionName = "bench-operator-" + i;
                String started = Instant.now().toString();
                ObjectNode request = MAPPER.createObjectNode();
                request.putObject("input").put("bucket", LocalStack.BUCKET).put("key", key);
                request.put("executionName", executionName).put("executionStartTime", started)
                        .put("stateMachineArn", stateMachineArn);
                JvmProcess.Invocation created = create.invoke(request.toString());
                JsonNode state = json(created.output());
                if (!state.hasNonNull("datasetImportJobArn") || !state.hasNonNull("lane")) {
                    throw new BenchFailedException("create did not start " + key + " on a free lane: "
                            + created.output());
                }
                poll = MAPPER.createObjectNode();
                poll.set("input", state);
                poll.put("executionStartTime", started);
                String status = "";
                while (!"ACTIVE".equals(status)) {
                    JvmProcess.Invocation described = describe.invoke(poll.toString());
                    status = json(described.output()).path("datasetImportJob").path("status").asText();
                    if ("CREATE FAILED".equals(status)) {
                        throw new BenchFailedException("The import of " + key + " failed: " + described.output());
                    }
                    if (measured) {
                        describes.add(described.nanos());
                    }
                    pause(Duration.ofMillis(20));
                }
                ObjectNode release = MAPPER.createObjectNode();
                release.set("input", state);
                release.putObject("verdict").put("outcome", "IMPORTED");
                release.put("executionName", executionName).put("stateMachineArn", stateMachineArn);
                JvmProcess.Invocation released = lane.invoke(release.toString());
                if (!"IMPORTED".equals(json(released.output()).path("outcome").asText())) {
                    throw new BenchFailedException("lane did not record " + key + " as imported: " + released.output());
                }
                if (measured) {
                    creates.add(created.nanos());
                    releases.add(released.nanos());
                }
            }
            while (describes.size() < settings.warm()) {
                describes.add(describe.invoke(poll.toString()).nanos());
            }
            create.finish();
            describe.finish();
            lane.finish();
        }
        settings.progress().accept("  create, describe, lane: " + creates.size() + " imports");
        return List.of(
                new BenchReport.Warm("create", "an operator's import: ledger, lane claim, preflight, "
                        + "CreateDatasetImportJob", settings.warmUp(), Samples.ofNanos(creates)),
                new BenchReport.Warm("describe", "DescribeDatasetImportJob of a running or finished job",
                        settings.warmUp(), Samples.ofNanos(describes.subList(0, settings.warm()))),
                new BenchReport.Warm("lane", "an import's release: the file's outcome, the lane freed, nothing next",
                        settings.warmUp(), Samples.ofNanos(releases)));
    }

    // ---- deployment packages ----

    /** Each function's jar as the local stack registered it: the one place that names it. */
    private List<BenchReport.DeploymentPackage> packages() {
        List<BenchReport.DeploymentPackage> packages = new ArrayList<>();
        for (FunctionSettings function : FunctionSettings.values()) {
            Path jar = specs.get(function).codeJar();
            List<String> sharing = specs.entrySet().stream()
                    .filter(other -> other.getKey() != function && other.getValue().codeJar().equals(jar))
                    .map(other -> other.getKey().functionName()).toList();
            try {
                packages.add(new BenchReport.DeploymentPackage(function.functionName(),
                        relative(jar), Files.size(jar), sharing));
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read the size of " + jar, e);
            }
        }
        return packages;
    }

    private String relative(Path path) {
        Path root = settings.root().toAbsolutePath().normalize();
        Path absolute = path.toAbsolutePath().normalize();
        return absolute.startsWith(root) ? root.relativize(absolute).toString() : absolute.toString();
    }

    // ---- the JVMs ----

    /**
     * A function's handler under the harness, as the Lambda host would start its container: the function's jar first,
     * then the harness, then for a POJO handler the serialization library the runtime interface client would use.
     */
    private JvmProcess harness(FunctionSettings function) {
        ContainerSpec spec = specs.get(function);
        List<Path> classpath = new ArrayList<>(List.of(spec.codeJar(), harness));
        if (!handlerTypes.get(function).startsWith("RequestStreamHandler")) {
            classpath.add(stack.lambdaHost().runtimeClasspath().stream()
                    .filter(jar -> jar.getFileName().toString().startsWith(SERIALIZATION_JAR_PREFIX))
                    .findFirst()
                    .orElseThrow(() -> new BenchFailedException("No " + SERIALIZATION_JAR_PREFIX + "*.jar beside the"
                            + " runtime interface client " + stack.lambdaHost().runtimeClasspath())));
        }
        List<String> command = new ArrayList<>();
        command.add(java.toString());
        command.addAll(functionJvmOptions(function));
        command.add("-cp");
        command.add(classpath.stream().map(Path::toString).collect(Collectors.joining(File.pathSeparator)));
        command.add(Harness.class.getName());
        command.add(spec.handlerClass());
        return JvmProcess.start(function.functionName(), command, spec.environment(),
                logs.resolve(function.functionName() + ".log"));
    }

    /** The options of the function's JVMs: the Lambda host's, then the ones the bench was given. */
    private List<String> functionJvmOptions(FunctionSettings function) {
        List<String> options = new ArrayList<>(specs.get(function).jvmOptions());
        options.addAll(settings.functionJvmOptions());
        return options;
    }

    /**
     * The handler's interface as Lambda's runtime reads it, e.g. {@code RequestHandler<S3Event, String>}: whether the
     * runtime hands it bytes or deserializes its event. Read without initializing the class.
     */
    private static String handlerType(ContainerSpec spec) {
        try (URLClassLoader loader = new URLClassLoader(new URL[] {spec.codeJar().toUri().toURL()},
                ClassLoader.getPlatformClassLoader())) {
            Class<?> type = Class.forName(spec.handlerClass(), false, loader);
            for (var candidate : type.getGenericInterfaces()) {
                String name = candidate.getTypeName();
                if (name.startsWith("com.amazonaws.services.lambda.runtime.Request")) {
                    return name.replaceAll("[a-z0-9_]+(\\.[a-z0-9_]+)*\\.([A-Z])", "$2");
                }
            }
            throw new BenchFailedException(spec.handlerClass() + " implements neither " + STREAM_HANDLER
                    + " nor RequestHandler");
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + spec.codeJar(), e);
        } catch (ClassNotFoundException e) {
            throw new BenchFailedException("No " + spec.handlerClass() + " in " + spec.codeJar(), e);
        }
    }

    /** The harness's classes, copied from this module into a folder of their own: the JVMs get nothing else of it. */
    private static Path writeHarness(Path dir) throws IOException {
        for (Class<?> type : Stream.concat(Stream.of(Harness.class.getNestMembers()), Stream.of(BareJvm.class))
                .toList()) {
            String resource = type.getName().replace('.', '/') + ".class";
            Path target = dir.resolve(resource);
            Files.createDirectories(target.getParent());
            try (InputStream in = Objects.requireNonNull(Bench.class.getClassLoader().getResourceAsStream(resource),
                    resource)) {
                Files.copy(in, target);
            }
        }
        return dir;
    }

    // ---- data and executions ----

    private record Upload(String key, PutObjectResponse response, long size) {
    }

    private Upload upload(String route, String name) {
        String csv = csvByRoute.get(route);
        String key = route + "/bench-" + name + ".csv";
        PutObjectResponse response = s3.putObject(request -> request.bucket(LocalStack.BUCKET).key(key),
                RequestBody.fromString(csv));
        return new Upload(key, response, csv.getBytes(StandardCharsets.UTF_8).length);
    }

    /** The S3 event of a new object under the route's prefix, with a sequencer no earlier event had. */
    private String newObjectEvent(String route, String name) {
        Upload upload = upload(route, name);
        S3EventFormat.ObjectWrite write = new S3EventFormat.ObjectWrite(LocalStack.BUCKET, upload.key(),
                upload.size(), upload.response().eTag().replace("\"", ""), S3EventFormat.sequencer(++sequence),
                Instant.now());
        return S3EventFormat.objectCreated(write, route, new S3EventFormat.Origin(LocalStack.REGION, "A1BENCH"))
                .toString();
    }

    /** The execution the trigger started for its one record, which must have created the job on a free lane. */
    private static String importing(String triggerOutput) {
        JsonNode summary = json(triggerOutput);
        // A RequestHandler<S3Event, String> returns its summary as a JSON string.
        JsonNode record = (summary.isTextual() ? json(summary.asText()) : summary).path("records").path(0);
        if (!"IMPORTING".equals(record.path("outcome").asText()) || !record.hasNonNull("executionArn")) {
            throw new BenchFailedException("The trigger did not start an import of a new file on a free lane: "
                    + triggerOutput);
        }
        return record.path("executionArn").asText();
    }

    /** Follows an import's execution to its end, which frees its lane; returns its output. */
    private JsonNode awaitExecution(String executionArn) {
        Instant until = Instant.now().plus(EXECUTION_TIMEOUT);
        DescribeExecutionResponse execution = sfn.describeExecution(request -> request.executionArn(executionArn));
        while (execution.status() == ExecutionStatus.RUNNING) {
            if (Instant.now().isAfter(until)) {
                throw new BenchFailedException("Execution " + executionArn + " still runs after " + EXECUTION_TIMEOUT);
            }
            pause(Duration.ofMillis(20));
            execution = sfn.describeExecution(request -> request.executionArn(executionArn));
        }
        if (execution.status() != ExecutionStatus.SUCCEEDED) {
            throw new BenchFailedException("Execution " + executionArn + " ended " + execution.statusAsString() + ": "
                    + execution.error() + ": " + execution.cause());
        }
        return json(execution.output());
    }

    /**
     * The states an import's execution entered besides those of its polls ({@value PollTable#STATES_PER_POLL} each, no
     * Wait after the last), from its history: the same for every import, or the poll table would not hold.
     */
    private void countStates(String executionArn, JsonNode output) {
        int polls = output.path("datasetImportJob").path("polls").asInt();
        long entered = sfn.getExecutionHistoryPaginator(request -> request.executionArn(executionArn).maxResults(1000))
                .events().stream().map(HistoryEvent::stateEnteredEventDetails).filter(Objects::nonNull).count();
        int others = (int) (entered - PollTable.transitions(polls, 0));
        if (statesPerImport != null && statesPerImport != others) {
            throw new BenchFailedException("Execution " + executionArn + " entered " + entered + " states for " + polls
                    + " polls, so " + others + " besides them, an earlier import " + statesPerImport
                    + ": the state machine's path is not the one the poll table counts");
        }
        statesPerImport = others;
        countedExecutions++;
    }

    private static JsonNode json(String text) {
        try {
            return MAPPER.readTree(text);
        } catch (IOException e) {
            throw new BenchFailedException("Not JSON: " + text, e);
        }
    }

    private static void pause(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BenchFailedException("Interrupted", e);
        }
    }
}
