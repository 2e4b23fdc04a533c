package io.personalizeimport.local.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.personalizeimport.lambdas.domain.PollPolicy;
import io.personalizeimport.local.RepositoryRoot;
import io.personalizeimport.local.bench.Bench;
import io.personalizeimport.local.bench.BenchReport;
import io.personalizeimport.local.bench.PollTable;
import io.personalizeimport.local.bench.Samples;
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
 * {@code local/run bench --json} once, with one run per first-call figure and two warm invocations per function: every
 * figure is there and positive. A smoke test of the measuring, never of the figures' values, which depend on the
 * machine. Needs the functions' packages in {@code lambdas/target} and the npm tooling, as {@code local/run} does. And
 * the text report of a made-up run: each goal's verdict where it belongs.
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
        assertEquals(List.of("baseline", "trigger", "create", "describe", "finish", "recover", "publish"),
                names(report.path("coldStarts"), "figure"));
        for (JsonNode figure : report.path("coldStarts")) {
            positive(figure, "process", "medianMillis", "minMillis", "maxMillis");
            positive(figure, "ratio");
            if (!figure.path("figure").asText().equals("baseline")) {
                assertEquals(2.0, figure.path("goal").asDouble(), figure.toString());
                assertTrue(figure.path("meetsGoal").isBoolean(), figure.toString());
                positive(figure.path("init"), "medianMillis");
                positive(figure.path("firstInvocation"), "medianMillis");
                assertTrue(figure.path("handler").asText().startsWith("Request"), figure.toString());
            }
        }
        // AND each function's primed first call, after hooks that loaded classes: the functions' priming ran
        assertEquals(List.of("trigger", "create", "describe", "finish", "recover", "publish"), names(report.path("primedStarts"), "function"));
        for (JsonNode figure : report.path("primedStarts")) {
            positive(figure, "firstInvocation", "medianMillis");
            positive(figure, "priming", "medianMillis");
            positive(figure, "warmP50Millis", "ratio");
            assertEquals(3.0, figure.path("goal").asDouble(), figure.toString());
            assertTrue(figure.path("meetsGoal").isBoolean(), figure.toString());
            // Priming makes a request with each SDK client: thousands of classes; the runtime's own hook work, a few.
            assertTrue(figure.path("primingClasses").path(0).asLong() > 500, figure.toString());
        }
        assertEquals(List.of("trigger", "create", "describe", "finish", "recover", "publish"), names(report.path("warm"), "function"));
        for (JsonNode warm : report.path("warm")) {
            assertEquals(2, warm.path("invocations").path("count").asInt(), warm.toString());
            positive(warm, "invocations", "medianMillis", "p99Millis");
        }
        assertEquals(List.of("trigger", "create", "describe", "finish", "recover", "publish"), names(report.path("packages"), "function"));
        for (JsonNode jar : report.path("packages")) {
            positive(jar, "bytes");
            assertEquals(12_000_000, jar.path("goalBytes").asLong(), jar.toString());
            assertEquals(jar.path("bytes").asLong() <= 12_000_000, jar.path("meetsGoal").asBoolean(), jar.toString());
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
        assertEquals(List.of("baseline false", "trigger true", "create true", "describe true", "finish true", "recover true", "publish true"), options);
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
        for (String handler : List.of("TriggerHandler", "CreateHandler", "DescribeHandler", "FinishHandler", "RecoveryHandler")) {
            assertTrue(logged.contains("io.personalizeimport.lambdas." + handler + " "), handler + " not logged");
        }
    }

    @Test
    void runMissingTwoGoals_shouldSaySoInTheFunctionsRowsAndCountTheGoalsMet() {
        // GIVEN a run whose trigger's primed first call is 4x its warm p50 and whose describe package weighs 13 MB
        BenchReport report = new BenchReport("what was measured",
                new BenchReport.Machine("Linux", 2, "java", "25", 3, 20, 2, List.of()),
                List.of(new BenchReport.ColdStart("baseline", "a bare JVM", null, List.of("-Xmx217m"), millis(600),
                                null, null, 1.0, null, null),
                        cold("trigger", 900), cold("describe", 480)),
                List.of(primed("trigger", 80, 20), primed("describe", 9, 4.5)),
                List.of(new BenchReport.Warm("trigger", "a new object", 2, millis(20)),
                        new BenchReport.Warm("describe", "a job", 2, millis(4.5))),
                List.of(jar("trigger", 6_700_000), jar("describe", 13_000_000)),
                PollTable.of(PollPolicy.defaults(), 6));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        // WHEN it is printed
        BenchCommand.print(report, new PrintStream(bytes, true, StandardCharsets.UTF_8));

        // THEN the goals table gives each function's figures with each goal's verdict, and counts the goals met
        List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();
        int goals = lines.indexOf(lines.stream().filter(line -> line.startsWith("Issue 18's goals")).findFirst()
                .orElseThrow());
        assertEquals(List.of("FUNCTION", "PRIMED 1ST CALL", "WARM P50", "PRIMED/WARM", "COLD/BARE JVM", "PACKAGE"),
                List.of(lines.get(goals + 1).trim().split(" {2,}")));
        assertEquals(List.of("trigger", "80.0 ms", "20.0 ms", "4.00x NOT MET", "1.50x met", "6.7 MB met"),
                List.of(lines.get(goals + 2).trim().split(" {2,}")));
        assertEquals(List.of("describe", "9.00 ms", "4.50 ms", "2.00x met", "0.80x met", "13.0 MB NOT MET"),
                List.of(lines.get(goals + 3).trim().split(" {2,}")));
        assertEquals("  4 of 6 goals met", lines.get(goals + 4));
    }

    private static Samples millis(double value) {
        return new Samples(List.of(value));
    }

    private static BenchReport.ColdStart cold(String function, double millis) {
        double ratio = millis / 600;
        return new BenchReport.ColdStart(function, "its work", "RequestStreamHandler", List.of("-Xmx435m"),
                millis(millis), millis(millis / 2), millis(millis / 3), ratio, Bench.COLD_GOAL,
                ratio <= Bench.COLD_GOAL);
    }

    private static BenchReport.PrimedStart primed(String function, double firstMillis, double warmP50) {
        double ratio = firstMillis / warmP50;
        return new BenchReport.PrimedStart(function, millis(firstMillis), millis(300), List.of(2_000L), warmP50, ratio,
                Bench.PRIMED_GOAL, ratio <= Bench.PRIMED_GOAL);
    }

    private static BenchReport.DeploymentPackage jar(String function, long bytes) {
        return new BenchReport.DeploymentPackage(function, "lambdas/target/" + function + ".jar", bytes, List.of(),
                Bench.PACKAGE_GOAL_BYTES, bytes <= Bench.PACKAGE_GOAL_BYTES);
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
