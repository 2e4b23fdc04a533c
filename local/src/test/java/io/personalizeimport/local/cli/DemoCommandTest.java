package io.personalizeimport.local.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import io.personalizeimport.local.demo.DemoData;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code local/run demo} shows progress and the summary; the stack's log goes to the data directory's log file. */
class DemoCommandTest {

    @TempDir
    Path dataDir;

    @Test
    void demoWithoutVerbose_shouldPrintProgressAndSummaryAndLogTheStackToItsFile() throws Exception {
        // GIVEN the console's stdout and stderr, each caught
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        PrintStream console = System.err;
        int exit;

        // WHEN the demo runs
        System.setErr(new PrintStream(stderr, true, StandardCharsets.UTF_8));
        try {
            exit = DemoCommand.run(new String[] {"--data-dir", dataDir.toString()},
                    new PrintStream(stdout, true, StandardCharsets.UTF_8));
        } finally {
            System.setErr(console);
        }

        // THEN every file ended as expected, told in a few dozen lines that name the log file and end in the summary
        List<String> lines = stdout.toString(StandardCharsets.UTF_8).lines().toList();
        Path log = dataDir.resolve("logs/stack.log");
        assertEquals(Cli.OK, exit, String.join("\n", lines));
        assertTrue(lines.size() < 50, lines.size() + " lines:\n" + String.join("\n", lines));
        assertTrue(lines.contains("Logs: " + log + " (--verbose streams them here instead)"), lines::toString);
        assertTrue(lines.contains("Summary"), lines::toString);
        assertEquals("8 of 8 files ended as expected.", lines.getLast());
        assertTrue(lines.stream().anyMatch(line -> line.startsWith("interactions/broken-too-few.csv")
                && line.contains(" REJECTED ")), lines::toString);
        // AND the five users asked to be forgotten are gone from users and interactions, with their count
        Set<String> forgotten = Set.of("u0001", "u0002", "u0003", "u0004", "u0005");
        long theirInteractions = DemoData.files(DemoData.DEFAULT_SEED).get(2).content().lines().skip(1)
                .filter(line -> forgotten.contains(line.substring(0, line.indexOf(',')))).count();
        assertTrue(theirInteractions > 0, "the demo's interactions name the users it forgets");
        assertTrue(lines.contains(String.format(Locale.ROOT, "  %-13s %,6d -> %,6d records", "USERS", 200, 195)),
                lines::toString);
        assertTrue(lines.contains(String.format(Locale.ROOT, "  %-13s %,6d -> %,6d records", "INTERACTIONS", 5000,
                5000 - theirInteractions)), lines::toString);
        assertTrue(lines.stream().anyMatch(line -> line.startsWith("forget/forget-5-users.csv")
                && line.contains(" DELETED ") && line.endsWith((5 + theirInteractions) + " records deleted")),
                lines::toString);
        // AND the emulators', the functions' and Step Functions' lines are in the log file, not on the console
        String logged = Files.readString(log);
        assertTrue(logged.contains(" personalize-emulator CreateDatasetImportJob 200 "), logged);
        assertTrue(logged.contains("\"CloudWatchMetrics\""), logged);
        assertTrue(logged.contains("stepfunctions"), logged);
        for (String shown : List.of(stdout.toString(StandardCharsets.UTF_8), stderr.toString(StandardCharsets.UTF_8))) {
            assertFalse(shown.contains("personalize-emulator"), shown);
            assertFalse(shown.contains("CloudWatchMetrics"), shown);
        }
    }
}
