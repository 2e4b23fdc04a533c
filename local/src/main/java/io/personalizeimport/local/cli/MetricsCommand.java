package io.personalizeimport.local.cli;

import io.personalizeimport.local.metrics.LocalMetrics;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** {@code local/run metrics}: the functions' embedded metrics on the local stack, summed per dataset and metric. */
final class MetricsCommand {

    static final String USAGE = """
            metrics [--json] [--data-dir DIR]
              the metrics the functions wrote (imports by outcome, durations, polls, waiting files, detection
              delay), per dataset: how many datapoints, their sum and their maximum""";

    static Path metricsFile(Path dataDir) {
        return dataDir.resolve("metrics").resolve(LocalMetrics.METRICS_FILE);
    }

    private MetricsCommand() {
    }

    static int run(String[] argv) {
        return run(argv, Cli.OUT);
    }

    static int run(String[] argv, PrintStream out) {
        Args args = Args.parse("metrics", argv, Set.of("--data-dir"), Set.of("--json"));
        if (!args.positional().isEmpty()) {
            throw new UsageException("metrics: expected no arguments, got " + args.positional());
        }
        Path file = metricsFile(Cli.dataDir(args));
        List<LocalMetrics.Series> series = LocalMetrics.read(file);
        if (args.flag("--json")) {
            List<Map<String, Object>> rows = new ArrayList<>();
            for (LocalMetrics.Series each : series) {
                rows.add(Map.of("dataset", each.dataset(), "metric", each.metric(), "unit", each.unit(),
                        "datapoints", each.values().size(), "sum", each.sum(), "max", each.max()));
            }
            out.println(Cli.MAPPER.valueToTree(rows).toString());
        } else if (series.isEmpty()) {
            out.println("No metrics written yet (" + file + ").");
        } else {
            out.println(String.format("%-40s  %-18s  %10s  %12s  %12s", "DATASET", "METRIC", "DATAPOINTS", "SUM",
                    "MAX"));
            for (LocalMetrics.Series each : series) {
                out.println(String.format(Locale.ROOT, "%-40s  %-18s  %10d  %12s  %12s",
                        ExecutionView.datasetName(each.dataset()), each.metric(), each.values().size(),
                        number(each.sum(), each.unit()), number(each.max(), each.unit())));
            }
        }
        return Cli.OK;
    }

    private static String number(double value, String unit) {
        String text = value == Math.rint(value) ? Long.toString((long) value) : String.format(Locale.ROOT, "%.1f", value);
        return unit.equals("Seconds") ? text + " s" : text;
    }
}
