package io.personalizeimport.local.cli;

import io.personalizeimport.local.FileTrees;
import io.personalizeimport.local.demo.DemoData;
import io.personalizeimport.local.demo.DemoData.DemoFile;
import io.personalizeimport.local.stack.LocalStack;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.ExecutionListItem;

/**
 * {@code local/run demo}: a fresh stack, the demo files uploaded, every import followed to its end, and a summary
 * table. Exits 0 when every file ended as the demo expects (valid ones ACTIVE, broken ones failing with their reason).
 */
final class DemoCommand {

    static final String USAGE = """
            demo [--data-dir DIR] [--time-scale F] [--step-millis N] [--json]
              the main job: a fresh stack, the files of local/demo/data uploaded, each import
              followed to its end, then a summary table (default data dir .local-data/demo)""";

    /** Waits of the state machine run 50 times faster, so the demo's polls and retries take seconds. */
    static final double DEMO_TIME_SCALE = 0.02;
    static final long DEMO_STEP_MILLIS = 1_500;
    static final String MARKER = ".personalize-import-demo";

    private DemoCommand() {
    }

    /** One file's outcome in the summary. */
    record Outcome(String file, String dataset, String expected, String status, String error, String cause, int polls,
            double seconds, boolean asExpected) {
    }

    static int run(String[] argv) {
        Args args = Args.parse("demo", argv, Set.of("--data-dir", "--time-scale", "--step-millis"), Set.of("--json"));
        boolean json = args.flag("--json");
        Path dataDir = args.option("--data-dir").map(dir -> Path.of(dir).toAbsolutePath())
                .orElseGet(() -> Cli.defaultDataDir().resolve("demo"));
        List<DemoFile> files = DemoData.files(DemoData.DEFAULT_SEED);
        wipe(dataDir);
        LocalStack.Builder builder = LocalStack.builder()
                .root(Cli.root())
                .dataDir(dataDir)
                .timeScale(args.number("demo", "--time-scale", DEMO_TIME_SCALE, 0.0001, 1.0))
                .personalizeStepMillis((long) args.number("demo", "--step-millis", DEMO_STEP_MILLIS, 1, 600_000))
                .logSink(line -> { });
        say(json, "Starting the local stack in " + dataDir + " ...");
        try (LocalStack stack = builder.build().start();
                S3Client s3 = stack.s3Client();
                SfnClient sfn = stack.sfnClient()) {
            say(json, "Up: " + stack.endpoints());
            Map<String, String> eTags = new LinkedHashMap<>();
            for (DemoFile file : files) {
                String eTag = s3.putObject(request -> request.bucket(LocalStack.BUCKET).key(file.key()),
                        RequestBody.fromString(file.content())).eTag().replace("\"", "");
                eTags.put(file.key(), eTag);
                say(json, "Uploaded " + file.key() + " (" + file.why() + ")");
            }
            Map<String, ExecutionView> ends = followAll(sfn, stack.stateMachineArn(), eTags, json);
            List<Outcome> outcomes = new ArrayList<>();
            for (DemoFile file : files) {
                ExecutionView end = ends.get(file.key());
                boolean asExpected = end != null && file.expected().status().equals(end.status())
                        && (file.expected().error() == null || file.expected().error().equals(end.error()));
                outcomes.add(end == null
                        ? new Outcome(file.key(), null, describe(file), "NOT STARTED", null, null, 0, 0, false)
                        : new Outcome(file.key(), end.dataset(), describe(file), end.status(), end.error(), end.cause(),
                                end.polls(), end.elapsedMillis() / 1000.0, asExpected));
            }
            report(outcomes, json);
            return outcomes.stream().allMatch(Outcome::asExpected) ? Cli.OK : Cli.FAILED;
        }
    }

    private static String describe(DemoFile file) {
        return file.expected().error() == null ? "ACTIVE" : file.expected().error();
    }

    /** Follows the execution of every uploaded file until all have ended. */
    private static Map<String, ExecutionView> followAll(SfnClient sfn, String stateMachineArn,
            Map<String, String> eTags, boolean json) {
        Map<String, String> executions = new LinkedHashMap<>();
        Map<String, String> signatures = new LinkedHashMap<>();
        Map<String, ExecutionView> ends = new LinkedHashMap<>();
        // An execution's input never changes: look at each one once.
        Set<String> examined = new HashSet<>();
        Instant until = Instant.now().plus(Duration.ofMinutes(10));
        while (ends.size() < eTags.size() && Instant.now().isBefore(until)) {
            if (executions.size() < eTags.size()) {
                for (ExecutionListItem item : sfn.listExecutionsPaginator(request -> request
                        .stateMachineArn(stateMachineArn)).executions()) {
                    if (!examined.add(item.executionArn())) {
                        continue;
                    }
                    var source = source(sfn, item.executionArn());
                    String key = source.path("key").asText(null);
                    if (key != null && eTags.containsKey(key)
                            && eTags.get(key).equals(source.path("eTag").asText().replace("\"", ""))) {
                        executions.put(key, item.executionArn());
                    }
                }
            }
            for (Map.Entry<String, String> execution : executions.entrySet()) {
                if (ends.containsKey(execution.getKey())) {
                    continue;
                }
                ExecutionView view = ExecutionView.read(sfn, execution.getValue());
                String signature = view.status() + view.state() + view.jobStatus() + view.polls();
                if (!signature.equals(signatures.put(execution.getKey(), signature))) {
                    if (json) {
                        Cli.printJson(view);
                    } else {
                        Cli.OUT.println(view.line());
                    }
                }
                if (!view.running()) {
                    ends.put(execution.getKey(), view);
                }
            }
            Cli.sleep(Duration.ofMillis(300));
        }
        return ends;
    }

    private static com.fasterxml.jackson.databind.JsonNode source(SfnClient sfn, String executionArn) {
        try {
            return Cli.MAPPER.readTree(sfn.describeExecution(request -> request.executionArn(executionArn)).input())
                    .path("source");
        } catch (IOException e) {
            // Not an execution the trigger started: it has no source to match a demo file.
            return Cli.MAPPER.missingNode();
        }
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
                    outcome.error() == null ? "" : outcome.error() + ": " + outcome.cause());
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

    /**
     * The demo always starts from nothing. It clears only a folder it made itself (marked by {@value #MARKER}), so a
     * mistyped --data-dir never costs anyone their files.
     */
    private static void wipe(Path dataDir) {
        try {
            if (Files.isDirectory(dataDir) && !Files.exists(dataDir.resolve(MARKER))) {
                try (Stream<Path> entries = Files.list(dataDir)) {
                    if (entries.findAny().isPresent()) {
                        throw new CommandFailedException("demo: refusing to clear " + dataDir + ": it was not made by"
                                + " 'local/run demo'; give an empty or new --data-dir");
                    }
                }
            }
            FileTrees.delete(dataDir);
            Files.createDirectories(dataDir);
            Files.writeString(dataDir.resolve(MARKER), "made by local/run demo; cleared at every demo run\n");
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot clear the demo's data dir " + dataDir, e);
        }
    }
}
