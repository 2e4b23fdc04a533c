package io.personalizeimport.local.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where a command's stack logs: its data directory's logs/stack.log, or stderr when asked to stream it. */
class StackLogTest {

    @TempDir
    Path dataDir;

    @Test
    void logToFile_shouldTakeTheSinksLinesAndStderrUntilClosed() throws Exception {
        // GIVEN the console's stderr
        PrintStream console = System.err;

        // WHEN a stack logs to the file through its sink, and an emulator writes to stderr, then the log is closed
        try (StackLog log = StackLog.toFile(dataDir)) {
            log.sink().accept("[trigger] {\"_aws\":{\"CloudWatchMetrics\":[]}}");
            System.err.println("10:00:00.000 personalize-emulator CreateDatasetImportJob 200 3ms OK");
            assertEquals(dataDir.resolve("logs/stack.log"), log.file().orElseThrow());
        }

        // THEN both lines are in the file, in order, and stderr is the console's again
        assertEquals(List.of("[trigger] {\"_aws\":{\"CloudWatchMetrics\":[]}}",
                "10:00:00.000 personalize-emulator CreateDatasetImportJob 200 3ms OK"),
                Files.readAllLines(dataDir.resolve("logs/stack.log")));
        assertSame(console, System.err);
    }

    @Test
    void logToConsole_shouldHaveNoFileAndLeaveStderrAlone() {
        // GIVEN the console's stderr
        PrintStream console = System.err;

        // WHEN the log streams to the console
        try (StackLog log = StackLog.toConsole()) {
            // THEN there is no file, and stderr stays the console's
            assertTrue(log.file().isEmpty());
            assertSame(console, System.err);
        }
        assertTrue(Files.notExists(dataDir.resolve("logs")));
    }
}
