package io.personalizeimport.local.metrics;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What CloudWatch Logs does with the functions' embedded-metric-format lines, locally: the Lambda host's log lines pass
 * through on their way to the console, and each EMF document among them ({@code "_aws"} with CloudWatchMetrics) is kept,
 * as the function wrote it, in {@code metrics.jsonl} under the stack's data directory, where {@code local/run metrics}
 * reads them.
 */
public final class LocalMetrics implements Consumer<String> {

    public static final String METRICS_FILE = "metrics.jsonl";
    /** A function's log line as the Lambda host passes it on: {@code [function] text}. */
    private static final Pattern FUNCTION_LINE = Pattern.compile("\\[([^\\]]+)] (\\{\"_aws\":.*)");
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final Path file;
    private final Consumer<String> next;

    public LocalMetrics(Path dataDir, Consumer<String> next) {
        this.file = dataDir.resolve(METRICS_FILE);
        this.next = next;
        try {
            Files.createDirectories(dataDir);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create " + dataDir, e);
        }
    }

    @Override
    public void accept(String line) {
        next.accept(line);
        Matcher emf = FUNCTION_LINE.matcher(line);
        if (emf.matches()) {
            try {
                JsonNode document = MAPPER.readTree(emf.group(2));
                if (document.path("_aws").path("CloudWatchMetrics").isArray()) {
                    append(emf.group(2));
                }
            } catch (JsonProcessingException e) {
                next.accept("[local-metrics] not an embedded metric document, not kept: " + e.getOriginalMessage());
            }
        }
    }

    private synchronized void append(String document) {
        try {
            Files.writeString(file, document + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + file, e);
        }
    }

    /** One metric's values for one dataset, in the order they were written. */
    public record Series(String dataset, String metric, String unit, List<Double> values) {

        public double sum() {
            return values.stream().mapToDouble(Double::doubleValue).sum();
        }

        public double max() {
            return values.stream().mapToDouble(Double::doubleValue).max().orElse(0);
        }
    }

    /** The kept metrics of {@code file}, by dataset then metric, each in the order written; none without a file. */
    public static List<Series> read(Path file) {
        if (!Files.isRegularFile(file)) {
            return List.of();
        }
        Map<String, Series> series = new LinkedHashMap<>();
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (line.isBlank()) {
                    continue;
                }
                JsonNode document = MAPPER.readTree(line);
                for (JsonNode directive : document.path("_aws").path("CloudWatchMetrics")) {
                    String dataset = directive.path("Dimensions").path(0).path(0).asText("");
                    String datasetValue = document.path(dataset).asText("-");
                    for (JsonNode metric : directive.path("Metrics")) {
                        String name = metric.path("Name").asText();
                        series.computeIfAbsent(datasetValue + "\n" + name, key -> new Series(datasetValue, name,
                                metric.path("Unit").asText("None"), new ArrayList<>()))
                                .values().add(document.path(name).asDouble());
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the metrics in " + file, e);
        }
        return series.values().stream().sorted(java.util.Comparator.comparing(Series::dataset)
                .thenComparing(Series::metric)).toList();
    }
}
