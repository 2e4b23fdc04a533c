package io.personalizeimport.local.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.personalizeimport.local.bench.QuotaUse;
import io.personalizeimport.local.bench.RegionBench;
import io.personalizeimport.local.bench.RunCosts;
import io.personalizeimport.local.personalize.ImportJobSpan;
import io.personalizeimport.local.personalize.ImportJobStats;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code local/run bench --scenario region}: its arguments, checked before any stack starts, and its report. */
class BenchRegionArgsTest {

    private static final Path ROOT = Path.of("/checkout");

    private static List<RegionBench.Settings> settings(String... argv) {
        return BenchCommand.regionSettings(BenchCommand.parse(argv), ROOT);
    }

    private static UsageException refused(String... argv) {
        return assertThrows(UsageException.class, () -> BenchCommand.run(argv,
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), ROOT));
    }

    @Test
    void noOptions_shouldRunTwentyDatasetsOfTenMinuteJobsInFullWithAJobOf15Seconds() {
        RegionBench.Settings run = settings("--scenario", "region", "--data-dir", "/tmp/region").getFirst();

        assertEquals(20, run.datasets());
        assertEquals(40, run.files());
        assertEquals(10, run.jobMinutes());
        assertEquals(RegionBench.Mode.FULL, run.mode());
        assertEquals(15.0 / 600, run.timeScale(), 1e-12);
        assertEquals(Path.of("/tmp/region"), run.dataDir());
    }

    @Test
    void optionsGiven_shouldBeTaken() {
        RegionBench.Settings run = settings("--scenario", "region", "--datasets", "8", "--files", "16",
                "--job-minutes", "120", "--mode", "incremental", "--time-scale", "0.001").getFirst();

        assertEquals(8, run.datasets());
        assertEquals(16, run.files());
        assertEquals(120, run.jobMinutes());
        assertEquals(RegionBench.Mode.INCREMENTAL, run.mode());
        assertEquals(0.001, run.timeScale(), 1e-12);
    }

    @Test
    void costTable_shouldRunTenMinuteAndTwoHourJobsInBothModesEachInItsOwnFolder() {
        List<RegionBench.Settings> runs = settings("--scenario", "region", "--cost-table", "--data-dir", "/tmp/r");

        assertEquals(List.of("10 FULL", "10 INCREMENTAL", "120 FULL", "120 INCREMENTAL"),
                runs.stream().map(run -> run.jobMinutes() + " " + run.mode()).toList());
        assertEquals(Path.of("/tmp/r/120min-incremental"), runs.getLast().dataDir());
        assertEquals(15.0 / 7_200, runs.getLast().timeScale(), 1e-12);
    }

    @Test
    void argumentsThatDoNotFit_shouldBeRefusedSayingWhy() {
        assertEquals("bench: --datasets is for --scenario region only", refused("--datasets", "5").getMessage());
        assertEquals("bench: --cost-table is for --scenario region only",
                refused("--scenario", "staging", "--cost-table").getMessage());
        assertEquals("bench: --runs does not apply to --scenario region",
                refused("--scenario", "region", "--runs", "3").getMessage());
        assertEquals("bench: --mode is 'both': expected full or incremental",
                refused("--scenario", "region", "--mode", "both").getMessage());
        assertEquals("bench: --files is 10: expected at least one file per dataset, 20",
                refused("--scenario", "region", "--files", "10").getMessage());
        assertTrue(refused("--scenario", "region", "--datasets", "21").getMessage().contains("--datasets"));
        assertTrue(refused("--scenario", "region", "--cost-table", "--mode", "full").getMessage()
                .contains("expected no --job-minutes or --mode"));
        assertEquals("bench: --scenario is 'huge': expected functions (the default), staging or region",
                refused("--scenario", "huge").getMessage());
    }

    @Test
    void aReport_shouldSayWhichGoalsAreMet() {
        RegionBench.Settings run = settings("--scenario", "region").getFirst();
        List<ImportJobSpan> jobs = List.of(new ImportJobSpan("a", "arn", "ACTIVE", 0, 15_000L));
        RegionBench.Report report = new RegionBench.Report(run, 5, jobs, new QuotaUse(60_000, 50_000, 0.95, 40_000),
                new ImportJobStats(5, 12, 40), new RunCosts(40, 4_000, 400, 100, 500, 900, 80),
                new RegionBench.Polls(481, 57));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        BenchCommand.print(report, new PrintStream(bytes, true, StandardCharsets.UTF_8));

        List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();
        assertTrue(lines.get(2).contains("1.20x, goal <= 1.15x NOT MET"), lines.get(2));
        assertTrue(lines.get(3).contains("95.0% over 40.0 s, goal >= 90% met"), lines.get(3));
        assertTrue(lines.get(4).contains("maxUnfinishedImportJobs 5, limitExceededAnswers 12, importJobsCreated 40"),
                lines.get(4));
        assertTrue(lines.get(5).contains("481 made here; 57 for these jobs at their real length"), lines.get(5));
    }
}
