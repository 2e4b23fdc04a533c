package io.personalizeimport.local.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.personalizeimport.local.RepositoryRoot;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code local/run bench --json} once, with one run per cold-start figure and two warm invocations per function: every
 * figure is there and positive. A smoke test of the measuring, never of the figures' values, which depend on the
 * machine. Needs {@code lambdas/target/function.jar} and the npm tooling, as {@code local/run} does.
 */
class BenchCommandTest {

    @TempDir
    Path dataDir;

    @Test
    void oneRunAsJson_shouldReportEveryFigureWithPositiveNumbers() throws Exception {
        // GIVEN a built checkout, and a JVM option for the functions that logs the classes they load
        Path root = RepositoryRoot.find();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Path classLogs = Files.createDirectories(dataDir.resolve("classes"));
        String logClasses = "-Xlog:class+load:file=" + classLogs + "/%p.log";

        // WHEN the bench runs once per figure
        int exit = BenchCommand.run(new String[] {"--runs", "1", "--warm", "2", "--json", "--data-dir",
                dataDir.resolve("bench").toString(), "--jvm-option", logClasses},
                new PrintStream(bytes, true, StandardCharsets.UTF_8), root);

        // THEN it prints one JSON document with every figure
        assertEquals(Cli.OK, exit);
        JsonNode report = Cli.MAPPER.readTree(bytes.toString(StandardCharsets.UTF_8));
        assertEquals(List.of("baseline", "trigger", "describe"), names(report.path("coldStarts"), "figure"));
        for (JsonNode figure : report.path("coldStarts")) {
            positive(figure, "process", "medianMillis", "minMillis", "maxMillis");
            positive(figure, "ratio");
            if (!figure.path("figure").asText().equals("baseline")) {
                positive(figure, "goal");
                positive(figure.path("init"), "medianMillis");
                positive(figure.path("firstInvocation"), "medianMillis");
                assertTrue(figure.path("handler").asText().startsWith("Request"), figure.toString());
            }
        }
        assertEquals(List.of("trigger", "create", "describe", "lane"), names(report.path("warm"), "function"));
        for (JsonNode warm : report.path("warm")) {
            assertEquals(2, warm.path("invocations").path("count").asInt(), warm.toString());
            positive(warm, "invocations", "medianMillis", "p99Millis");
        }
        assertEquals(List.of("trigger", "create", "describe", "lane"), names(report.path("packages"), "function"));
        for (JsonNode jar : report.path("packages")) {
            positive(jar, "bytes");
            assertTrue(Files.isRegularFile(root.resolve(jar.path("path").asText())), jar.toString());
        }
        JsonNode polls = report.path("pollPolicy");
        assertEquals(List.of("PT5M", "PT1H", "PT24H", "PT48H"), names(polls.path("jobs"), "job"));
        for (JsonNode job : polls.path("jobs")) {
            positive(job, "polls", "stateTransitions", "delaySeconds", "worstDelaySeconds", "goalSeconds");
        }
        positive(polls, "statesPerImport", "polls48h", "fixedLoopPolls48h");
        assertTrue(report.path("measured").asText().contains("fresh JVM"), report.path("measured").asText());

        // AND the option reached the functions' JVMs, not the bare one
        List<String> options = new ArrayList<>();
        for (JsonNode figure : report.path("coldStarts")) {
            options.add(figure.path("figure").asText() + " " + figure.path("jvmOptions").toString().contains(logClasses));
        }
        assertEquals(List.of("baseline false", "trigger true", "describe true"), options);
        assertEquals("[\"" + logClasses + "\"]", report.path("machine").path("addedJvmOptions").toString());
        String logged;
        try (var files = Files.list(classLogs)) {
            logged = files.map(file -> {
                try {
                    return Files.readString(file);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).collect(Collectors.joining());
        }
        for (String handler : List.of("TriggerHandler", "CreateHandler", "DescribeHandler", "LaneHandler")) {
            assertTrue(logged.contains("io.personalizeimport.lambdas." + handler + " "), handler + " not logged");
        }
    }

    @Test
    void durations_shouldReadAsTheReadmeWritesThem() {
        assertEquals("16 s", BenchCommand.human(Duration.ofSeconds(16)));
        assertEquals("5 min", BenchCommand.human(Duration.ofMinutes(5)));
        assertEquals("3 min 51 s", BenchCommand.human(Duration.ofSeconds(231)));
        assertEquals("48 h", BenchCommand.human(Duration.ofHours(48)));
        assertEquals("2 h 24 min", BenchCommand.human(Duration.ofMinutes(144)));
    }

    private static List<String> names(JsonNode array, String field) {
        List<String> names = new ArrayList<>();
        array.forEach(node -> names.add(node.path(field).asText()));
        return names;
    }

    /** {@code fields} of {@code node}, the last ones under the first when it is an object. */
    private static void positive(JsonNode node, String... fields) {
        JsonNode base = fields.length > 1 && node.path(fields[0]).isObject() ? node.path(fields[0]) : node;
        for (int i = base == node ? 0 : 1; i < fields.length; i++) {
            double value = base.path(fields[i]).asDouble();
            String field = fields[i];
            assertTrue(value > 0, () -> field + " of " + node + " is not positive");
        }
    }
}
