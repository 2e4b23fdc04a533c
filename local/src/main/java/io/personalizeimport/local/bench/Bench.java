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
import java.io.IOException;
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
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.personalize.PersonalizeClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.HistoryEvent;

/**
 * The measurements of {@code local/run bench} (issues 9 and 18), on a local stack of its own: each function's first
 * invocation in fresh JVMs, unprimed (a cold start, against a bare JVM that makes one HTTP call) and primed (its CRaC
 * hooks run first, as SnapStart runs them before its snapshot), warm invocations of every function, the deployment
 * packages, and the poll policy's costs.
 *
 * <p>Every function runs in a JVM of its own as the Lambda host would start its container (its jar, JVM options and
 * environment, from {@link io.personalizeimport.local.lambda.LambdaHost#containerSpec}), but under {@link Harness}
 * instead of the runtime interface client, which leaves the figures to the function. Each run does real work on new
 * data: a new object and sequencer for the trigger, that import's job for describe, an operator's import of its own for
 * create, finish and recover. Each import's execution is followed to its end before the next measurement, so no execution
 * competes with a measured JVM for the CPU.
 */
public final class Bench {

    /** Issue 18's bound on each function's unprimed cold start over the bare JVM's. */
    public static final double COLD_GOAL = 2.0;
    /** Issue 18's bound on each function's primed first invocation over its warm p50. */
    public static final double PRIMED_GOAL = 3.0;
    /** Issue 18's bound on each deployment package: 12 MB of 10^6 bytes, as the packages' budgets count. */
    public static final long PACKAGE_GOAL_BYTES = 12_000_000;

    /** The state machine's Wait and retry intervals run this much faster, so each import's execution takes moments. */
    static final double TIME_SCALE = 0.001;
    /** How long an emulated job stays in each of CREATE PENDING and CREATE IN_PROGRESS. */
    static final long STEP_MILLIS = 100;
    static final Duration EXECUTION_TIMEOUT = Duration.ofMinutes(2);
    static final String COLD_ROUTE = "interactions";

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String STREAM_HANDLER = "com.amazonaws.services.lambda.runtime.RequestStreamHandler";

    /**
     * What to measure and where.
     *
     * @param root the repository checkout, whose built jars and state machine the stack runs
     * @param dataDir an empty folder for the stack's state, the harness and the JVMs' logs
     * @param runs fresh JVMs per first-call figure
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
    private final PersonalizeClient personalize;
    private final Path java;
    private final HarnessCommand harness;
    private final Path logs;
    private final Map<FunctionSettings, ContainerSpec> specs = new EnumMap<>(FunctionSettings.class);
    private final Map<FunctionSettings, String> handlerTypes = new EnumMap<>(FunctionSettings.class);
    private final Map<String, String> csvByRoute = new LinkedHashMap<>();
    private final List<String> routes;
    private long sequence;
    private Integer statesPerImport;
    private int countedExecutions;

    private Bench(Settings settings, LocalStack stack, S3Client s3, SfnClient sfn, PersonalizeClient personalize)
            throws IOException {
        this.settings = settings;
        this.stack = stack;
        this.s3 = s3;
        this.sfn = sfn;
        this.personalize = personalize;
        this.java = ProcessHandle.current().info().command().map(Path::of)
                .orElseGet(() -> Path.of(System.getProperty("java.home"), "bin", "java"));
        this.logs = Files.createDirectories(settings.dataDir().resolve("logs"));
        List<Path> runtime = stack.lambdaHost().runtimeClasspath();
        this.harness = new HarnessCommand(java, HarnessCommand.writeHarness(settings.dataDir().resolve("harness")),
                runtime, HarnessCommand.unpackNativeClient(runtime, settings.dataDir().resolve("runtime")));
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
                SfnClient sfn = stack.sfnClient();
                PersonalizeClient personalize = stack.personalizeClient()) {
            return new Bench(settings, stack, s3, sfn, personalize).measure();
        }
    }

    private BenchReport measure() {
        settings.progress().accept("Local stack up in " + settings.dataDir() + "; first calls: " + settings.runs()
                + " fresh JVMs per function, unprimed and primed");
        List<Long> bare = new ArrayList<>();
        FirstCalls unprimed = new FirstCalls();
        FirstCalls primed = new FirstCalls();
        firstCalls(bare, unprimed, primed);
        settings.progress().accept("Warm invocations: " + settings.warm() + " per function after "
                + settings.warmUp() + " unmeasured");
        List<BenchReport.Warm> warm = new ArrayList<>();
        warm.add(warmTrigger());
        warm.addAll(warmOperatorImports());
        return new BenchReport(measured(), machine(), coldStarts(bare, unprimed), primedStarts(primed, warm), warm,
                packages(), PollTable.of(PollPolicy.defaults(), statesPerImport));
    }

    private String measured() {
        return "Cold starts: a fresh JVM per run, timed from just before the process starts to just after it exits;"
                + " the ratio is the median over the baseline's median, a JVM that makes one HTTP request with"
                + " java.net.http to the local Personalize endpoint. A function's JVM has the options, environment and"
                + " deployment jar the Lambda host gives its containers, and runs the handler under a small harness"
                + " (the runtime interface client's own start-up is not counted), once per run: the trigger for an S3"
                + " event of a new object (preflight, ledger, CreateDatasetImportJob, StartExecution), describe for"
                + " that import's job, create, finish and recover for an operator's import of their own (create, the job"
                + " followed to ACTIVE, finish's verdict, recover on the execution's status change). Primed first calls: the same work in another fresh JVM per run that"
                + " also has " + String.join(" ", harness.primingOptions()) + " and the runtime interface client's"
                + " jar, as Lambda's Java runtimes start a SnapStart function; after init the harness runs the CRaC"
                + " hooks the handler registered as the runtime interface client does before a snapshot"
                + " (Core.getGlobalContext().beforeCheckpoint(null) of its own CRaC package, then afterRestore),"
                + " untimed, then times the first invocation; the ratio is its median over the function's warm p50."
                + " Warm: the handler's time per invocation in one JVM per function, taken by the harness. State"
                + " transitions: " + PollTable.STATES_PER_POLL + " per poll and " + statesPerImport + " more per"
                + " import, counted in the histories of the " + countedExecutions + " first-call trigger runs'"
                + " executions.";
    }

    private BenchReport.Machine machine() {
        return new BenchReport.Machine(System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                + System.getProperty("os.arch"), Runtime.getRuntime().availableProcessors(), java.toString(),
                System.getProperty("java.runtime.version"), settings.runs(), settings.warm(), settings.warmUp(),
                settings.functionJvmOptions());
    }

    /**
     * What one invocation of the function does in the bench, warm or first. Every function the stack registers needs
     * one, and the events to go with it: a new function is measured once the bench knows how to invoke it.
     */
    private static String work(FunctionSettings function) {
        return switch (function) {
            case TRIGGER -> "a new object on a free lane: preflight, ledger, CreateDatasetImportJob, StartExecution";
            case CREATE -> "an operator's import: ledger, lane claim, preflight, CreateDatasetImportJob";
            case DESCRIBE -> "DescribeDatasetImportJob of a running or finished job";
            case FINISH -> "an import's verdict: the file's outcome, the lane freed, nothing next";
            case RECOVER -> "the status change of an execution that released its lane: nothing to resume";
            case PUBLISH -> "a scheduled drain of every routed dataset's outbox, published already";
        };
    }

    // ---- first calls: unprimed (cold starts) and primed ----

    /** One function's first invocation in a fresh JVM; {@code primed} is null for an unprimed one. */
    private record FirstCall(long processNanos, long initNanos, JvmProcess.Primed primed,
                             JvmProcess.Invocation invocation) {
    }

    /** The first calls of each function, of one kind, run after run. */
    private static final class FirstCalls {
        private final Map<FunctionSettings, List<FirstCall>> calls = new EnumMap<>(FunctionSettings.class);

        /** Keeps the call; returns the handler's output. */
        String add(FunctionSettings function, FirstCall call) {
            calls.computeIfAbsent(function, ignored -> new ArrayList<>()).add(call);
            return call.invocation().output();
        }

        List<FirstCall> of(FunctionSettings function) {
            List<FirstCall> runs = calls.get(function);
            if (runs == null) {
                throw new BenchFailedException("The bench made no first call of " + function.functionName()
                        + ", which the stack registers");
            }
            return runs;
        }

        long lastInvocationNanos(FunctionSettings function) {
            return of(function).getLast().invocation().nanos();
        }
    }

    private void firstCalls(List<Long> bare, FirstCalls unprimed, FirstCalls primed) {
        // Unmeasured: the first import starts the stack's own describe and finish containers, which its execution runs,
        // and brings the jars into the file cache, so that no measured run pays for either.
        awaitExecution(importing(firstCall(FunctionSettings.TRIGGER, false, newObjectEvent(COLD_ROUTE, "first"))
                .invocation().output()));
        for (int run = 1; run <= settings.runs(); run++) {
            bare.add(bareJvm());
            importByTrigger(unprimed, false, "cold-" + run);
            importByOperator(unprimed, false, "cold-" + run);
            importByTrigger(primed, true, "primed-" + run);
            importByOperator(primed, true, "primed-" + run);
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "  run %d of %d: bare JVM %.0f ms",
                    run, settings.runs(), bare.getLast() / 1e6));
            for (FunctionSettings function : FunctionSettings.values()) {
                line.append(String.format(Locale.ROOT, "; %s cold %.0f ms (first call %.0f ms), primed first call"
                        + " %.1f ms", function.functionName(), unprimed.of(function).getLast().processNanos() / 1e6,
                        unprimed.lastInvocationNanos(function) / 1e6, primed.lastInvocationNanos(function) / 1e6));
            }
            settings.progress().accept(line.toString());
        }
    }

    /** The trigger's first call for a new object, its import's execution to the end, describe's first call on it. */
    private void importByTrigger(FirstCalls calls, boolean primed, String name) {
        String executionArn = importing(calls.add(FunctionSettings.TRIGGER,
                firstCall(FunctionSettings.TRIGGER, primed, newObjectEvent(COLD_ROUTE, name))));
        JsonNode output = awaitExecution(executionArn);
        countStates(executionArn, output);
        JsonNode job = output.path("datasetImportJob");
        ObjectNode event = MAPPER.createObjectNode();
        event.putObject("input").put("datasetImportJobArn", job.path("datasetImportJobArn").asText());
        event.put("executionStartTime", Instant.now().toString());
        String status = json(calls.add(FunctionSettings.DESCRIBE,
                firstCall(FunctionSettings.DESCRIBE, primed, event.toString())))
                .path("datasetImportJob").path("status").asText();
        if (!"ACTIVE".equals(status)) {
            throw new BenchFailedException("describe saw job " + job.path("jobName").asText() + " " + status
                    + ", which its execution saw ACTIVE");
        }
    }

    /**
     * An operator's import as the state machine runs it: create's first call, the job to ACTIVE, finish's first call,
     * then recover's first call on the ended execution's status change.
     */
    private void importByOperator(FirstCalls calls, boolean primed, String name) {
        OperatorImport operator = operatorImport(COLD_ROUTE, "operator-" + name);
        JsonNode state = operator.created(calls.add(FunctionSettings.CREATE,
                firstCall(FunctionSettings.CREATE, primed, operator.request())));
        awaitJob(operator.key(), state.path("datasetImportJobArn").asText());
        operator.released(calls.add(FunctionSettings.FINISH,
                firstCall(FunctionSettings.FINISH, primed, operator.release(state))));
        operator.unrecovered(calls.add(FunctionSettings.RECOVER,
                firstCall(FunctionSettings.RECOVER, primed, operator.statusChange(state))));
        calls.add(FunctionSettings.PUBLISH, firstCall(FunctionSettings.PUBLISH, primed, SCHEDULED_EVENT));
    }

    /** The event of the publish function's schedule rule. */
    private static final String SCHEDULED_EVENT = "{\"version\":\"0\",\"id\":\"bench\",\"detail-type\":"
            + "\"Scheduled Event\",\"source\":\"aws.events\",\"resources\":[],\"detail\":{}}";

    private FirstCall firstCall(FunctionSettings function, boolean primed, String event) {
        try (JvmProcess jvm = harness(function, primed)) {
            jvm.sendLast(event);
            long init = jvm.initNanos();
            JvmProcess.Primed priming = primed ? jvm.primed() : null;
            JvmProcess.Invocation invocation = jvm.nextInvocation();
            return new FirstCall(jvm.finish(), init, priming, invocation);
        }
    }

    private List<BenchReport.ColdStart> coldStarts(List<Long> bare, FirstCalls unprimed) {
        Samples baseline = Samples.ofNanos(bare);
        List<BenchReport.ColdStart> figures = new ArrayList<>();
        figures.add(new BenchReport.ColdStart("baseline", "a bare JVM that makes one HTTP request (java.net.http) and"
                + " exits", null, specs.get(FunctionSettings.DESCRIBE).jvmOptions(), baseline, null, null, 1.0, null,
                null));
        for (FunctionSettings function : FunctionSettings.values()) {
            List<FirstCall> calls = unprimed.of(function);
            Samples process = Samples.ofNanos(calls.stream().map(FirstCall::processNanos).toList());
            double ratio = process.median() / baseline.median();
            figures.add(new BenchReport.ColdStart(function.functionName(), "JVM start, init and the first invocation: "
                    + work(function), handlerTypes.get(function), functionJvmOptions(function), process,
                    Samples.ofNanos(calls.stream().map(FirstCall::initNanos).toList()),
                    Samples.ofNanos(calls.stream().map(call -> call.invocation().nanos()).toList()), ratio, COLD_GOAL,
                    ratio <= COLD_GOAL));
        }
        return figures;
    }

    private static List<BenchReport.PrimedStart> primedStarts(FirstCalls primed, List<BenchReport.Warm> warm) {
        List<BenchReport.PrimedStart> figures = new ArrayList<>();
        for (FunctionSettings function : FunctionSettings.values()) {
            List<FirstCall> calls = primed.of(function);
            Samples first = Samples.ofNanos(calls.stream().map(call -> call.invocation().nanos()).toList());
            double warmP50 = warm.stream().filter(figure -> figure.function().equals(function.functionName()))
                    .findFirst()
                    .orElseThrow(() -> new BenchFailedException("No warm figure of " + function.functionName()))
                    .invocations().median();
            double ratio = first.median() / warmP50;
            figures.add(new BenchReport.PrimedStart(function.functionName(), first,
                    Samples.ofNanos(calls.stream().map(call -> call.primed().nanos()).toList()),
                    calls.stream().map(call -> call.primed().classes()).toList(), warmP50, ratio, PRIMED_GOAL,
                    ratio <= PRIMED_GOAL));
        }
        return figures;
    }

    private long bareJvm() {
        ContainerSpec spec = specs.get(FunctionSettings.DESCRIBE);
        List<String> command = new ArrayList<>();
        command.add(java.toString());
        command.addAll(spec.jvmOptions());
        command.addAll(List.of("-cp", harness.harness().toString(), BareJvm.class.getName(),
                stack.personalize().endpoint().toString()));
        try (JvmProcess jvm = JvmProcess.start("bare", command, spec.environment(), logs.resolve("bare.log"))) {
            return jvm.finish();
        }
    }

    // ---- warm invocations ----

    private BenchReport.Warm warmTrigger() {
        List<Long> nanos = new ArrayList<>();
        try (JvmProcess trigger = harness(FunctionSettings.TRIGGER, false)) {
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
        return warm(FunctionSettings.TRIGGER, nanos);
    }

    /**
     * The create, describe and verdict tasks of operators' imports, run as the state machine would run them, and the
     * recovery function on each ended execution: create places the import in its free lane and creates the job;
     * describe polls it until it is ACTIVE; finish records the verdict and releases the lane; recover finds it released.
     */
    private List<BenchReport.Warm> warmOperatorImports() {
        List<Long> creates = new ArrayList<>();
        List<Long> describes = new ArrayList<>();
        List<Long> releases = new ArrayList<>();
        List<Long> recoveries = new ArrayList<>();
        List<Long> publishes = new ArrayList<>();
        try (JvmProcess create = harness(FunctionSettings.CREATE, false);
                JvmProcess describe = harness(FunctionSettings.DESCRIBE, false);
                JvmProcess finish = harness(FunctionSettings.FINISH, false);
                JvmProcess recover = harness(FunctionSettings.RECOVER, false);
                JvmProcess publish = harness(FunctionSettings.PUBLISH, false)) {
            create.initNanos();
            describe.initNanos();
            finish.initNanos();
            recover.initNanos();
            publish.initNanos();
            String poll = null;
            for (int i = 0; i < settings.warmUp() + settings.warm(); i++) {
                boolean measured = i >= settings.warmUp();
                OperatorImport operator = operatorImport(routes.get(i % routes.size()), "operator-" + i);
                JvmProcess.Invocation created = create.invoke(operator.request());
                JsonNode state = operator.created(created.output());
                poll = operator.poll(state);
                String status = "";
                while (!"ACTIVE".equals(status)) {
                    JvmProcess.Invocation described = describe.invoke(poll);
                    status = json(described.output()).path("datasetImportJob").path("status").asText();
                    if ("CREATE FAILED".equals(status)) {
                        throw new BenchFailedException("The import of " + operator.key() + " failed: "
                                + described.output());
                    }
                    if (measured) {
                        describes.add(described.nanos());
                    }
                    pause(Duration.ofMillis(20));
                }
                JvmProcess.Invocation released = finish.invoke(operator.release(state));
                operator.released(released.output());
                JvmProcess.Invocation recovered = recover.invoke(operator.statusChange(state));
                operator.unrecovered(recovered.output());
                JvmProcess.Invocation published = publish.invoke(SCHEDULED_EVENT);
                if (measured) {
                    creates.add(created.nanos());
                    releases.add(released.nanos());
                    recoveries.add(recovered.nanos());
                    publishes.add(published.nanos());
                }
            }
            while (describes.size() < settings.warm()) {
                describes.add(describe.invoke(poll).nanos());
            }
            create.finish();
            describe.finish();
            finish.finish();
            recover.finish();
            publish.finish();
        }
        settings.progress().accept("  create, describe, finish, recover, publish: " + creates.size() + " imports");
        return List.of(warm(FunctionSettings.CREATE, creates),
                warm(FunctionSettings.DESCRIBE, describes.subList(0, settings.warm())),
                warm(FunctionSettings.FINISH, releases), warm(FunctionSettings.RECOVER, recoveries),
                warm(FunctionSettings.PUBLISH, publishes));
    }

    private BenchReport.Warm warm(FunctionSettings function, List<Long> nanos) {
        return new BenchReport.Warm(function.functionName(), work(function), settings.warmUp(), Samples.ofNanos(nanos));
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
                long bytes = Files.size(jar);
                packages.add(new BenchReport.DeploymentPackage(function.functionName(), relative(jar), bytes, sharing,
                        PACKAGE_GOAL_BYTES, bytes <= PACKAGE_GOAL_BYTES));
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
     * A function's handler under the harness, as the Lambda host would start its container or, {@code primed}, as
     * Lambda would start it for a SnapStart snapshot ({@link HarnessCommand}).
     */
    private JvmProcess harness(FunctionSettings function, boolean primed) {
        ContainerSpec spec = specs.get(function);
        List<String> command = harness.command(spec.codeJar(), spec.handlerClass(),
                !handlerTypes.get(function).startsWith("RequestStreamHandler"), functionJvmOptions(function), primed);
        String name = primed ? function.functionName() + "-primed" : function.functionName();
        return JvmProcess.start(name, command, spec.environment(), logs.resolve(name + ".log"));
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
            // The handler or a class it extends, as a task's handler extends TaskHandler.
            for (Class<?> type = Class.forName(spec.handlerClass(), false, loader); type != null;
                    type = type.getSuperclass()) {
                for (var candidate : type.getGenericInterfaces()) {
                    String name = candidate.getTypeName();
                    if (name.startsWith("com.amazonaws.services.lambda.runtime.Request")) {
                        return name.replaceAll("[a-z0-9_]+(\\.[a-z0-9_]+)*\\.([A-Z])", "$2");
                    }
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

    /** An operator's import of a new object under the route's prefix, as the state machine hands it to its tasks. */
    private record OperatorImport(String key, String executionName, String started, String stateMachineArn) {

        /** create's input: the object to import. */
        String request() {
            ObjectNode request = MAPPER.createObjectNode();
            request.putObject("input").put("bucket", LocalStack.BUCKET).put("key", key);
            request.put("executionName", executionName).put("executionStartTime", started)
                    .put("stateMachineArn", stateMachineArn);
            return request.toString();
        }

        /** create's result, which must have placed the import in its free lane and created the job. */
        JsonNode created(String output) {
            JsonNode state = json(output);
            if (!state.hasNonNull("datasetImportJobArn") || !state.hasNonNull("lane")) {
                throw new BenchFailedException("create did not start " + key + " on a free lane: " + output);
            }
            return state;
        }

        /** describe's input for the job. */
        String poll(JsonNode state) {
            ObjectNode poll = MAPPER.createObjectNode();
            poll.set("input", state);
            poll.put("executionStartTime", started);
            return poll.toString();
        }

        /** finish's input once the job is ACTIVE, as describe last saw it: the import's verdict. */
        String release(JsonNode state) {
            ObjectNode ended = state.deepCopy();
            ended.putObject("monitor").putObject("datasetImportJob").put("status", "ACTIVE")
                    .put("datasetImportJobArn", state.path("datasetImportJobArn").asText());
            ObjectNode release = MAPPER.createObjectNode();
            release.set("input", ended);
            release.put("executionName", executionName).put("stateMachineArn", stateMachineArn);
            return release.toString();
        }

        /** finish's result, which must have succeeded and released the file's lane. */
        void released(String output) {
            JsonNode verdict = json(output);
            if (!verdict.path("succeeded").asBoolean() || !verdict.path("output").path("files").isArray()) {
                throw new BenchFailedException("finish did not record " + key + " as imported: " + output);
            }
        }

        /** recover's input: the status change EventBridge sends for the execution, as if it had failed at its end. */
        String statusChange(JsonNode state) {
            ObjectNode event = MAPPER.createObjectNode().put("version", "0")
                    .put("detail-type", "Step Functions Execution Status Change").put("source", "aws.states");
            event.putObject("detail").put("name", executionName).put("stateMachineArn", stateMachineArn)
                    .put("status", "FAILED").put("input", state.toString());
            return event.toString();
        }

        /** recover's result, which must have found the lane released and resumed nothing. */
        void unrecovered(String output) {
            if (!json(output).path("resumedIn").isNull() && !json(output).path("resumedIn").isMissingNode()) {
                throw new BenchFailedException("recover resumed the released lane of " + key + ": " + output);
            }
        }
    }

    private OperatorImport operatorImport(String route, String name) {
        return new OperatorImport(upload(route, name).key(), "bench-" + name, Instant.now().toString(),
                stack.stateMachineArn());
    }

    /** Polls the emulator until the job is ACTIVE, as the state machine would before the release. */
    private void awaitJob(String key, String jobArn) {
        Instant until = Instant.now().plus(EXECUTION_TIMEOUT);
        String status = "";
        while (!"ACTIVE".equals(status)) {
            if ("CREATE FAILED".equals(status)) {
                throw new BenchFailedException("The import of " + key + " failed: job " + jobArn + " " + status);
            }
            if (Instant.now().isAfter(until)) {
                throw new BenchFailedException("Job " + jobArn + " is still " + status + " after " + EXECUTION_TIMEOUT);
            }
            pause(Duration.ofMillis(20));
            status = personalize.describeDatasetImportJob(request -> request.datasetImportJobArn(jobArn))
                    .datasetImportJob().status();
        }
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
