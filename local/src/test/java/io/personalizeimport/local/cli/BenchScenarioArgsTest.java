package io.personalizeimport.local.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.personalizeimport.local.bench.StagingBench;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code local/run bench --scenario staging}: its arguments, checked before any stack starts, and its report. */
class BenchScenarioArgsTest {

    private static final Path ROOT = Path.of("/checkout");

    private static UsageException refused(String... argv) {
        return assertThrows(UsageException.class, () -> BenchCommand.run(argv,
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), ROOT));
    }

    @Test
    void noSizes_shouldStageTheIssuesGigabyte() {
        StagingBench.Settings settings = BenchCommand.stagingSettings(BenchCommand.parse(new String[] {
                "--scenario", "staging", "--data-dir", "/tmp/bench-staging"}), ROOT);

        assertEquals(500, settings.files());
        assertEquals(2_000_000, settings.fileBytes());
        assertEquals(Path.of("/tmp/bench-staging"), settings.dataDir());
    }

    @Test
    void sizesGiven_shouldBeTaken() {
        StagingBench.Settings settings = BenchCommand.stagingSettings(BenchCommand.parse(new String[] {
                "--scenario", "staging", "--files", "40", "--file-bytes", "250000"}), ROOT);

        assertEquals(40, settings.files());
        assertEquals(250_000, settings.fileBytes());
    }

    @Test
    void argumentsThatDoNotFit_shouldBeRefusedSayingWhy() {
        assertEquals("bench: --scenario is 'huge': expected functions (the default), staging or region",
                refused("--scenario", "huge").getMessage());
        assertEquals("bench: --files is for --scenario staging only", refused("--files", "10").getMessage());
        assertEquals("bench: --runs does not apply to --scenario staging",
                refused("--scenario", "staging", "--runs", "3").getMessage());
        assertEquals("bench: --json does not apply to --scenario staging",
                refused("--scenario", "staging", "--json").getMessage());
        assertEquals("bench: --files is 1: a staged batch has at least 2 files",
                refused("--scenario", "staging", "--files", "1").getMessage());
        assertTrue(refused("--scenario", "staging", "--files", "501").getMessage().contains("--files"));
        assertTrue(refused("--scenario", "staging", "--file-bytes", "1.5").getMessage()
                .contains("--file-bytes expects a whole number"));
    }

    @Test
    void aReport_shouldPrintEachFigureOnItsLine() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        BenchCommand.print(new StagingBench.Report(500, 1_000_000_000L, 1_425_000, 1, Duration.ofSeconds(20),
                Duration.ofMillis(61_500), 3, Duration.ofSeconds(90), 1_425_000),
                new PrintStream(bytes, true, StandardCharsets.UTF_8));

        List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals("local/run bench --scenario staging: 500 files, 1000000000 bytes (1.00 GB), 1425000 rows",
                lines.get(0));
        assertEquals("  burst landing in the route   20.0 s", lines.get(1));
        assertEquals("  time to stage                61.5 s after its first file", lines.get(2));
        assertEquals("  create task invocations      3 (in 1 job)", lines.get(3));
        assertEquals("  emulator's records           1425000 of the burst's 1425000 rows", lines.get(5));
    }
}
