package io.personalizeimport.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.personalizeimport.lambdas.lane.FileEntry;
import io.personalizeimport.lambdas.lane.FileStatus;
import io.personalizeimport.lambdas.ledger.Ledger;
import io.personalizeimport.local.stack.LocalStack;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.personalize.PersonalizeClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;

/**
 * The batching rules of dataset lanes on a local stack with routes of each kind: a coalesced INCREMENTAL burst, a
 * multi-part folder completed by its marker, and a folder whose marker never comes.
 */
class DatasetLaneBatchingSystemTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(120);
    private static final String DATASETS = "arn:aws:personalize:us-east-1:000000000000:dataset/personalize-import-demo/";
    private static final String ROUTES = """
            [{"name":"interactions","prefix":"interactions/","datasetArn":"%1$sINTERACTIONS","importMode":"FULL"},
             {"name":"events","prefix":"events/","datasetArn":"%1$sINTERACTIONS","importMode":"INCREMENTAL"},
             {"name":"exports","prefix":"exports/","datasetArn":"%1$sUSERS","group":"folder","markerTimeout":"PT10M"},
             {"name":"people","prefix":"people/","datasetArn":"%1$sUSERS","importMode":"INCREMENTAL"}]"""
            .formatted(DATASETS);

    private static LocalStack stack;
    private static S3Client s3;
    private static SfnClient sfn;
    private static Ledger ledger;

    @BeforeAll
    static void startStack() {
        // Jobs stay 3 s in each status, so a burst of notifications arrives while one import holds the lane.
        stack = SharedStack.start(LocalStack.builder().personalizeStepMillis(3_000).monitorDeadline(Duration.ofHours(1))
                .routes(ROUTES));
        s3 = stack.s3Client();
        sfn = stack.sfnClient();
        ledger = new Ledger(stack.dynamoDbClient(), LocalStack.LEDGER_TABLE, Clock.systemUTC());
    }

    @AfterAll
    static void stopStack() {
        s3.close();
        sfn.close();
        stack.close();
    }

    private static String upload(String key, String content) {
        s3.putObject(request -> request.bucket(LocalStack.BUCKET).key(key), RequestBody.fromString(content));
        return key;
    }

    private static JsonNode trigger(String key) throws Exception {
        return Lanes.trigger(stack, S3Events.put(s3, LocalStack.BUCKET, key)).path("records").get(0);
    }

    private static List<FileEntry> entriesUnder(String datasetArn, String prefix) {
        return ledger.files(datasetArn).stream().filter(file -> file.file().key().startsWith(prefix)).toList();
    }

    @Test
    void incrementalBurstBehindABulkImport_shouldLandEveryRowInFewJobs() throws Exception {
        // GIVEN a bulk import of 1,000 interactions holding the lane
        String run = ConsoleSession.unique("burst");
        JsonNode bulk = trigger(upload("interactions/" + run + "-base.csv", Csv.interactions(1000)));
        assertEquals("IMPORTING", bulk.path("outcome").asText(), bulk::toString);

        // WHEN ten INCREMENTAL files arrive meanwhile, each with Personalize's 1,000 records per job, so that however
        // the burst splits over jobs no part of it is held for more records
        for (int i = 0; i < 10; i++) {
            trigger(upload("events/" + run + "/day-" + i + ".csv", Csv.interactions(1000)));
        }
        Lanes.awaitIdle(ledger, DATASETS + "INTERACTIONS", TIMEOUT);

        // THEN every row landed, the burst took one or two jobs (not ten), read from staged copies of exactly those files
        List<FileEntry> burst = entriesUnder(DATASETS + "INTERACTIONS", "events/" + run + "/");
        assertEquals(10, burst.size());
        assertTrue(burst.stream().allMatch(file -> file.standing().status() == FileStatus.IMPORTED), burst::toString);
        Set<String> jobs = burst.stream().map(entry -> entry.standing().jobName()).collect(Collectors.toSet());
        assertTrue(jobs.size() <= 2, "jobs of the burst: " + jobs);
        assertEquals(1000 + 10 * 1000, stack.personalize().recordCount(DATASETS + "INTERACTIONS"));
        for (String job : jobs) {
            long staged = s3.listObjectsV2(request -> request.bucket(LocalStack.BUCKET).prefix("_staging/" + job + "/"))
                    .keyCount();
            long carried = burst.stream().filter(file -> file.standing().jobName().equals(job)).count();
            assertEquals(carried > 1 ? carried : 0, staged, "staged copies of " + job);
        }
    }

    @Test
    void multiPartFolderWithItsMarker_shouldBeOneJobWithAllRows() throws Exception {
        // GIVEN a 3-part export written the way Spark writes it: the parts, then an empty _SUCCESS
        String folder = "exports/" + ConsoleSession.unique("spark") + "/";
        List<JsonNode> parts = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            parts.add(trigger(upload(folder + "part-000" + i + ".csv", Csv.users(i * 100, 100))));
        }
        assertTrue(parts.stream().allMatch(part -> part.path("outcome").asText().equals("WAITING_FOR_MARKER")),
                parts::toString);

        // WHEN the marker arrives
        JsonNode marker = trigger(upload(folder + "_SUCCESS", ""));
        Lanes.awaitIdle(ledger, DATASETS + "USERS", TIMEOUT);

        // THEN the folder was one FULL import holding all 300 users, and each part ended IMPORTED by that job
        assertEquals(folder, marker.path("key").asText(), marker::toString);
        assertEquals(300, stack.personalize().recordCount(DATASETS + "USERS"));
        List<FileEntry> entries = entriesUnder(DATASETS + "USERS", folder);
        assertEquals(4, entries.size(), entries::toString);
        assertTrue(entries.stream().allMatch(entry -> entry.standing().status() == FileStatus.IMPORTED),
                entries::toString);
        assertEquals(1, entries.stream().map(entry -> entry.standing().jobName()).distinct().count(),
                entries::toString);
    }

    @Test
    void partWhoseEventCameAfterItsFoldersImport_shouldGetThatOutcomeAndOpenNoWatch() throws Exception {
        // GIVEN a 2-part export and its marker, whose second part's event is delivered only after the folder imported
        // (its first delivery failed and Lambda retried it)
        String folder = "exports/" + ConsoleSession.unique("late-part") + "/";
        trigger(upload(folder + "part-0000.csv", Csv.users(0, 50)));
        String latePart = S3Events.put(s3, LocalStack.BUCKET, upload(folder + "part-0001.csv", Csv.users(50, 50)));
        trigger(upload(folder + "_SUCCESS", ""));
        Lanes.awaitIdle(ledger, DATASETS + "USERS", TIMEOUT);
        long watches = sfn.listExecutions(request -> request.stateMachineArn(stack.stateMachineArn())).executions()
                .stream().filter(execution -> execution.name().startsWith("watch-exports-")).count();

        // WHEN the late part's event arrives
        JsonNode late = Lanes.trigger(stack, latePart).path("records").get(0);

        // THEN the folder's job read it: it ends IMPORTED by that job, and no new watch waits for a marker
        assertEquals("IMPORTED", late.path("outcome").asText(), late::toString);
        assertEquals(100, stack.personalize().recordCount(DATASETS + "USERS"));
        List<FileEntry> entries = entriesUnder(DATASETS + "USERS", folder);
        assertEquals(3, entries.size(), entries::toString);
        assertTrue(entries.stream().allMatch(entry -> entry.standing().status() == FileStatus.IMPORTED),
                entries::toString);
        assertEquals(watches, sfn.listExecutions(request -> request.stateMachineArn(stack.stateMachineArn()))
                .executions().stream().filter(execution -> execution.name().startsWith("watch-exports-")).count());
    }

    @Test
    void lateOlderIncrementalUsersFile_shouldLeaveEveryUserWithTheNewestValues() throws Exception {
        // GIVEN a day's users changes and the next day's, for the same users; the first day's delivery fails at first
        String run = ConsoleSession.unique("late");
        StringBuilder day1 = new StringBuilder("USER_ID,MEMBERSHIP,AGE\n");
        StringBuilder day2 = new StringBuilder("USER_ID,MEMBERSHIP,AGE\n");
        for (int i = 0; i < 5; i++) {
            day1.append(run).append("-u").append(i).append(",basic,30\n");
            day2.append(run).append("-u").append(i).append(",gold,40\n");
        }
        String older = S3Events.put(s3, LocalStack.BUCKET, upload("people/" + run + "-0601.csv", day1.toString()));
        trigger(upload("people/" + run + "-0602.csv", day2.toString()));
        Lanes.awaitIdle(ledger, DATASETS + "USERS", TIMEOUT);

        // WHEN the first day's file arrives after the second day's was imported (Lambda's retry of its event)
        Lanes.trigger(stack, older);
        Lanes.awaitIdle(ledger, DATASETS + "USERS", TIMEOUT);

        // THEN the dataset, read back through Personalize's export, holds every user's newest values
        try (PersonalizeClient personalize = stack.personalizeClient()) {
            Map<String, Map<String, String>> users = new java.util.HashMap<>();
            DatasetExport.read(personalize, s3, DATASETS + "USERS").stream()
                    .filter(row -> row.get("USER_ID").startsWith(run)).forEach(row -> users.put(row.get("USER_ID"), row));
            assertEquals(5, users.size(), users::toString);
            assertTrue(users.values().stream().allMatch(row -> row.get("MEMBERSHIP").equals("gold")
                    && row.get("AGE").equals("40")), users::toString);
        }
        List<FileEntry> entries = entriesUnder(DATASETS + "USERS", "people/" + run);
        assertEquals(3, entries.size(), "the newer file applied again is an entry of its own: " + entries);
        assertTrue(entries.stream().allMatch(entry -> entry.standing().status() == FileStatus.IMPORTED),
                entries::toString);
    }

    @Test
    void folderWithoutItsMarker_shouldBeReportedNotImportedHalf() throws Exception {
        // GIVEN two parts of an export whose marker never comes
        String folder = "exports/" + ConsoleSession.unique("unfinished") + "/";
        long before = stack.personalize().recordCount(DATASETS + "USERS");
        JsonNode first = trigger(upload(folder + "part-0000.csv", Csv.users(10)));
        trigger(upload(folder + "part-0001.csv", Csv.users(10)));

        // WHEN the route's marker timeout passes
        String watch = sfn.listExecutionsPaginator(request -> request.stateMachineArn(stack.stateMachineArn()))
                .executions().stream().filter(execution -> execution.name().startsWith("watch-exports-"))
                .filter(execution -> execution.name().contains(first.path("key").asText().split("/")[1]
                        .replaceAll("[^A-Za-z0-9_-]", "_").substring(0, 10)))
                .findFirst().orElseThrow().executionArn();
        DescribeExecutionResponse report = Executions.awaitEnd(sfn, watch, TIMEOUT);

        // THEN its watch fails naming the folder, its parts and the marker, and nothing was imported
        assertEquals("DatasetFolderIncomplete", report.error(), report::toString);
        assertTrue(report.cause().contains("s3://" + LocalStack.BUCKET + "/" + folder), report.cause());
        assertTrue(report.cause().contains("has 2 part file(s) waiting but no _SUCCESS marker"), report.cause());
        assertEquals(before, stack.personalize().recordCount(DATASETS + "USERS"));
        assertTrue(entriesUnder(DATASETS + "USERS", folder).stream()
                .allMatch(entry -> entry.standing().status() == FileStatus.PENDING));
    }
}
