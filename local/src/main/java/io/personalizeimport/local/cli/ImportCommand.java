package io.personalizeimport.local.cli;

import io.personalizeimport.lambdas.aws.StateMachineExecutions;
import io.personalizeimport.lambdas.config.PipelineConfig;
import io.personalizeimport.lambdas.lane.FileEntry;
import io.personalizeimport.lambdas.lane.FileStatus;
import io.personalizeimport.lambdas.lane.Lane;
import io.personalizeimport.lambdas.lane.Region;
import io.personalizeimport.lambdas.ledger.Ledger;
import io.personalizeimport.local.progress.FileProgress;
import io.personalizeimport.local.progress.ProgressView;
import io.personalizeimport.local.stack.LocalStack;
import io.personalizeimport.local.stack.OnePartFolder;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.Supplier;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.ExecutionDoesNotExistException;

/**
 * {@code local/run import FILE}: uploads one file to the running stack, waits for its turn in its dataset's lane,
 * follows its execution to the end, and exits 0 only when the job is ACTIVE (1 when it failed, was rejected, or was
 * superseded by newer data before its turn).
 */
final class ImportCommand {

    static final String USAGE = """
            import FILE (--route NAME | --key KEY) [--timeout SECONDS] [--data-dir DIR] [--verbose] [--json]
              upload FILE to the running stack and follow its import; exit 0 on ACTIVE; shows the file's
              progress (waiting in its lane, importing, polls, outcome), redrawn in place on a terminal;
              --verbose: a line per change of its execution (state, job status, polls) instead""";


    private ImportCommand() {
    }

    static int run(String[] argv) {
        return run(argv, Cli.OUT);
    }

    static int run(String[] argv, PrintStream out) {
        Args args = Args.parse("import", argv, Set.of("--route", "--key", "--timeout", "--data-dir"),
                Set.of("--json", "--verbose"));
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
        StackFile.RouteInfo named = args.option("--route").map(stack::route).orElse(null);
        // Through a folder route a file is a folder of one part, completed by its marker at once.
        String folder = named != null && named.isFolderRoute()
                ? OnePartFolder.under(named.prefix(), "import", Instant.now()) : null;
        String key = args.option("--key").orElseGet(() ->
                (folder != null ? folder : named.prefix()) + file.getFileName());
        StackFile.RouteInfo route = stack.routes().stream().filter(candidate -> key.startsWith(candidate.prefix()))
                .findFirst().orElseThrow(() -> new UsageException("import: key '" + key + "' matches no route, so no"
                        + " import would start; the routed prefixes are "
                        + stack.routes().stream().map(StackFile.RouteInfo::prefix).toList()));
        String eTag;
        try (S3Client s3 = stack.s3Client()) {
            eTag = s3.putObject(request -> request.bucket(stack.bucket()).key(key), RequestBody.fromFile(file))
                    .eTag().replace("\"", "");
            if (!json) {
                out.println("Uploaded " + file + " as s3://" + stack.bucket() + "/" + key);
            }
            if (folder != null) {
                s3.putObject(request -> request.bucket(stack.bucket()).key(folder + route.marker()),
                        RequestBody.empty());
                if (!json) {
                    out.println("Wrote the folder's marker s3://" + stack.bucket() + "/" + folder + route.marker());
                }
            }
        }
        Progress progress = new Progress(out, json, args.flag("--verbose") ? null : Cli.progressView(out),
                folder != null ? folder : key, ExecutionView.datasetName(route.datasetArn()));
        try (SfnClient sfn = stack.sfnClient(); DynamoDbClient dynamoDb = stack.dynamoDbClient()) {
            // The wait covers Lambda's async retries of the notification too: at real speed they take minutes.
            Ledger ledger = new Ledger(dynamoDb, LocalStack.LEDGER_TABLE, Clock.systemUTC());
            Predicate<FileEntry> upload = folder != null ? entry -> entry.file().key().equals(folder)
                    : entry -> entry.file().key().equals(key) && entry.file().eTag() != null
                            && eTag.equals(entry.file().eTag().replace("\"", ""));
            FileEntry entry = awaitTurn(ledger, route.datasetArn(), key, upload, timeout, progress);
            if (entry.file().isPart() && !entry.standing().status().isFinal()) {
                return waitingForMarker(entry, route, json, out);
            }
            if (entry.standing().jobName() == null) {
                return finished(entry, json, out);
            }
            String executionArn = StateMachineExecutions.executionArn(stack.stateMachineArn(),
                    entry.standing().jobName());
            awaitStart(sfn, executionArn, timeout);
            ExecutionView end = Cli.follow(sfn, executionArn, timeout, progress::execution);
            progress.ended(end, newest(ledger, route.datasetArn(), upload));
            return "SUCCEEDED".equals(end.status()) ? Cli.OK : Cli.FAILED;
        }
    }

    /** The newest entry of the upload just made: the key with these bytes, or the folder it completed. */
    private static Optional<FileEntry> newest(Ledger ledger, String datasetArn, Predicate<FileEntry> upload) {
        return ledger.files(datasetArn).stream().filter(upload).reduce((a, b) -> b);
    }

    /**
     * This write's entry in the import ledger once it has a job, or a final outcome without one: it may wait in its
     * dataset's lane behind other imports first, or be superseded by newer data there.
     */
    private static FileEntry awaitTurn(Ledger ledger, String datasetArn, String key, Predicate<FileEntry> upload,
                                       Duration timeout, Progress progress) {
        Instant until = Instant.now().plus(timeout);
        while (Instant.now().isBefore(until)) {
            Optional<FileEntry> entry = newest(ledger, datasetArn, upload);
            if (entry.isPresent() && (entry.get().standing().jobName() != null
                    || entry.get().standing().status().isFinal() || entry.get().file().isPart())) {
                return entry.get();
            }
            if (entry.isPresent()) {
                progress.waiting(entry.get().standing().status(),
                        () -> waiting(ledger.lane(datasetArn), ledger.region()));
            } else {
                progress.notNotified();
            }
            Cli.sleep(Duration.ofMillis(250));
        }
        Lane lane = ledger.lane(datasetArn);
        Region region = ledger.region();
        if (!lane.isBusy() && (lane.holding() != null || region.placeInLine(datasetArn).isPresent())) {
            throw new CommandFailedException("No import started for " + key + " within " + timeout.toSeconds()
                    + " s: " + waiting(lane, region));
        }
        throw new CommandFailedException("No import started for " + key + " within " + timeout.toSeconds()
                + " s: is the trigger failing? Look at 'local/run dead-letters', 'local/run files' and the log of"
                + " 'local/run up'");
    }

    /**
     * Why a recorded file has no job yet: another import holds its lane, its lane holds it for more records, or its lane
     * waits in line for one of the import jobs the pipeline runs at once in the region.
     */
    static String waiting(Lane lane, Region region) {
        String dataset = ExecutionView.datasetName(lane.datasetArn());
        if (lane.isBusy()) {
            return "Waiting in the lane of " + dataset + " behind the import that runs there now";
        }
        if (lane.holding() != null) {
            return "Held in the lane of " + dataset + ", " + lane.holding().describe(Instant.now()) + ": Personalize"
                    + String.format(Locale.ROOT, " imports at least %,d per job; more files for the route start it",
                    lane.holding().minimum());
        }
        Optional<Integer> place = region.placeInLine(lane.datasetArn());
        if (place.isPresent()) {
            return "Waiting in the lane of " + dataset + ", " + Region.describe(place.get(), region.inUse(), null)
                    + ": the pipeline runs at most " + PipelineConfig.MAX_IMPORT_JOBS + " import jobs at once, and"
                    + " the lanes in line take the slots as imports end, oldest waiting file first";
        }
        return "Waiting in the lane of " + dataset + " for its next import to start";
    }

    /** The lane names the job before it starts the job's execution: wait for the execution to exist. */
    private static void awaitStart(SfnClient sfn, String executionArn, Duration timeout) {
        Instant until = Instant.now().plus(timeout);
        while (Instant.now().isBefore(until)) {
            try {
                sfn.describeExecution(request -> request.executionArn(executionArn));
                return;
            } catch (ExecutionDoesNotExistException notYet) {
                Cli.sleep(Duration.ofMillis(100));
            }
        }
        throw new CommandFailedException("The execution " + executionArn + " did not start within "
                + timeout.toSeconds() + " s: look at the log of 'local/run up'");
    }

    /** A part file given by --key inside a folder route: it is imported with its folder, once the marker is written. */
    private static int waitingForMarker(FileEntry entry, StackFile.RouteInfo route, boolean json, PrintStream out) {
        String marker = entry.file().folder() + route.marker();
        if (json) {
            Cli.printJson(out, Map.of("key", entry.file().key(), "status", entry.standing().status().name(),
                    "folder", entry.file().folder(), "marker", marker));
        } else {
            out.println(entry.file().key() + " waits for its folder's marker: write " + marker
                    + " once every part is uploaded, and the folder is imported as one job");
        }
        return Cli.OK;
    }

    /** A file that ended without a job of its own: superseded by newer data, or rejected before its import. */
    private static int finished(FileEntry entry, boolean json, PrintStream out) {
        FileEntry.Standing standing = entry.standing();
        String why = standing.status() == FileStatus.SUPERSEDED
                ? "superseded by " + standing.supersededBy() + ": " + standing.reason() : standing.reason();
        if (json) {
            Cli.printJson(out, Map.of("key", entry.file().key(), "status", entry.standing().status().name(),
                    "reason", why == null ? "" : why));
        } else {
            out.println(entry.file().key() + " " + entry.standing().status() + (why == null ? "" : ": " + why));
        }
        return entry.standing().status() == FileStatus.IMPORTED ? Cli.OK : Cli.FAILED;
    }

    /**
     * The upload's progress as the person running the command sees it: one line of the progress view, or with
     * --verbose or --json the lines printed before it existed (the wait told once, each change of the execution).
     */
    private static final class Progress {

        private final PrintStream out;
        private final boolean json;
        private final ProgressView view;
        private final String key;
        private final String dataset;
        private boolean toldWaiting;

        Progress(PrintStream out, boolean json, ProgressView view, String key, String dataset) {
            this.out = out;
            this.json = json;
            this.view = json ? null : view;
            this.key = key;
            this.dataset = dataset;
        }

        void notNotified() {
            show(LedgerProgress.UPLOADED, null, 0, "waiting for its S3 notification to reach the trigger");
        }

        /** Recorded, no job yet: {@code why} says for what it waits, read only when it is shown. */
        void waiting(FileStatus status, Supplier<String> why) {
            if (view != null) {
                show(status.name(), null, 0, why.get());
            } else if (!toldWaiting) {
                out.println(why.get());
                toldWaiting = true;
            }
        }

        void execution(ExecutionView execution) {
            if (json) {
                Cli.printJson(out, execution);
            } else if (view == null) {
                out.println(execution.line());
            } else if (execution.running()) {
                // Its end is shown by ended(), with the file's final status in the ledger.
                show(FileStatus.IMPORTING.name(), execution.name(), execution.polls(), LedgerProgress.where(execution));
            }
        }

        /** The outcome: the file's final status in the ledger, else its execution's, with the error if any. */
        void ended(ExecutionView end, Optional<FileEntry> entry) {
            String status = entry.map(FileEntry::standing).map(FileEntry.Standing::status).filter(FileStatus::isFinal)
                    .map(FileStatus::name).orElse(end.status());
            show(status, end.name(), end.polls(), end.error() == null
                    ? String.format(Locale.ROOT, "%s in %.1fs", end.jobStatus() == null ? end.status() : end.jobStatus(),
                            end.elapsedMillis() / 1000.0)
                    : end.error() + ": " + end.cause());
        }

        private void show(String status, String job, int polls, String detail) {
            if (view != null) {
                view.show(List.of(new FileProgress(key, dataset, status, job, polls, detail)));
            }
        }
    }
}
