package io.personalizeimport.local.personalize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.personalize.model.DatasetExportJob;
import software.amazon.awssdk.services.personalize.model.DatasetExportJobSummary;
import software.amazon.awssdk.services.personalize.model.ImportMode;
import software.amazon.awssdk.services.personalize.model.IngestionMode;
import software.amazon.awssdk.services.personalize.model.InvalidInputException;
import software.amazon.awssdk.services.personalize.model.ResourceAlreadyExistsException;
import software.amazon.awssdk.services.personalize.model.ResourceNotFoundException;
import software.amazon.awssdk.services.s3.model.S3Object;

/** Dataset export jobs end to end: the real SDK clients against LocalS3 and the emulator, 100 ms per status step. */
class DatasetExportJobTest {

    private static final long STEP_MILLIS = 100;

    @TempDir
    Path root;
    private EmulatorHarness harness;

    @BeforeEach
    void start() {
        harness = new EmulatorHarness(root, root.resolve("personalize"), STEP_MILLIS);
    }

    @AfterEach
    void stop() {
        harness.close();
    }

    private String importUsers(String datasetArn) {
        harness.finalState(harness.startImport("u-1", datasetArn,
                harness.put("users/1.csv", "USER_ID,AGE,MEMBER\nu1,30,true\nu2,31,false\nu3,32,\n"), ImportMode.FULL));
        String changes = harness.put("users/2.csv", "member,USER_ID,AGE\nfalse,u2,41\n,u4,44\n");
        assertEquals("ACTIVE", harness.finalState(harness.startImport("u-2", datasetArn, changes,
                ImportMode.INCREMENTAL)).status());
        return datasetArn;
    }

    private String export(String jobName, String datasetArn, IngestionMode mode) {
        return harness.personalize.createDatasetExportJob(b -> b.jobName(jobName).datasetArn(datasetArn)
                .roleArn(EmulatorHarness.ROLE_ARN).ingestionMode(mode)
                .jobOutput(o -> o.s3DataDestination(d -> d.path("s3://" + EmulatorHarness.BUCKET + "/exports/"))))
                .datasetExportJobArn();
    }

    private List<DatasetExportJob> awaitFinished(String jobArn) {
        List<DatasetExportJob> seen = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            DatasetExportJob job = harness.personalize.describeDatasetExportJob(b -> b.datasetExportJobArn(jobArn))
                    .datasetExportJob();
            if (seen.isEmpty() || !seen.getLast().status().equals(job.status())) {
                seen.add(job);
            }
            if (job.status().equals("ACTIVE") || job.status().equals("CREATE FAILED")) {
                return seen;
            }
            EmulatorHarness.sleep(10);
        }
        throw new AssertionError("Export job " + jobArn + " did not finish; statuses seen: "
                + seen.stream().map(DatasetExportJob::status).toList());
    }

    private String object(String key) {
        return harness.s3Client.getObjectAsBytes(b -> b.bucket(EmulatorHarness.BUCKET).key(key))
                .asString(StandardCharsets.UTF_8);
    }

    private List<String> keysUnder(String prefix) {
        return harness.s3Client.listObjectsV2Paginator(b -> b.bucket(EmulatorHarness.BUCKET).prefix(prefix))
                .contents().stream().map(S3Object::key).toList();
    }

    @Test
    void usersAfterFullThenIncremental_shouldExportEachUsersNewestValues() {
        // GIVEN u1..u3 imported FULL, then u2 changed and u4 added INCREMENTAL (columns in another order and case)
        String datasetArn = importUsers(harness.usersDataset("members"));

        // WHEN all of the dataset is exported
        String jobArn = export("members-all", datasetArn, IngestionMode.ALL);
        List<DatasetExportJob> seen = awaitFinished(jobArn);

        // THEN the job went through every status and wrote one part with each user's newest values
        assertEquals(List.of("CREATE PENDING", "CREATE IN_PROGRESS", "ACTIVE"),
                seen.stream().map(DatasetExportJob::status).toList());
        DatasetExportJob done = seen.getLast();
        assertEquals("arn:aws:personalize:us-east-1:000000000000:dataset-export-job/members-all", jobArn);
        assertEquals(datasetArn, done.datasetArn());
        assertEquals(IngestionMode.ALL, done.ingestionMode());
        assertEquals(EmulatorHarness.ROLE_ARN, done.roleArn());
        assertEquals("s3://imports/exports/", done.jobOutput().s3DataDestination().path());
        assertNull(done.failureReason());
        assertTrue(done.lastUpdatedDateTime().isAfter(done.creationDateTime()));
        assertEquals(List.of("exports/members-all/part-00000.csv"), keysUnder("exports/members-all/"));
        assertEquals("USER_ID,AGE,MEMBER\nu1,30,true\nu2,41,false\nu3,32,\nu4,44,\n",
                object("exports/members-all/part-00000.csv"));
    }

    @Test
    void bulkExport_shouldWriteTheImportedRecordsAndPutExportOnlyTheHeader() {
        String datasetArn = importUsers(harness.usersDataset("members"));

        String bulk = export("members-bulk", datasetArn, IngestionMode.BULK);
        // PUT, the API's default, is data sent record by record (PutUsers), which the emulator never receives
        String put = harness.personalize.createDatasetExportJob(b -> b.jobName("members-put").datasetArn(datasetArn)
                .roleArn(EmulatorHarness.ROLE_ARN)
                .jobOutput(o -> o.s3DataDestination(d -> d.path("s3://" + EmulatorHarness.BUCKET + "/exports"))))
                .datasetExportJobArn();

        assertEquals("ACTIVE", awaitFinished(bulk).getLast().status());
        DatasetExportJob putJob = awaitFinished(put).getLast();
        assertEquals("ACTIVE", putJob.status());
        assertEquals(IngestionMode.PUT, putJob.ingestionMode());
        assertEquals("USER_ID,AGE,MEMBER\nu1,30,true\nu2,41,false\nu3,32,\nu4,44,\n",
                object("exports/members-bulk/part-00000.csv"));
        assertEquals("USER_ID,AGE,MEMBER\n", object("exports/members-put/part-00000.csv"));
    }

    @Test
    void interactions_shouldExportTheRowsOfEveryImport() {
        String datasetArn = harness.interactionsDataset("clicks");
        harness.finalState(harness.startImport("c-1", datasetArn, harness.putInteractions("c1.csv", 1000),
                ImportMode.FULL));
        harness.finalState(harness.startImport("c-2", datasetArn,
                harness.put("c2.csv", harness.interactionsCsv(1000, 1_800_000_000L)), ImportMode.INCREMENTAL));

        String jobArn = export("clicks-all", datasetArn, IngestionMode.ALL);

        assertEquals("ACTIVE", awaitFinished(jobArn).getLast().status());
        String[] lines = object("exports/clicks-all/part-00000.csv").split("\n");
        assertEquals(2001, lines.length);
        assertEquals("USER_ID,ITEM_ID,TIMESTAMP,EVENT_VALUE", lines[0]);
        assertEquals("u0,i0,1700000000,1.5", lines[1]);
        assertEquals("u0,i0,1800000000,1.5", lines[1001]);
    }

    @Test
    void recordsAfterARestart_shouldBeExportedWithTheirValues() {
        String datasetArn = importUsers(harness.usersDataset("members"));

        harness.stopEmulator();
        harness.startEmulator(STEP_MILLIS);
        String jobArn = export("after-restart", datasetArn, IngestionMode.BULK);

        assertEquals("ACTIVE", awaitFinished(jobArn).getLast().status());
        assertEquals("USER_ID,AGE,MEMBER\nu1,30,true\nu2,41,false\nu3,32,\nu4,44,\n",
                object("exports/after-restart/part-00000.csv"));
    }

    @Test
    void listDatasetExportJobs_shouldListTheDatasetsJobsNewestFirst() {
        String users = harness.usersDataset("members");
        String clicks = harness.interactionsDataset("clicks");
        String first = export("members-1", users, IngestionMode.BULK);
        EmulatorHarness.sleep(5);
        String second = export("members-2", users, IngestionMode.BULK);
        export("clicks-1", clicks, IngestionMode.BULK);

        List<DatasetExportJobSummary> listed = harness.personalize.listDatasetExportJobs(b -> b.datasetArn(users))
                .datasetExportJobs();

        assertEquals(List.of(second, first), listed.stream().map(DatasetExportJobSummary::datasetExportJobArn).toList());
        assertEquals("members-2", listed.getFirst().jobName());
        assertEquals(3, harness.personalize.listDatasetExportJobsPaginator(b -> b.maxResults(1)).datasetExportJobs()
                .stream().count());
    }

    @Test
    void outputOutsideS3_shouldFailTheJobWithItsReason() {
        String datasetArn = harness.usersDataset("members");

        String jobArn = harness.personalize.createDatasetExportJob(b -> b.jobName("to-http").datasetArn(datasetArn)
                .roleArn(EmulatorHarness.ROLE_ARN).ingestionMode(IngestionMode.BULK)
                .jobOutput(o -> o.s3DataDestination(d -> d.path("https://example.com/exports/")))).datasetExportJobArn();

        DatasetExportJob done = awaitFinished(jobArn).getLast();
        assertEquals("CREATE FAILED", done.status());
        assertEquals("Invalid output location https://example.com/exports/: expected s3://<bucket>/<folder>/",
                done.failureReason());
    }

    @Test
    void requestWithoutRoleOrPath_shouldBeRefusedWithEveryViolation() {
        String datasetArn = harness.usersDataset("members");

        InvalidInputException e = assertThrows(InvalidInputException.class, () -> harness.personalize
                .createDatasetExportJob(b -> b.jobName("no-role").datasetArn(datasetArn)
                        .jobOutput(o -> o.s3DataDestination(d -> d.kmsKeyArn(null)))));

        assertTrue(e.awsErrorDetails().errorMessage().startsWith("2 validation errors detected: "), e.getMessage());
        assertTrue(e.getMessage().contains("Value null at 'roleArn'"), e.getMessage());
        assertTrue(e.getMessage().contains("Value null at 'jobOutput.s3DataDestination.path'"), e.getMessage());
    }

    @Test
    void unknownDatasetTakenNameAndActionsDataset_shouldBeRefusedAsPersonalizeDoes() {
        String datasetArn = harness.usersDataset("members");
        export("members-1", datasetArn, IngestionMode.BULK);
        String actions = harness.createDataset("catalog", "Actions", """
                {"type": "record", "name": "Actions", "namespace": "com.amazonaws.personalize.schema",
                 "fields": [{"name": "ACTION_ID", "type": "string"}, {"name": "VALUE", "type": "float"}],
                 "version": "1.0"}""");

        assertThrows(ResourceAlreadyExistsException.class, () -> export("members-1", datasetArn, IngestionMode.BULK));
        assertThrows(ResourceNotFoundException.class,
                () -> export("nowhere", datasetArn.replace("members", "nobody"), IngestionMode.BULK));
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> export("actions", actions, IngestionMode.BULK));
        assertTrue(e.getMessage().contains("cannot be exported"), e.getMessage());
        assertThrows(ResourceNotFoundException.class, () -> harness.personalize.describeDatasetExportJob(
                b -> b.datasetExportJobArn("arn:aws:personalize:us-east-1:000000000000:dataset-export-job/none")));
    }
}
