package io.personalizeimport.local.cli;

import io.personalizeimport.lambdas.lane.FileStatus;
import io.personalizeimport.local.ledger.LedgerFile;
import io.personalizeimport.local.ledger.LedgerListing;
import io.personalizeimport.local.stack.LocalStack;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;

/** {@code local/run files}: every file the import ledger holds, with its dataset, status, job and why. */
final class FilesCommand {

    static final String USAGE = """
            files [--dataset NAME] [--data-dir DIR] [--json]
              the files of the import ledger in lane order (by dataset, then S3 event time) with their status,
              job and reason; --dataset takes a route name, a dataset ARN, group/TYPE or TYPE""";

    private static final int MAX_WIDTH = 60;

    private FilesCommand() {
    }

    static int run(String[] argv) {
        return run(argv, Cli.OUT);
    }

    static int run(String[] argv, PrintStream out) {
        Args args = Args.parse("files", argv, Set.of("--dataset", "--data-dir"), Set.of("--json"));
        if (!args.positional().isEmpty()) {
            throw new UsageException("files: expected no arguments, got " + args.positional());
        }
        StackFile stack = StackFile.read(Cli.dataDir(args));
        String datasetArn = args.option("--dataset").map(name -> datasetArn(stack, name)).orElse(null);
        List<LedgerFile> files;
        try (DynamoDbClient dynamoDb = stack.dynamoDbClient()) {
            files = LedgerListing.files(dynamoDb, LocalStack.LEDGER_TABLE, datasetArn);
        } catch (ResourceNotFoundException e) {
            throw new CommandFailedException("files: the running stack has no table " + LocalStack.LEDGER_TABLE
                    + ": stop it and start it again with this local/run", e);
        }
        if (args.flag("--json")) {
            out.println(Cli.MAPPER.valueToTree(files).toString());
        } else if (files.isEmpty()) {
            out.println(datasetArn == null ? "No files in the import ledger yet."
                    : "No files in the import ledger for " + datasetArn + " yet.");
        } else {
            table(files).forEach(out::println);
        }
        return Cli.OK;
    }

    /**
     * The dataset {@code name} stands for: a dataset ARN as it is, else a route's dataset, else the one known dataset
     * (of the routes and the demo group) whose {@code group/TYPE} or {@code TYPE} it is.
     */
    static String datasetArn(StackFile stack, String name) {
        if (name.startsWith("arn:")) {
            return name;
        }
        for (StackFile.RouteInfo route : stack.routes()) {
            if (route.name().equals(name)) {
                return route.datasetArn();
            }
        }
        Set<String> known = new LinkedHashSet<>();
        stack.routes().forEach(route -> known.add(route.datasetArn()));
        LocalStack.DATASET_TYPES.forEach(type -> known.add(LocalStack.demoDatasetArn(type)));
        List<String> matches = known.stream().filter(arn -> {
            String shortName = ExecutionView.datasetName(arn);
            return shortName.equals(name)
                    || shortName.substring(shortName.lastIndexOf('/') + 1).equals(name.toUpperCase(Locale.ROOT));
        }).toList();
        if (matches.size() != 1) {
            throw new UsageException("files: --dataset '" + name + "' " + (matches.isEmpty() ? "names no dataset"
                    : "could be any of " + matches) + "; give a route name " + stack.routes().stream()
                    .map(StackFile.RouteInfo::name).toList() + ", a dataset ARN, group/TYPE or TYPE of "
                    + known.stream().map(ExecutionView::datasetName).toList());
        }
        return matches.getFirst();
    }

    /** The files as a table for people: a header, then one line per file. */
    static List<String> table(List<LedgerFile> files) {
        List<Function<LedgerFile, String>> columns = List.of(
                file -> ExecutionView.datasetName(file.datasetArn()),
                LedgerFile::key,
                LedgerFile::status,
                LedgerFile::jobName,
                FilesCommand::detail);
        List<String> headers = List.of("DATASET", "KEY", "STATUS", "JOB", "DETAIL");
        int[] widths = new int[columns.size()];
        for (int c = 0; c < columns.size() - 1; c++) {
            widths[c] = headers.get(c).length();
            for (LedgerFile file : files) {
                widths[c] = Math.min(MAX_WIDTH, Math.max(widths[c], cell(columns.get(c).apply(file)).length()));
            }
        }
        List<String> lines = new ArrayList<>();
        lines.add(line(headers, widths));
        for (LedgerFile file : files) {
            lines.add(line(columns.stream().map(column -> column.apply(file)).toList(), widths));
        }
        return lines;
    }

    /**
     * Why the file is where it is: what a held file waits for, the newer file that replaced it, or the reason it was
     * rejected or failed.
     */
    private static String detail(LedgerFile file) {
        if (file.waiting() != null) {
            return file.waiting();
        }
        if (file.supersededBy() != null) {
            return "superseded by " + file.supersededBy() + (file.reason() == null ? "" : ": " + file.reason());
        }
        if (FileStatus.DELETED.name().equals(file.status()) && file.records() != null) {
            return file.records() + " records deleted";
        }
        return file.reason() == null ? "" : file.reason();
    }

    private static String line(List<String> cells, int[] widths) {
        StringBuilder line = new StringBuilder();
        for (int c = 0; c < cells.size(); c++) {
            String cell = cell(cells.get(c));
            if (c == cells.size() - 1) {
                line.append(cell);
            } else {
                line.append(String.format("%-" + widths[c] + "s  ", trim(cell, widths[c])));
            }
        }
        return line.toString().stripTrailing();
    }

    private static String cell(String value) {
        return value == null ? "-" : value;
    }

    private static String trim(String text, int width) {
        return text.length() <= width ? text : "…" + text.substring(text.length() - width + 1);
    }
}
