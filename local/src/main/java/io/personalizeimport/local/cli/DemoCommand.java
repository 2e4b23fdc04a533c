package io.personalizeimport.local.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.personalizeimport.lambdas.aws.StateMachineExecutions;
import io.personalizeimport.lambdas.config.Route;
import io.personalizeimport.lambdas.lane.FileStatus;
import io.personalizeimport.local.console.ConsoleServer;
import io.personalizeimport.local.demo.DemoData.DemoFile;
import io.personalizeimport.local.demo.DemoData;
import io.personalizeimport.local.ledger.LedgerFile;
import io.personalizeimport.local.ledger.LedgerListing;
import io.personalizeimport.local.progress.FileProgress;
import io.personalizeimport.local.progress.ProgressView;
import io.personalizeimport.local.stack.LocalStack;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sfn.SfnClient;

/**
 * {@code local/run demo}: a fresh stack, the demo files uploaded, every import followed to its end, and a summary
 * table of each file's outcome in the import ledger. Exits 0 when every file ended as the demo expects: the valid ones
 * imported, the broken ones rejected or failed with their reason, one superseded by a newer file in its lane.
 */
final class DemoCommand {

    static final String USAGE = """
            demo [--data-dir DIR] [--time-scale F] [--step-millis N] [--console-port N] [--verbose] [--json]
              the main job: a fresh stack, the files of local/demo/data uploaded, each import
              followed to its end, then a summary table (default data dir .local-data/demo);
              shows each file's progress (redrawn in place on a terminal, a line per change of
              status elsewhere); the stack's log (functions, emulators, Step Functions) goes to
              DIR/logs/stack.log, or with --verbose to stderr as it runs;
              the console page shows the imports while the demo runs""";

    /** Waits of the state machine run 50 times faster, so the demo's polls and retries take seconds. */
    static final double DEMO_TIME_SCALE = 0.02;
    static final long DEMO_STEP_MILLIS = 1_500;

    private DemoCommand() {
    }

    /** One file's outcome in the summary. */
    record Outcome(String file, String dataset, String expected, String status, String error, String cause, int polls,
            double seconds, boolean asExpected) {
    }

    static int run(String[] argv) {
        return run(argv, Cli.OUT);
    }

    static int run(String[] argv, PrintStream out) {
        Args args = Args.parse("demo", argv, Set.of("--data-dir", "--time-scale", "--step-millis", "--console-port"),
                Set.of("--json", "--verbose"));
        int consolePort = UpCommand.consolePort("demo", args);
        boolean json = args.flag("--json");
        boolean verbose = args.flag("--verbose");
        Path dataDir = args.option("--data-dir").map(dir -> Path.of(dir).toAbsolutePath())
                .orElseGet(() -> Cli.defaultDataDir().resolve("demo"));
        List<DemoFile> files = DemoData.files(DemoData.DEFAULT_SEED);
        Cli.freshDataDir("demo", dataDir);
        try (StackLog log = verbose ? StackLog.toConsole() : StackLog.toFile(dataDir)) {
            LocalStack.Builder builder = LocalStack.builder()
                    .root(Cli.root())
                    .dataDir(dataDir)
                    .timeScale(args.number("demo", "--time-scale", DEMO_TIME_SCALE, 0.0001, 1.0))
                    .personalizeStepMillis((long) args.number("demo", "--step-millis", DEMO_STEP_MILLIS, 1, 600_000))
                    .routes(routesWithForget())
                    .logSink(log.sink());
            Demo demo = new Demo(out, json, verbose ? ProgressView.plain(out) : Cli.progressView(out));
            demo.say("Starting the local stack in " + dataDir + " ...");
            log.file().ifPresent(file -> demo.say("Logs: " + file + " (--verbose streams them here instead)"));
            try {
                return demo.run(builder, consolePort, files, log);
            } catch (RuntimeException e) {
                log.file().ifPresent(file -> Cli.ERR.println("demo: the stack's log is " + file));
                throw e;
            }
        }
    }

    /** The demo routes, and a deletion route under {@code forget/} on the demo dataset group. */
    static String routesWithForget() {
        ArrayNode routes;
        try {
            routes = (ArrayNode) Cli.MAPPER.readTree(LocalStack.demoRoutesJson());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the demo routes are not JSON: " + e.getMessage(), e);
        }
        routes.addObject().put("name", "forget").put("prefix", DemoData.FORGET_PREFIX).put("action", "delete")
                .put("datasetGroupArn", LocalStack.datasetGroupArn(LocalStack.DATASET_GROUP));
        return routes.toString();
    }

    private static String describe(DemoFile file) {
        return file.expected().error() == null ? file.expected().status() : file.expected().error();
    }

    /** One run of the demo: the files uploaded, followed on the progress view to their ends, then the summary. */
    private static final class Demo {

        private final PrintStream out;
        private final boolean json;
        private final ProgressView view;
        /** Each file uploaded so far, in upload order, with a note on what it holds. */
        private final Map<String, String> uploaded = new LinkedHashMap<>();
        private final Map<String, String> statusShown = new LinkedHashMap<>();
        /** The lines of the files that ended: they change no more, so their executions are read once. */
        private final Map<String, FileProgress> ended = new LinkedHashMap<>();
        private LocalStack stack;
        private DynamoDbClient dynamoDb;
        private SfnClient sfn;

        Demo(PrintStream out, boolean json, ProgressView view) {
            this.out = out;
            this.json = json;
            this.view = view;
        }

        int run(LocalStack.Builder builder, int consolePort, List<DemoFile> files, StackLog log) {
            try (LocalStack started = builder.build().start();
                    ConsoleServer console = UpCommand.startConsole(started, consolePort);
                    S3Client s3 = started.s3Client();
                    SfnClient stepFunctions = started.sfnClient();
                    DynamoDbClient ledger = started.uncountedDynamoDbClient()) {
                stack = started;
                sfn = stepFunctions;
                dynamoDb = ledger;
                log.sink().accept("demo: the stack is up: " + stack.endpoints());
                say("Console: " + console.endpoint() + " (while the demo runs)");
                // One at a time, each once notified: the lanes then see the files in the order the demo lists them.
                for (DemoFile file : files) {
                    s3.putObject(request -> request.bucket(LocalStack.BUCKET).key(file.key()),
                            RequestBody.fromString(file.content()));
                    uploaded.put(file.key(), file.why());
                    if (json) {
                        say("Uploaded " + file.key() + " (" + file.why() + ")");
                    }
                    follow(Duration.ofMinutes(2), newest -> newest.containsKey(file.key()),
                            file.key() + " was not notified within 2 minutes");
                }
                Map<String, LedgerFile> ends = followToTheEnd();
                // Then a list of users who asked to be forgotten, written after the files they are in
                DemoFile forget = DemoData.forgetList();
                Map<String, Long> before = counts();
                s3.putObject(request -> request.bucket(LocalStack.BUCKET).key(forget.key()),
                        RequestBody.fromString(forget.content()));
                uploaded.put(forget.key(), forget.why());
                ends = followToTheEnd();
                List<DemoFile> all = new ArrayList<>(files);
                all.add(forget);
                Map<String, LedgerFile> last = ends;
                List<Outcome> outcomes = all.stream().map(file -> outcome(file, last.get(file.key()))).toList();
                forgotten(forget, before, counts());
                report(outcomes);
                return outcomes.stream().allMatch(Outcome::asExpected) ? Cli.OK : Cli.FAILED;
            }
        }

        private Map<String, LedgerFile> followToTheEnd() {
            return follow(Duration.ofMinutes(10), newest -> uploaded.keySet().stream()
                    .allMatch(key -> newest.containsKey(key)
                            && FileStatus.valueOf(newest.get(key).status()).isFinal()), null);
        }

        /** The records of the demo group's users and interactions datasets, as the emulator holds them now. */
        private Map<String, Long> counts() {
            Map<String, Long> counts = new LinkedHashMap<>();
            for (String type : List.of("USERS", "INTERACTIONS")) {
                counts.put(type, stack.personalize().recordCount(LocalStack.demoDatasetArn(type)));
            }
            return counts;
        }

        /** The datasets' records before and after the users were forgotten. */
        private void forgotten(DemoFile list, Map<String, Long> before, Map<String, Long> after) {
            if (json) {
                Cli.printJson(out, Map.of("event", "forgotten", "key", list.key(), "before", before, "after", after));
                return;
            }
            out.println();
            out.println("Forgot the users of " + list.key() + ", written after the files they are in:");
            before.forEach((type, count) -> out.printf(Locale.ROOT, "  %-13s %,6d -> %,6d records%n", type, count,
                    after.get(type)));
        }

        /**
         * Shows the uploaded files' progress until the ledger's newest item of each file passes {@code done}; then
         * returns those items by key. Past {@code timeout} it fails with {@code late}, or, when that is null, returns
         * them as they stand.
         */
        private Map<String, LedgerFile> follow(Duration timeout, Predicate<Map<String, LedgerFile>> done,
                                               String late) {
            Instant until = Instant.now().plus(timeout);
            while (true) {
                Map<String, LedgerFile> newest = new LinkedHashMap<>();
                LedgerListing.files(dynamoDb, LocalStack.LEDGER_TABLE, null).stream()
                        .filter(file -> uploaded.containsKey(file.key()))
                        .forEach(file -> newest.put(file.key(), file));
                show(newest);
                if (done.test(newest)) {
                    return newest;
                }
                if (Instant.now().isAfter(until)) {
                    if (late == null) {
                        return newest;
                    }
                    throw new CommandFailedException("demo: " + late);
                }
                Cli.sleep(Duration.ofMillis(300));
            }
        }

        /** Every uploaded file's line on the progress view, or, in JSON, an event per change of status. */
        private void show(Map<String, LedgerFile> newest) {
            List<FileProgress> lines = uploaded.entrySet().stream()
                    .map(upload -> line(upload.getKey(), upload.getValue(), newest.get(upload.getKey()))).toList();
            if (!json) {
                view.show(lines);
                return;
            }
            for (FileProgress line : lines) {
                // The upload itself is told by a progress event, as before the ledger holds the file.
                if (!line.status().equals(LedgerProgress.UPLOADED)
                        && !line.status().equals(statusShown.put(line.file(), line.status()))) {
                    Cli.printJson(out, Map.of("event", "file", "key", line.file(), "status", line.status()));
                }
            }
        }

        private FileProgress line(String key, String note, LedgerFile file) {
            FileProgress end = ended.get(key);
            if (end != null) {
                return end;
            }
            FileProgress line = LedgerProgress.of(key, datasetOf(key), note, file, sfn, stack.stateMachineArn());
            if (file != null && FileStatus.valueOf(file.status()).isFinal()) {
                ended.put(key, line);
            }
            return line;
        }

        /** The dataset of the route whose prefix {@code key} is under, the demo group for a list of users. */
        private String datasetOf(String key) {
            if (key.startsWith(DemoData.FORGET_PREFIX)) {
                return LocalStack.datasetGroupArn(LocalStack.DATASET_GROUP);
            }
            return stack.routes().stream().filter(route -> key.startsWith(route.prefix())).findFirst()
                    .map(Route::datasetArn).orElse(null);
        }

        private Outcome outcome(DemoFile file, LedgerFile end) {
            if (end == null || !FileStatus.valueOf(end.status()).isFinal()) {
                return new Outcome(file.key(), end == null ? null : ExecutionView.datasetName(end.datasetArn()),
                        describe(file), "NOT FINISHED", null, null, 0, 0, false);
            }
            ExecutionView execution = end.jobName() == null ? null : ExecutionView.read(sfn,
                    StateMachineExecutions.executionArn(stack.stateMachineArn(), end.jobName()));
            String error = execution == null ? null : execution.error();
            boolean asExpected = file.expected().status().equals(end.status())
                    && (file.expected().error() == null || file.expected().error().equals(error));
            String reason = FileStatus.SUPERSEDED.name().equals(end.status()) ? "superseded by " + end.supersededBy()
                    : FileStatus.DELETED.name().equals(end.status()) ? end.records() + " records deleted"
                    : error == null ? end.reason() : execution.cause();
            return new Outcome(file.key(), ExecutionView.datasetName(end.datasetArn()), describe(file), end.status(),
                    error, reason, execution == null ? 0 : execution.polls(),
                    execution == null ? 0 : execution.elapsedMillis() / 1000.0, asExpected);
        }

        private void report(List<Outcome> outcomes) {
            DemoCommand.report(outcomes, json, out);
        }

        void say(String message) {
            DemoCommand.say(json, message, out);
        }
    }

    private static void report(List<Outcome> outcomes, boolean json, PrintStream out) {
        if (json) {
            Cli.printJson(out, Map.of("summary", outcomes));
            return;
        }
        out.println();
        out.println("Summary");
        String format = "%-40s %-36s %-9s %-24s %5s %7s  %s%n";
        out.printf(format, "FILE", "DATASET", "STATUS", "EXPECTED", "POLLS", "TIME", "REASON");
        for (Outcome outcome : outcomes) {
            out.printf(format, outcome.file(), outcome.dataset() == null ? "-" : outcome.dataset(),
                    outcome.status(), (outcome.asExpected() ? "yes: " : "NO: ") + outcome.expected(), outcome.polls(),
                    String.format("%.1fs", outcome.seconds()),
                    outcome.error() == null ? (outcome.cause() == null ? "" : outcome.cause())
                            : outcome.error() + ": " + outcome.cause());
        }
        long good = outcomes.stream().filter(Outcome::asExpected).count();
        out.printf("%n%d of %d files ended as expected.%n", good, outcomes.size());
    }

    private static void say(boolean json, String message, PrintStream out) {
        if (json) {
            Cli.printJson(out, Map.of("event", "progress", "message", message));
        } else {
            out.println(message);
        }
    }
}
