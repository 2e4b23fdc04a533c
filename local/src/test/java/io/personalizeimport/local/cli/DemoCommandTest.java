package io.personalizeimport.local.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
        assertTrue(lines.size() < 40, lines.size() + " lines:\n" + String.join("\n", lines));
        assertTrue(lines.contains("Logs: " + log + " (--verbose streams them here instead)"), lines::toString);
        assertTrue(lines.contains("Summary"), lines::toString);
        assertEquals("7 of 7 files ended as expected.", lines.getLast());
        assertTrue(lines.stream().anyMatch(line -> line.startsWith("interactions/broken-too-few.csv")
                && line.contains(" REJECTED ")), lines::toString);
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
