package io.personalizeimport.local.personalize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.personalize.model.DataDeletionJob;
import software.amazon.awssdk.services.personalize.model.DataDeletionJobSummary;
import software.amazon.awssdk.services.personalize.model.ImportMode;
import software.amazon.awssdk.services.personalize.model.InvalidInputException;
import software.amazon.awssdk.services.personalize.model.InvalidNextTokenException;
import software.amazon.awssdk.services.personalize.model.LimitExceededException;
import software.amazon.awssdk.services.personalize.model.ListDataDeletionJobsResponse;
import software.amazon.awssdk.services.personalize.model.PersonalizeException;
import software.amazon.awssdk.services.personalize.model.ResourceAlreadyExistsException;
import software.amazon.awssdk.services.personalize.model.ResourceNotFoundException;

/** Data deletion jobs end to end: the real SDK clients against LocalS3 and the emulator, 100 ms per status step. */
class DataDeletionJobTest {

    static final long STEP_MILLIS = 100;
    static final String ACTION_INTERACTIONS_SCHEMA = """
            {"type": "record", "name": "ActionInteractions", "namespace": "com.amazonaws.personalize.schema",
             "fields": [{"name": "USER_ID", "type": "string"}, {"name": "ACTION_ID", "type": "string"},
                        {"name": "TIMESTAMP", "type": "long"}, {"name": "EVENT_TYPE", "type": "string"}],
             "version": "1.0"}""";

    @TempDir
    Path root;
    private EmulatorHarness harness;

    @AfterEach
    void stop() {
        if (harness != null) {
            harness.close();
        }
    }

    /** A dataset group with users, interactions and action interactions datasets, each imported. */
    record Group(String arn, String users, String interactions, String actionInteractions,
                 Map<String, List<Map<String, String>>> imported) {
    }

    @Test
    void deletionOfTenUsers_shouldRemoveExactlyTheirRecordsFromUsersAndInteractionsDatasets() throws Exception {
        // GIVEN a group with 50 users, 1200 interactions and 300 action interactions of those users, and an item
        // dataset that names no user
        harness = new EmulatorHarness(root, null, STEP_MILLIS);
        Group group = importedGroup("shop");
        Set<String> forgotten = IntStream.range(0, 10).mapToObj(i -> "u" + i * 3).collect(Collectors.toSet());
        String location = harness.put("deletions/forget.csv", "USER_ID\n" + String.join("\n", forgotten) + "\n");

        // WHEN a data deletion job names ten of them
        String jobArn = harness.personalize.createDataDeletionJob(b -> b.jobName("forget-1")
                .datasetGroupArn(group.arn()).roleArn(EmulatorHarness.ROLE_ARN)
                .dataSource(s -> s.dataLocation(location))).dataDeletionJobArn();
        List<DataDeletionJob> seen = awaitFinished(jobArn);

        // THEN it went PENDING -> IN_PROGRESS -> COMPLETED, and every dataset holding users lost exactly their records
        assertEquals(List.of("PENDING", "IN_PROGRESS", "COMPLETED"),
                seen.stream().map(DataDeletionJob::status).toList());
        assertEquals("arn:aws:personalize:us-east-1:000000000000:data-deletion-job/forget-1", jobArn);
        long expectedDeleted = 0;
        for (String datasetArn : List.of(group.users(), group.interactions(), group.actionInteractions())) {
            List<Map<String, String>> before = group.imported().get(datasetArn);
            List<Map<String, String>> kept = before.stream()
                    .filter(r -> !forgotten.contains(r.get("USER_ID"))).toList();
            assertTrue(kept.size() < before.size(), "the fixture must hold forgotten users in " + datasetArn);
            assertEquals(kept, harness.emulator.records(datasetArn), datasetArn);
            expectedDeleted += before.size() - kept.size();
        }
        DataDeletionJob done = seen.getLast();
        assertEquals(40, harness.emulator.recordCount(group.users()));
        assertEquals(expectedDeleted, done.numDeleted().longValue());
        assertEquals(group.arn(), done.datasetGroupArn());
        assertEquals(location, done.dataSource().dataLocation());
        assertEquals(EmulatorHarness.ROLE_ARN, done.roleArn());
        assertNull(done.failureReason());
        assertTrue(done.lastUpdatedDateTime().isAfter(done.creationDateTime()));

        // AND /_emulator/datasets shows the new counts, /_emulator/stats the job
        JsonNode datasets = admin("/_emulator/datasets").path("datasets");
        Map<String, Long> counts = new HashMap<>();
        datasets.forEach(d -> counts.put(d.path("datasetArn").asText(), d.path("recordCount").asLong()));
        assertEquals(40L, counts.get(group.users()));
        assertEquals((long) harness.emulator.records(group.interactions()).size(), counts.get(group.interactions()));
        assertEquals(1, admin("/_emulator/stats").path("dataDeletionJobsCreated").asLong());
    }

    @Test
    void restart_shouldKeepTheDeletionAndTheJob() {
        // GIVEN a completed deletion of one user, with the state in a data directory
        harness = new EmulatorHarness(root, root.resolve("state"), STEP_MILLIS);
        Group group = importedGroup("kept");
        String location = harness.put("deletions/one.csv", "user_id\nu7\n");
        String jobArn = harness.personalize.createDataDeletionJob(b -> b.jobName("one")
                .datasetGroupArn(group.arn()).roleArn(EmulatorHarness.ROLE_ARN)
                .dataSource(s -> s.dataLocation(location))).dataDeletionJobArn();
        long deleted = awaitFinished(jobArn).getLast().numDeleted();
        List<Map<String, String>> interactions = harness.emulator.records(group.interactions());

        // WHEN the emulator restarts over the same directory
        harness.stopEmulator();
        harness.startEmulator(STEP_MILLIS);

        // THEN the records stay deleted and the job stays COMPLETED with its count
        assertEquals(interactions, harness.emulator.records(group.interactions()));
        assertEquals(49, harness.emulator.recordCount(group.users()));
        DataDeletionJob job = harness.personalize.describeDataDeletionJob(b -> b.dataDeletionJobArn(jobArn))
                .dataDeletionJob();
        assertEquals("COMPLETED", job.status());
        assertEquals(deleted, job.numDeleted().longValue());
    }

    @Test
    void badInputFiles_shouldFailTheJobWithAReasonAndDeleteNothing() {
        harness = new EmulatorHarness(root, null, STEP_MILLIS);
        Group group = importedGroup("bad");
        Map<String, String> reasons = Map.of(
                harness.put("deletions/no-column.csv", "CUSTOMER\nu1\n"),
                "Input CSV is missing the following columns: [USER_ID]",
                "s3://imports/deletions/not-there.csv", CsvImporter.S3_ACCESS_FAILURE,
                "https://example.com/users.csv", CsvImporter.INVALID_LOCATION,
                harness.put("deletions/empty-id.csv", "USER_ID\nu1\n\"\"\n"),
                "Row 2 of s3://imports/deletions/empty-id.csv has no value for column USER_ID");
        int n = 0;
        for (Map.Entry<String, String> bad : reasons.entrySet()) {
            String name = "bad-" + n++;
            String jobArn = harness.personalize.createDataDeletionJob(b -> b.jobName(name)
                    .datasetGroupArn(group.arn()).roleArn(EmulatorHarness.ROLE_ARN)
                    .dataSource(s -> s.dataLocation(bad.getKey()))).dataDeletionJobArn();

            DataDeletionJob job = awaitFinished(jobArn).getLast();

            assertEquals("FAILED", job.status(), bad.getKey());
            assertEquals(bad.getValue(), job.failureReason());
            assertNull(job.numDeleted());
        }
        assertEquals(50, harness.emulator.recordCount(group.users()));
    }

    @Test
    void invalidRequests_shouldBeRefusedWithTheModelsErrors() {
        harness = new EmulatorHarness(root, null, STEP_MILLIS);
        String groupArn = harness.personalize.createDatasetGroup(b -> b.name("refusals")).datasetGroupArn();
        String missingGroup = "arn:aws:personalize:us-east-1:000000000000:dataset-group/nowhere";

        assertRefused(InvalidInputException.class, "1 validation error detected: Value '-forget' at 'jobName' failed"
                + " to satisfy constraint: Member must satisfy regular expression pattern: ^[a-zA-Z0-9][a-zA-Z0-9\\-_]*",
                "-forget", groupArn, "s3://imports/f.csv", EmulatorHarness.ROLE_ARN);
        assertRefused(InvalidInputException.class, "1 validation error detected: Value '" + "x".repeat(64)
                        + "' at 'jobName' failed to satisfy constraint: Member must have length less than or equal to 63",
                "x".repeat(64), groupArn, "s3://imports/f.csv", EmulatorHarness.ROLE_ARN);
        assertRefused(InvalidInputException.class, "2 validation errors detected: Value 'dataset-group/shop' at "
                        + "'datasetGroupArn' failed to satisfy constraint: Member must satisfy regular expression pattern:"
                        + " arn:([a-z\\d-]+):personalize:.*:.*:.+; Value 'ftp://imports/f.csv' at 'dataSource.dataLocation'"
                        + " failed to satisfy constraint: Member must satisfy regular expression pattern: (s3|http|https)://.+",
                "forget", "dataset-group/shop", "ftp://imports/f.csv", EmulatorHarness.ROLE_ARN);
        assertRefused(InvalidInputException.class, "1 validation error detected: Value 'arn:aws:iam::1:role/r' at "
                        + "'roleArn' failed to satisfy constraint: Member must satisfy regular expression pattern: "
                        + "arn:([a-z\\d-]+):iam::\\d{12}:role/?[a-zA-Z_0-9+=,.@\\-_/]+",
                "forget", groupArn, "s3://imports/f.csv", "arn:aws:iam::1:role/r");
        assertRefused(ResourceNotFoundException.class, "Dataset group " + missingGroup + " does not exist",
                "forget", missingGroup, "s3://imports/f.csv", EmulatorHarness.ROLE_ARN);
        harness.personalize.createDataDeletionJob(b -> b.jobName("forget").datasetGroupArn(groupArn)
                .roleArn(EmulatorHarness.ROLE_ARN).dataSource(s -> s.dataLocation("s3://imports/f.csv")));
        assertRefused(ResourceAlreadyExistsException.class, "Data deletion job "
                        + "arn:aws:personalize:us-east-1:000000000000:data-deletion-job/forget already exists",
                "forget", groupArn, "s3://imports/other.csv", EmulatorHarness.ROLE_ARN);
        PersonalizeException missingJob = assertThrows(ResourceNotFoundException.class,
                () -> harness.personalize.describeDataDeletionJob(b -> b.dataDeletionJobArn(
                        "arn:aws:personalize:us-east-1:000000000000:data-deletion-job/ghost")));
        assertEquals("Data deletion job arn:aws:personalize:us-east-1:000000000000:data-deletion-job/ghost does not"
                + " exist", missingJob.awsErrorDetails().errorMessage());
    }

    @Test
    void sixthUnfinishedJobOfAGroup_shouldBeRefusedWhileAnotherGroupStillAccepts() {
        // GIVEN jobs that stay PENDING for seconds, and five of them in one group
        harness = new EmulatorHarness(root, null, 5_000);
        String full = harness.personalize.createDatasetGroup(b -> b.name("full")).datasetGroupArn();
        String other = harness.personalize.createDatasetGroup(b -> b.name("other")).datasetGroupArn();
        for (int i = 0; i < 5; i++) {
            create("full-" + i, full);
        }

        // WHEN a sixth is created in that group, and one in another group
        LimitExceededException refused = assertThrows(LimitExceededException.class, () -> create("full-5", full));
        create("other-0", other);

        // THEN only the sixth in the full group is refused, in the service's words
        assertEquals("More than 5 resources with PENDING or IN_PROGRESS status.",
                refused.awsErrorDetails().errorMessage());
        assertEquals(6, harness.personalize.listDataDeletionJobs(b -> { }).dataDeletionJobs().size());
    }

    @Test
    void listing_shouldPageNewestFirstAndFilterByGroup() {
        // GIVEN three jobs in one group and one in another, created in order
        harness = new EmulatorHarness(root, null, STEP_MILLIS);
        String groupArn = harness.personalize.createDatasetGroup(b -> b.name("listed")).datasetGroupArn();
        String otherArn = harness.personalize.createDatasetGroup(b -> b.name("unlisted")).datasetGroupArn();
        for (String name : List.of("first", "second", "third")) {
            create(name, groupArn);
            EmulatorHarness.sleep(5);
        }
        create("elsewhere", otherArn);

        // WHEN the group's jobs are listed two at a time
        ListDataDeletionJobsResponse page1 = harness.personalize.listDataDeletionJobs(b -> b.datasetGroupArn(groupArn)
                .maxResults(2));
        ListDataDeletionJobsResponse page2 = harness.personalize.listDataDeletionJobs(b -> b.datasetGroupArn(groupArn)
                .maxResults(2).nextToken(page1.nextToken()));

        // THEN the newest come first, the pages hold all three, and the last page has no nextToken
        List<DataDeletionJobSummary> all = new ArrayList<>(page1.dataDeletionJobs());
        all.addAll(page2.dataDeletionJobs());
        assertEquals(List.of("third", "second", "first"), all.stream().map(DataDeletionJobSummary::jobName).toList());
        assertEquals(2, page1.dataDeletionJobs().size());
        assertNull(page2.nextToken());
        all.forEach(job -> assertEquals(groupArn, job.datasetGroupArn()));
        all.forEach(job -> assertTrue(job.creationDateTime() != null && job.status() != null));
        assertEquals(4, harness.personalize.listDataDeletionJobs(b -> { }).dataDeletionJobs().size());
        assertThrows(InvalidNextTokenException.class,
                () -> harness.personalize.listDataDeletionJobs(b -> b.nextToken("not-a-token")));
    }

    private void create(String name, String groupArn) {
        harness.personalize.createDataDeletionJob(b -> b.jobName(name).datasetGroupArn(groupArn)
                .roleArn(EmulatorHarness.ROLE_ARN).dataSource(s -> s.dataLocation("s3://imports/none.csv")));
    }

    private void assertRefused(Class<? extends PersonalizeException> type, String message, String jobName,
                               String groupArn, String location, String roleArn) {
        PersonalizeException refused = assertThrows(type, () -> harness.personalize.createDataDeletionJob(b -> b
                .jobName(jobName).datasetGroupArn(groupArn).roleArn(roleArn)
                .dataSource(s -> s.dataLocation(location))));
        assertEquals(message, refused.awsErrorDetails().errorMessage());
    }

    private Group importedGroup(String name) {
        String groupArn = harness.personalize.createDatasetGroup(b -> b.name(name)).datasetGroupArn();
        String users = dataset(name, groupArn, "Users", EmulatorHarness.USERS_SCHEMA);
        String interactions = dataset(name, groupArn, "Interactions", EmulatorHarness.INTERACTIONS_SCHEMA);
        String actionInteractions = dataset(name, groupArn, "Action_Interactions", ACTION_INTERACTIONS_SCHEMA);
        StringBuilder usersCsv = new StringBuilder("USER_ID,AGE,MEMBER\n");
        IntStream.range(0, 50).forEach(i -> usersCsv.append('u').append(i).append(',').append(20 + i).append(",true\n"));
        StringBuilder actionsCsv = new StringBuilder("USER_ID,ACTION_ID,TIMESTAMP,EVENT_TYPE\n");
        IntStream.range(0, 300).forEach(i -> actionsCsv.append('u').append(i % 50).append(",a").append(i % 7)
                .append(',').append(1_700_000_000L + i).append(",Taken\n"));
        Map<String, String> csvs = Map.of(users, usersCsv.toString(),
                interactions, harness.interactionsCsv(1200, 1_700_000_000L),
                actionInteractions, actionsCsv.toString());
        Map<String, List<Map<String, String>>> imported = new HashMap<>();
        csvs.forEach((datasetArn, csv) -> {
            String type = datasetArn.substring(datasetArn.lastIndexOf('/') + 1);
            String location = harness.put(name + "/" + type + ".csv", csv);
            String jobArn = harness.startImport(name + "-" + type.replace('_', '-'), datasetArn, location,
                    ImportMode.FULL);
            assertEquals("ACTIVE", harness.finalState(jobArn).status(), type);
            imported.put(datasetArn, rows(csv));
        });
        return new Group(groupArn, users, interactions, actionInteractions, imported);
    }

    private String dataset(String group, String groupArn, String type, String schema) {
        String schemaArn = harness.personalize.createSchema(b -> b.name(group + "-" + type.replace('_', '-'))
                .schema(schema)).schemaArn();
        return harness.personalize.createDataset(b -> b.name(group + "-" + type.replace('_', '-'))
                .datasetGroupArn(groupArn).schemaArn(schemaArn).datasetType(type)).datasetArn();
    }

    /** The records a CSV of plain values (no quotes) imports, keyed by its header's names. */
    private static List<Map<String, String>> rows(String csv) {
        List<String> lines = csv.lines().toList();
        String[] header = lines.getFirst().split(",", -1);
        return lines.stream().skip(1).map(line -> {
            String[] values = line.split(",", -1);
            Map<String, String> row = new HashMap<>();
            for (int i = 0; i < header.length; i++) {
                row.put(header[i], values[i]);
            }
            return row;
        }).toList();
    }

    /** Polls until the job is COMPLETED or FAILED; returns every distinct state seen, the last one final. */
    private List<DataDeletionJob> awaitFinished(String jobArn) {
        List<DataDeletionJob> seen = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            DataDeletionJob job = harness.personalize.describeDataDeletionJob(b -> b.dataDeletionJobArn(jobArn))
                    .dataDeletionJob();
            if (seen.isEmpty() || !seen.getLast().status().equals(job.status())) {
                seen.add(job);
            }
            if (job.status().equals("COMPLETED") || job.status().equals("FAILED")) {
                return seen;
            }
            EmulatorHarness.sleep(10);
        }
        throw new AssertionError("Data deletion job " + jobArn + " did not finish; statuses seen: "
                + seen.stream().map(DataDeletionJob::status).toList());
    }

    private JsonNode admin(String path) throws Exception {
        try (HttpClient http = HttpClient.newHttpClient()) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                    URI.create(harness.emulator.endpoint() + path)).GET().build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, response.statusCode(), response.body());
            return new ObjectMapper().readTree(response.body());
        }
    }
}
