package io.personalizeimport.local.personalize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.services.personalize.model.DatasetImportJob;
import software.amazon.awssdk.services.personalize.model.ImportMode;
import software.amazon.awssdk.services.personalize.model.InvalidInputException;
import software.amazon.awssdk.services.personalize.model.LimitExceededException;
import software.amazon.awssdk.services.personalize.model.ResourceInUseException;

/** Import jobs end to end: the real SDK clients against LocalS3 and the emulator, 100 ms per status step. */
class ImportJobLifecycleTest {

    private static final long STEP_MILLIS = 100;

    @TempDir
    Path root;
    private EmulatorHarness harness;

    @BeforeEach
    void start() {
        harness = new EmulatorHarness(root, null, STEP_MILLIS);
    }

    @AfterEach
    void stop() {
        harness.close();
    }

    @Test
    void validInteractions_shouldPassThroughEveryStatusToActiveWithTheirCount() {
        // GIVEN an interactions dataset and 1200 valid interactions in S3
        String datasetArn = harness.interactionsDataset("shop");
        String location = harness.putInteractions("interactions/2024-05-01.csv", 1200);

        // WHEN an import job is created and polled
        String jobArn = harness.startImport("shop-2024-05-01", datasetArn, location, ImportMode.FULL);
        List<DatasetImportJob> seen = harness.awaitFinished(jobArn);

        // THEN it went PENDING -> IN_PROGRESS -> ACTIVE, each with a later lastUpdatedDateTime, and holds 1200 records
        assertEquals(List.of("CREATE PENDING", "CREATE IN_PROGRESS", "ACTIVE"),
                seen.stream().map(DatasetImportJob::status).toList());
        assertTrue(seen.get(1).lastUpdatedDateTime().isAfter(seen.get(0).lastUpdatedDateTime()));
        assertTrue(seen.get(2).lastUpdatedDateTime().isAfter(seen.get(1).lastUpdatedDateTime()));
        DatasetImportJob done = seen.getLast();
        assertEquals("arn:aws:personalize:us-east-1:000000000000:dataset-import-job/shop-2024-05-01", jobArn);
        assertEquals(datasetArn, done.datasetArn());
        assertEquals(location, done.dataSource().dataLocation());
        assertEquals(EmulatorHarness.ROLE_ARN, done.roleArn());
        assertEquals(ImportMode.FULL, done.importMode());
        assertNull(done.failureReason());
        assertEquals(1200, harness.emulator.recordCount(datasetArn));
    }

    static Stream<Arguments> badData() {
        return Stream.of(
                Arguments.of("interactions", "missing-timestamp.csv",
                        "Input CSV is missing the following columns: [TIMESTAMP]"),
                Arguments.of("interactions", "bad-timestamp.csv", "Row 2 of s3://imports/data/bad-timestamp.csv, "
                        + "column TIMESTAMP: value '2024-05-01T10:00:00Z' is not a valid long"),
                Arguments.of("interactions", "unknown-column.csv",
                        "Input CSV has the following columns that are not in the schema: [COLOR]"),
                Arguments.of("interactions", "unterminated-quote.csv", "Malformed CSV in "
                        + "s3://imports/data/unterminated-quote.csv: a quoted value is not closed in record 2"),
                Arguments.of("users", "users-bad-int.csv",
                        "Row 2 of s3://imports/data/users-bad-int.csv, column AGE: value 'thirty' is not a valid int"),
                Arguments.of("users", "users-empty-id.csv", "Row 2 of s3://imports/data/users-empty-id.csv has no "
                        + "value for column USER_ID, which is not nullable (expected string)"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("badData")
    void invalidData_shouldFailTheJobWithAReasonNamingTheProblem(String kind, String fixture, String reason) {
        // GIVEN a dataset and a CSV file that breaks its schema
        String datasetArn = kind.equals("users") ? harness.usersDataset("g") : harness.interactionsDataset("g");
        String location = harness.putFixture("data/" + fixture, fixture);

        // WHEN it is imported
        DatasetImportJob job = harness.finalState(harness.startImport("job", datasetArn, location, ImportMode.FULL));

        // THEN the job fails with Personalize-style wording and the dataset stays empty
        assertEquals("CREATE FAILED", job.status());
        assertEquals(reason, job.failureReason());
        assertEquals(0, harness.emulator.recordCount(datasetArn));
    }

    @Test
    void fewerThan1000Interactions_shouldFailWithTheMinimum() {
        // GIVEN 999 interactions: Personalize needs at least 1000 per import
        String datasetArn = harness.interactionsDataset("small");
        String location = harness.putInteractions("few.csv", 999);

        // WHEN imported
        DatasetImportJob job = harness.finalState(harness.startImport("few", datasetArn, location, ImportMode.FULL));

        // THEN
        assertEquals("CREATE FAILED", job.status());
        assertEquals("Number of interactions (999) in s3://imports/few.csv is less than the minimum of 1000",
                job.failureReason());
    }

    @Test
    void missingObject_shouldFailWithInsufficientPrivileges() {
        String datasetArn = harness.interactionsDataset("nothing");

        DatasetImportJob job = harness.finalState(
                harness.startImport("ghost", datasetArn, "s3://imports/not-there.csv", ImportMode.FULL));

        assertEquals("CREATE FAILED", job.status());
        assertEquals("Insufficient privileges for accessing data in Amazon S3", job.failureReason());
    }

    @Test
    void missingBucket_shouldFailWithInsufficientPrivileges() {
        String datasetArn = harness.interactionsDataset("nobucket");

        DatasetImportJob job = harness.finalState(
                harness.startImport("ghost", datasetArn, "s3://no-such-bucket/a.csv", ImportMode.FULL));

        assertEquals("Insufficient privileges for accessing data in Amazon S3", job.failureReason());
    }

    @Test
    void locationThatIsNoS3Url_shouldFailWithInvalidDataLocation() {
        // GIVEN a location the model's pattern accepts but that names no S3 object
        String datasetArn = harness.interactionsDataset("weird");

        DatasetImportJob job = harness.finalState(
                harness.startImport("weird", datasetArn, "https://example.com/data.csv", ImportMode.FULL));

        assertEquals("Invalid Data location", job.failureReason());
    }

    @Test
    void prefixLocation_shouldImportEveryCsvUnderIt() {
        // GIVEN three CSV files and one non-CSV file under a prefix
        String datasetArn = harness.interactionsDataset("daily");
        harness.putInteractions("daily/part-1.csv", 400);
        harness.putInteractions("daily/part-2.csv", 500);
        harness.putInteractions("daily/nested/part-3.csv", 300);
        harness.put("daily/_SUCCESS", "not data");
        harness.putInteractions("elsewhere/other.csv", 700);

        // WHEN the prefix is imported
        DatasetImportJob job = harness.finalState(
                harness.startImport("daily", datasetArn, "s3://imports/daily/", ImportMode.FULL));

        // THEN the records of all three CSV files under it, and only those, are in the dataset
        assertEquals("ACTIVE", job.status());
        assertEquals(1200, harness.emulator.recordCount(datasetArn));
    }

    @Test
    void quotedCrlfCsvWithBom_shouldBeReadAsRfc4180() {
        // GIVEN users with quoted commas, doubled quotes, an embedded newline, CRLF, a BOM and lower-case headers
        String datasetArn = harness.usersDataset("people");
        String location = harness.putFixture("users.csv", "users-quoted-bom-crlf.csv");

        DatasetImportJob job = harness.finalState(harness.startImport("people", datasetArn, location, ImportMode.FULL));

        // THEN all four users are imported
        assertEquals("ACTIVE", job.status(), job.failureReason());
        assertEquals(4, harness.emulator.recordCount(datasetArn));
    }

    @Test
    void fullImport_shouldReplaceAndIncrementalShouldUpsertById() {
        // GIVEN users u1..u3 imported in FULL
        String datasetArn = harness.usersDataset("members");
        String first = harness.put("users/1.csv", "USER_ID,AGE\nu1,30\nu2,31\nu3,32\n");
        assertEquals("ACTIVE", harness.finalState(harness.startImport("u-1", datasetArn, first, ImportMode.FULL)).status());
        assertEquals(3, harness.emulator.recordCount(datasetArn));

        // WHEN u3 and u4 are imported INCREMENTAL
        String second = harness.put("users/2.csv", "USER_ID,AGE\nu3,40\nu4,41\n");
        assertEquals("ACTIVE",
                harness.finalState(harness.startImport("u-2", datasetArn, second, ImportMode.INCREMENTAL)).status());

        // THEN u3 is replaced, u4 added
        assertEquals(4, harness.emulator.recordCount(datasetArn));

        // AND WHEN u9 alone is imported FULL THEN it replaces everything
        String third = harness.put("users/3.csv", "USER_ID,AGE\nu9,50\n");
        assertEquals("ACTIVE", harness.finalState(harness.startImport("u-3", datasetArn, third, ImportMode.FULL)).status());
        assertEquals(1, harness.emulator.recordCount(datasetArn));
    }

    @Test
    void incrementalInteractions_shouldAppend() {
        String datasetArn = harness.interactionsDataset("clicks");
        harness.finalState(harness.startImport("c-1", datasetArn, harness.putInteractions("c1.csv", 1000),
                ImportMode.FULL));

        DatasetImportJob job = harness.finalState(harness.startImport("c-2", datasetArn,
                harness.putInteractions("c2.csv", 1500), ImportMode.INCREMENTAL));

        assertEquals("ACTIVE", job.status());
        assertEquals(2500, harness.emulator.recordCount(datasetArn));
    }

    @Test
    void incrementalBeforeAnyBulkImport_shouldBeRejected() {
        // GIVEN a dataset that never had a successful FULL import (only a failed one)
        String datasetArn = harness.usersDataset("fresh");
        harness.finalState(harness.startImport("broken", datasetArn, "s3://imports/none.csv", ImportMode.FULL));
        String location = harness.put("fresh.csv", "USER_ID\nu1\n");

        // WHEN an INCREMENTAL import is requested THEN Personalize's precondition rejects it
        InvalidInputException error = assertThrows(InvalidInputException.class,
                () -> harness.startImport("incr", datasetArn, location, ImportMode.INCREMENTAL));
        assertTrue(error.awsErrorDetails().errorMessage().contains("FULL"), error.getMessage());
    }

    @Test
    void secondJobWhileTheFirstRuns_shouldBeResourceInUse() {
        // GIVEN a job pending on a dataset
        String datasetArn = harness.interactionsDataset("busy");
        String location = harness.putInteractions("busy.csv", 1000);
        String first = harness.startImport("busy-1", datasetArn, location, ImportMode.FULL);

        // WHEN another job is created for the same dataset
        ResourceInUseException error = assertThrows(ResourceInUseException.class,
                () -> harness.startImport("busy-2", datasetArn, location, ImportMode.FULL));

        // THEN it is refused naming the running job, and accepted once that one has finished
        assertEquals(400, error.statusCode());
        assertTrue(error.awsErrorDetails().errorMessage().contains(first), error.getMessage());
        harness.awaitFinished(first);
        assertEquals("ACTIVE", harness.finalState(harness.startImport("busy-2", datasetArn, location, ImportMode.FULL))
                .status());
    }

    @Test
    void sixthUnfinishedJobInTheRegion_shouldExceedTheLimitOfFive() {
        // GIVEN five jobs pending on five datasets, on an emulator slow enough that none finishes meanwhile
        harness.stopEmulator();
        harness.startEmulator(60_000);
        String location = harness.putInteractions("many.csv", 1000);
        for (int i = 1; i <= 5; i++) {
            String datasetArn = harness.interactionsDataset("group-" + i);
            harness.startImport("job-" + i, datasetArn, location, ImportMode.FULL);
        }
        String sixth = harness.interactionsDataset("group-6");

        // WHEN a sixth job is created THEN LimitExceededException, which the SDK does not retry
        LimitExceededException error = assertThrows(LimitExceededException.class,
                () -> harness.startImport("job-6", sixth, location, ImportMode.FULL));
        assertEquals(1, error.numAttempts());
    }

    @Test
    void rowLongerThanTheLimit_shouldFailTheJobNamingTheRowAndLeaveTheDatasetFree() {
        // GIVEN a file whose second row runs on for 3 MiB without a line break: a small stand-in for a 1 GB one,
        // enough to pass the 1 MiB row limit
        String datasetArn = harness.interactionsDataset("huge");
        String location = harness.put("huge/one-line.csv", "USER_ID,ITEM_ID,TIMESTAMP,EVENT_VALUE\n"
                + "u1,i1,1700000000,\n" + "u2,i2," + "7".repeat(3 * 1024 * 1024));

        // WHEN it is imported
        DatasetImportJob job = harness.finalState(harness.startImport("huge-1", datasetArn, location, ImportMode.FULL));

        // THEN the job fails naming the row and the limit
        assertEquals("CREATE FAILED", job.status());
        assertEquals("Row 2 of s3://imports/huge/one-line.csv is longer than 1048576 bytes: a row this long is most "
                + "likely a file without line breaks or a quote that is never closed", job.failureReason());

        // AND the dataset accepts the next import, which succeeds
        String fixed = harness.putInteractions("huge/fixed.csv", 1000);
        DatasetImportJob next = harness.finalState(harness.startImport("huge-2", datasetArn, fixed, ImportMode.FULL));
        assertEquals("ACTIVE", next.status());
        assertEquals(1000, harness.emulator.recordCount(datasetArn));
    }
}
