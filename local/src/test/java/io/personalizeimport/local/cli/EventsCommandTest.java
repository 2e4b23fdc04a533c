package io.personalizeimport.local.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code local/run events} over the events file a local stack's EventBridge keeps. */
class EventsCommandTest {

    private static final String DATASET = "arn:aws:personalize:us-east-1:000000000000:dataset/personalize-import-demo/USERS";

    @TempDir
    Path dataDir;

    private List<String> run(String... argv) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        String[] args = java.util.stream.Stream.concat(java.util.Arrays.stream(argv),
                java.util.stream.Stream.of("--data-dir", dataDir.toString())).toArray(String[]::new);
        assertEquals(Cli.OK, EventsCommand.run(args, new PrintStream(bytes, true, StandardCharsets.UTF_8)));
        return bytes.toString(StandardCharsets.UTF_8).lines().toList();
    }

    @Test
    void publishedEvents_shouldBeListedOldestFirstWithWhatAndWhy() throws Exception {
        // GIVEN an import that succeeded and a file that was superseded, as the local EventBridge keeps them
        Path file = EventsCommand.eventsFile(dataDir);
        Files.createDirectories(file.getParent());
        Files.writeString(file, String.join("\n",
                "{\"id\":\"1\",\"time\":\"2026-11-24T12:00:00Z\",\"detail-type\":\"Dataset Import Succeeded\","
                        + "\"detail\":{\"datasetArn\":\"" + DATASET + "\",\"jobName\":\"users-a-0123\",\"fileCount\":1}}",
                "{\"id\":\"2\",\"time\":\"2026-11-24T12:00:05Z\",\"detail-type\":\"File Superseded\","
                        + "\"detail\":{\"datasetArn\":\"" + DATASET + "\",\"file\":{\"key\":\"users/b.csv\"},"
                        + "\"supersededBy\":\"users/c.csv\"}}") + "\n");

        // WHEN they are listed, for people and as JSON
        List<String> lines = run();
        List<String> json = run("--json");

        // THEN each is one line with its time, type, dataset, subject and reason, in the order they were published
        assertEquals(2, lines.size(), String.join("\n", lines));
        assertTrue(lines.get(0).matches("2026-11-24T12:00:00Z +Dataset Import Succeeded +personalize-import-demo/USERS"
                + " +users-a-0123 \\(1 file\\(s\\)\\)"), lines.get(0));
        assertTrue(lines.get(1).matches("2026-11-24T12:00:05Z +File Superseded +personalize-import-demo/USERS"
                + " +users/b.csv +superseded by users/c.csv"), lines.get(1));
        assertEquals(2, json.size());
        assertTrue(json.get(1).contains("\"supersededBy\":\"users/c.csv\""), json.get(1));
    }

    @Test
    void noEventsYet_shouldSaySo() {
        List<String> lines = run();

        assertEquals(1, lines.size());
        assertTrue(lines.get(0).startsWith("No events published yet"), lines.get(0));
    }
}
