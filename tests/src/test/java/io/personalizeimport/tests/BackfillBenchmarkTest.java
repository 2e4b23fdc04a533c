package io.personalizeimport.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.personalizeimport.lambdas.lane.FileEntry;
import io.personalizeimport.lambdas.lane.FileStatus;
import io.personalizeimport.lambdas.ledger.Ledger;
import io.personalizeimport.local.stack.LocalStack;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Backfill benchmark: N small files into one INCREMENTAL interactions route, behind a bulk import, with the emulator's
 * jobs taking a fixed time in each status as a real job does. Prints the import jobs used, the wall time and the rows
 * landed, against one job per file; asserts only that every row landed and every file was imported.
 *
 * <p>{@code -Dbackfill.files=N} (default 30) and {@code -Dbackfill.stepMillis=M} (default 1000) size it:
 * {@code mvn -B -pl tests -am verify -Dtest=BackfillBenchmarkTest -Dsurefire.failIfNoSpecifiedTests=false
 * -Dbackfill.files=1000}.
 */
class BackfillBenchmarkTest {

    private static final String DATASET =
            "arn:aws:personalize:us-east-1:000000000000:dataset/personalize-import-demo/INTERACTIONS";
    private static final String ROUTES = """
            [{"name":"interactions","prefix":"interactions/","datasetArn":"%1$s","importMode":"FULL"},
             {"name":"events","prefix":"events/","datasetArn":"%1$s","importMode":"INCREMENTAL"}]""".formatted(DATASET);
    /**
     * Personalize's minimum per job: however the burst splits over jobs (the lane may free while it is delivered), no
     * batch is held for more records (HeldInteractionsSystemTest covers the hold).
     */
    private static final int ROWS_PER_FILE = 1_000;

    @Test
    void backfill_shouldImportEveryFileInFewJobsAndPrintTheFigures() throws Exception {
        int files = Integer.getInteger("backfill.files", 30);
        long stepMillis = Long.getLong("backfill.stepMillis", 1_000);
        try (LocalStack stack = SharedStack.start(LocalStack.builder().personalizeStepMillis(stepMillis)
                .monitorDeadline(Duration.ofHours(6)).routes(ROUTES));
             S3Client s3 = stack.s3Client()) {
            Ledger ledger = new Ledger(stack.dynamoDbClient(), LocalStack.LEDGER_TABLE, Clock.systemUTC());
            // GIVEN the dataset's bulk import, timed: the duration of one job, for the one-job-per-file estimate
            Instant bulkStart = Instant.now();
            s3.putObject(r -> r.bucket(LocalStack.BUCKET).key("interactions/base.csv"),
                    RequestBody.fromString(Csv.interactions(1000)));
            Lanes.trigger(stack, S3Events.put(s3, LocalStack.BUCKET, "interactions/base.csv"));

            // WHEN N files arrive, one notification each
            Instant start = Instant.now();
            String content = Csv.interactions(ROWS_PER_FILE);
            for (int i = 0; i < files; i++) {
                String key = "events/backfill/part-" + i + ".csv";
                s3.putObject(r -> r.bucket(LocalStack.BUCKET).key(key), RequestBody.fromString(content));
                Lanes.trigger(stack, S3Events.put(s3, LocalStack.BUCKET, key));
            }
            Duration delivery = Duration.between(start, Instant.now());
            Lanes.awaitIdle(ledger, DATASET, Duration.ofMinutes(30));
            Duration wall = Duration.between(start, Instant.now());
            Duration bulkJob = jobDuration(stack, ledger);

            // THEN every file was imported, in few jobs
            List<FileEntry> backfill = ledger.files(DATASET).stream()
                    .filter(file -> file.file().key().startsWith("events/backfill/")).toList();
            Set<String> jobs = backfill.stream().map(entry -> entry.standing().jobName()).collect(Collectors.toSet());
            long rows = stack.personalize().recordCount(DATASET) - 1000;
            System.out.printf("%nBackfill of %d files x %d rows into one INCREMENTAL route (job step %d ms)%n",
                    files, ROWS_PER_FILE, stepMillis);
            System.out.printf("  import jobs used        %d (one job per file: %d)%n", jobs.size(), files);
            System.out.printf("  wall time               %.1f s (notifications delivered in %.1f s)%n",
                    wall.toMillis() / 1000.0, delivery.toMillis() / 1000.0);
            System.out.printf("  one job per file        about %.1f s (%d x %.1f s, the bulk job's time)%n",
                    files * bulkJob.toMillis() / 1000.0, files, bulkJob.toMillis() / 1000.0);
            System.out.printf("  rows landed             %d of %d%n%n", rows, (long) files * ROWS_PER_FILE);
            assertEquals(files, backfill.size());
            assertTrue(backfill.stream().allMatch(entry -> entry.standing().status() == FileStatus.IMPORTED),
                    backfill::toString);
            assertEquals((long) files * ROWS_PER_FILE, rows);
        }
    }

    /** How long the bulk import's job took in the emulator, from its creation to its last status change. */
    private static Duration jobDuration(LocalStack stack, Ledger ledger) {
        String job = ledger.files(DATASET).stream().filter(file -> file.file().key().equals("interactions/base.csv"))
                .findFirst().orElseThrow().standing().jobName();
        try (var personalize = stack.personalizeClient()) {
            var description = personalize.describeDatasetImportJob(r -> r.datasetImportJobArn(
                    DATASET.replace(":dataset/personalize-import-demo/INTERACTIONS", ":dataset-import-job/" + job)))
                    .datasetImportJob();
            return Duration.between(description.creationDateTime(), description.lastUpdatedDateTime());
        }
    }

}
