package io.personalizeimport.local.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.ExecutionListItem;

/**
 * {@code local/run import FILE}: uploads one file to the running stack, waits for the notification to start its
 * execution, follows it to the end, and exits 0 only when the job is ACTIVE.
 */
final class ImportCommand {

    static final String USAGE = """
            import FILE (--route NAME | --key KEY) [--timeout SECONDS] [--data-dir DIR] [--json]
              upload FILE to the running stack and follow its import; exit 0 on ACTIVE""";

    private ImportCommand() {
    }

    static int run(String[] argv) {
        Args args = Args.parse("import", argv, Set.of("--route", "--key", "--timeout", "--data-dir"), Set.of("--json"));
        if (args.positional().size() != 1) {
            throw new UsageException("import: expected exactly one FILE, got " + args.positional());
        }
        Path file = Path.of(args.positional().get(0)).toAbsolutePath();
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new CommandFailedException("import: " + file + " is not a readable file");
        }
        if (args.option("--route").isPresent() == args.option("--key").isPresent()) {
            throw new UsageException("import: give either --route NAME or --key KEY");
        }
        Duration timeout = Duration.ofSeconds((long) args.number("import", "--timeout", 3600, 1, 7 * 24 * 3600));
        boolean json = args.flag("--json");
        StackFile stack = StackFile.read(Cli.dataDir(args));
        String key = args.option("--key").orElseGet(() ->
                stack.route(args.option("--route").orElseThrow()).prefix() + file.getFileName());
        if (stack.routes().stream().noneMatch(route -> key.startsWith(route.prefix()))) {
            throw new UsageException("import: key '" + key + "' matches no route, so no import would start; the"
                    + " routed prefixes are " + stack.routes().stream().map(StackFile.RouteInfo::prefix).toList());
        }
        String eTag;
        try (S3Client s3 = stack.s3Client()) {
            eTag = s3.putObject(request -> request.bucket(stack.bucket()).key(key), RequestBody.fromFile(file))
                    .eTag().replace("\"", "");
        }
        if (!json) {
            Cli.OUT.println("Uploaded " + file + " as s3://" + stack.bucket() + "/" + key);
        }
        try (SfnClient sfn = stack.sfnClient()) {
            // The wait covers Lambda's async retries of the notification too: at real speed they take minutes.
            String executionArn = awaitExecution(sfn, stack.stateMachineArn(), key, eTag, timeout);
            ExecutionView end = Cli.follow(sfn, executionArn, timeout, view -> {
                if (json) {
                    Cli.printJson(view);
                } else {
                    Cli.OUT.println(view.line());
                }
            });
            return "SUCCEEDED".equals(end.status()) ? Cli.OK : Cli.FAILED;
        }
    }

    /** The execution the trigger started for this write of the key: its input names the key and eTag. */
    private static String awaitExecution(SfnClient sfn, String stateMachineArn, String key, String eTag,
            Duration timeout) {
        Instant until = Instant.now().plus(timeout);
        // An execution's input never changes: look at each one once.
        Set<String> examined = new HashSet<>();
        while (Instant.now().isBefore(until)) {
            for (ExecutionListItem item : sfn.listExecutions(request -> request.stateMachineArn(stateMachineArn)
                    .maxResults(50)).executions()) {
                if (!examined.add(item.executionArn())) {
                    continue;
                }
                Optional<String> match = matches(sfn, item, key, eTag);
                if (match.isPresent()) {
                    return match.get();
                }
            }
            Cli.sleep(Duration.ofMillis(250));
        }
        throw new CommandFailedException("No execution started for " + key + " within " + timeout.toSeconds()
                + " s: is the trigger failing? Look at 'local/run dead-letters' and the log of 'local/run up'");
    }

    private static Optional<String> matches(SfnClient sfn, ExecutionListItem item, String key, String eTag) {
        String input = sfn.describeExecution(request -> request.executionArn(item.executionArn())).input();
        try {
            var source = Cli.MAPPER.readTree(input).path("source");
            if (key.equals(source.path("key").asText()) && eTag.equals(source.path("eTag").asText().replace("\"", ""))) {
                return Optional.of(item.executionArn());
            }
        } catch (java.io.IOException e) {
            // Not an execution the trigger started (an operator's input): not the one we wait for.
            return Optional.empty();
        }
        return Optional.empty();
    }
}
