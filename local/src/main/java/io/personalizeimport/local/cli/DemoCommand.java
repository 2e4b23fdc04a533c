package io.personalizeimport.local.cli;

import io.personalizeimport.lambdas.aws.StateMachineExecutions;
import io.personalizeimport.lambdas.lane.FileEntry;
import io.personalizeimport.lambdas.lane.FileStatus;
import io.personalizeimport.lambdas.ledger.Ledger;
import io.personalizeimport.local.console.ConsoleServer;
import io.personalizeimport.local.demo.DemoData.DemoFile;
import io.personalizeimport.local.demo.DemoData;
import io.personalizeimport.local.stack.LocalStack;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sfn.SfnClient;

/**
 * {@code local/run demo}: a fresh stack, the demo files uploaded, every import followed to its end, and a summary
 * table of each file's outcome in the import ledger. Exits 0 when every file ended as the demo expects: the valid ones
 * imported, the broken ones rejected or failed with their reason, one superseded by a newer file in its lane.
 */
final class DemoCommand {

    static final String USAGE = """
            demo [--data-dir DIR] [--time-scale F] [--step-millis N] [--console-port N] [--json]
              the main job: a fresh stack, the files of local/demo/data uploaded, each import
              followed to its end, then a summary table (default data dir .local-data/demo);
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
        Args args = Args.parse("demo", argv, Set.of("--data-dir", "--time-scale", "--step-millis", "--console-port"),
                Set.of("--json"));
        int consolePort = UpCommand.consolePort("demo", args);
        boolean json = args.flag("--json");
        Path dataDir = args.option("--data-dir").map(dir -> Path.of(dir).toAbsolutePath())
                .orElseGet(() -> Cli.defaultDataDir().resolve("demo"));
        List<DemoFile> files = DemoData.files(DemoData.DEFAULT_SEED);
        Cli.freshDataDir("demo", dataDir);
        LocalStack.Builder builder = LocalStack.builder()
                .root(Cli.root())
                .dataDir(dataDir)
                .timeScale(args.number("demo", "--time-scale", DEMO_TIME_SCALE, 0.0001, 1.0))
                .personalizeStepMillis((long) args.number("demo", "--step-millis", DEMO_STEP_MILLIS, 1, 600_000))
                .logSink(line -> { });
        say(json, "Starting the local stack in " + dataDir + " ...");
        try (LocalStack stack = builder.build().start();
                ConsoleServer console = UpCommand.startConsole(stack, consolePort);
                S3Client s3 = stack.s3Client();
                SfnClient sfn = stack.sfnClient()) {
            say(json, "Up: " + stack.endpoints());
            say(json, "Console: " + console.endpoint());
            Ledger ledger = new Ledger(stack.dynamoDbClient(), LocalStack.LEDGER_TABLE, Clock.systemUTC());
            // One at a time, each once notified: the lanes then see the files in the order the demo lists them.
            for (DemoFile file : files) {
                s3.putObject(request -> request.bucket(LocalStack.BUCKET).key(file.key()),
                        RequestBody.fromString(file.content()));
                say(json, "Uploaded " + file.key() + " (" + file.why() + ")");
                awaitEntry(ledger, stack, file.key(), status -> true);
            }
            Map<String, FileEntry> ends = followAll(ledger, stack, files, json);
            List<Outcome> outcomes = new ArrayList<>();
            for (DemoFile file : files) {
                FileEntry end = ends.get(file.key());
                if (end == null) {
                    outcomes.add(new Outcome(file.key(), null, describe(file), "NOT FINISHED", null, null, 0, 0, false));
                    continue;
                }
                FileEntry.Standing standing = end.standing();
                ExecutionView execution = standing.jobName() == null ? null : ExecutionView.read(sfn,
                        StateMachineExecutions.executionArn(stack.stateMachineArn(), standing.jobName()));
                String error = execution == null ? null : execution.error();
                boolean asExpected = file.expected().status().equals(standing.status().name())
                        && (file.expected().error() == null || file.expected().error().equals(error));
                String reason = standing.status() == FileStatus.SUPERSEDED ? "superseded by " + standing.supersededBy()
                        : error == null ? standing.reason() : execution.cause();
                outcomes.add(new Outcome(file.key(), ExecutionView.datasetName(end.file().datasetArn()), describe(file),
                        standing.status().name(), error, reason, execution == null ? 0 : execution.polls(),
                        execution == null ? 0 : execution.elapsedMillis() / 1000.0, asExpected));
            }
            report(outcomes, json);
            return outcomes.stream().allMatch(Outcome::asExpected) ? Cli.OK : Cli.FAILED;
        }
    }

    private static String describe(DemoFile file) {
        return file.expected().error() == null ? file.expected().status() : file.expected().error();
    }

    private static String routeOf(String key) {
        return key.substring(0, key.indexOf('/'));
    }

    /** Waits until the ledger holds the file (the trigger has been notified of it) with a status that passes. */
    private static FileEntry awaitEntry(Ledger ledger, LocalStack stack, String key, Predicate<FileStatus> done) {
        Instant until = Instant.now().plus(Duration.ofMinutes(2));
        while (Instant.now().isBefore(until)) {
            var entry = ledger.files(stack.datasetArn(routeOf(key))).stream()
                    .filter(file -> file.file().key().equals(key)).reduce((first, second) -> second);
            if (entry.isPresent() && done.test(entry.get().standing().status())) {
                return entry.get();
            }
            Cli.sleep(Duration.ofMillis(100));
        }
        throw new CommandFailedException("demo: " + key + " was not notified within 2 minutes");
    }

    /** Follows every file in the ledger until each has its final outcome, printing each change of status. */
    private static Map<String, FileEntry> followAll(Ledger ledger, LocalStack stack, List<DemoFile> files,
            boolean json) {
        Map<String, FileEntry> ends = new LinkedHashMap<>();
        Map<String, FileStatus> seen = new LinkedHashMap<>();
        Instant until = Instant.now().plus(Duration.ofMinutes(10));
        while (ends.size() < files.size() && Instant.now().isBefore(until)) {
            for (DemoFile file : files) {
                if (ends.containsKey(file.key())) {
                    continue;
                }
                var entry = ledger.files(stack.datasetArn(routeOf(file.key()))).stream()
                        .filter(candidate -> candidate.file().key().equals(file.key()))
                        .reduce((first, second) -> second);
                if (entry.isEmpty()) {
                    continue;
                }
                FileEntry now = entry.get();
                FileEntry.Standing standing = now.standing();
                if (seen.put(file.key(), standing.status()) != standing.status()) {
                    String line = String.format("%-40s %-36s %-10s %s", file.key(),
                            ExecutionView.datasetName(now.file().datasetArn()), standing.status(),
                            standing.jobName() == null ? "" : "job " + standing.jobName());
                    if (json) {
                        Cli.printJson(Map.of("event", "file", "key", file.key(), "status", standing.status().name()));
                    } else {
                        Cli.OUT.println(line);
                    }
                }
                if (now.standing().status().isFinal()) {
                    ends.put(file.key(), now);
                }
            }
            Cli.sleep(Duration.ofMillis(300));
        }
        return ends;
    }

    private static void report(List<Outcome> outcomes, boolean json) {
        if (json) {
            Cli.printJson(Map.of("summary", outcomes));
            return;
        }
        Cli.OUT.println();
        Cli.OUT.println("Summary");
        String format = "%-40s %-36s %-9s %-24s %5s %7s  %s%n";
        Cli.OUT.printf(format, "FILE", "DATASET", "STATUS", "EXPECTED", "POLLS", "TIME", "REASON");
        for (Outcome outcome : outcomes) {
            Cli.OUT.printf(format, outcome.file(), outcome.dataset() == null ? "-" : outcome.dataset(),
                    outcome.status(), (outcome.asExpected() ? "yes: " : "NO: ") + outcome.expected(), outcome.polls(),
                    String.format("%.1fs", outcome.seconds()),
                    outcome.error() == null ? (outcome.cause() == null ? "" : outcome.cause())
                            : outcome.error() + ": " + outcome.cause());
        }
        long good = outcomes.stream().filter(Outcome::asExpected).count();
        Cli.OUT.printf("%n%d of %d files ended as expected.%n", good, outcomes.size());
    }

    private static void say(boolean json, String message) {
        if (json) {
            Cli.printJson(Map.of("event", "progress", "message", message));
        } else {
            Cli.OUT.println(message);
        }
    }
}
