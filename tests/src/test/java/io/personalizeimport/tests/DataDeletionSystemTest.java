package io.personalizeimport.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.personalizeimport.lambdas.events.DeletionEnded;
import io.personalizeimport.lambdas.lane.FileEntry;
import io.personalizeimport.lambdas.lane.FileStatus;
import io.personalizeimport.lambdas.ledger.Ledger;
import io.personalizeimport.local.faults.Fault;
import io.personalizeimport.local.ledger.LedgerFile;
import io.personalizeimport.local.ledger.LedgerListing;
import io.personalizeimport.local.stack.LocalStack;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.personalize.PersonalizeClient;
import software.amazon.awssdk.services.personalize.model.DataDeletionJob;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;

/**
 * Issue 21 on the local stack: a list of user ids dropped under a deletion route becomes one data deletion job of the
 * group, run by the same state machine, ordered with the group's imports by when the data was written, and recorded
 * with its count; the dataset's rows show the users gone, and only those.
 */
class DataDeletionSystemTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(120);
    private static final String GROUP = LocalStack.datasetGroupArn(LocalStack.DATASET_GROUP);
    private static final String USERS = LocalStack.demoDatasetArn("USERS");
    private static final String INTERACTIONS = LocalStack.demoDatasetArn("INTERACTIONS");
    private static final String ROUTES = """
            [{"name":"users","prefix":"users/","datasetArn":"%s","importMode":"FULL"},
             {"name":"more-users","prefix":"more-users/","datasetArn":"%1$s","importMode":"INCREMENTAL"},
             {"name":"user-exports","prefix":"user-exports/","datasetArn":"%1$s","importMode":"INCREMENTAL",
              "group":"folder","marker":"_SUCCESS"},
             {"name":"interactions","prefix":"interactions/","datasetArn":"%s","importMode":"FULL"},
             {"name":"forget","prefix":"forget/","datasetGroupArn":"%s","action":"delete"}]"""
            .formatted(USERS, INTERACTIONS, GROUP);

    private static LocalStack stack;
    private static S3Client s3;
    private static PersonalizeClient personalize;
    private static Ledger ledger;

    @BeforeAll
    static void startStack() throws Exception {
        // Imports spend 3 s in progress, so that a deletion has something to wait for; deletion jobs take 2 steps.
        stack = SharedStack.start(LocalStack.builder().personalizeStepMillis(300).personalizeInProgressMillis(3_000)
                .monitorDeadline(Duration.ofMinutes(10)).routes(ROUTES));
        s3 = stack.s3Client();
        personalize = stack.personalizeClient();
        ledger = new Ledger(stack.dynamoDbClient(), LocalStack.LEDGER_TABLE, Clock.systemUTC());
        // 100 users u0..u99, and 1,000 interactions of users u0..u96
        trigger(upload("users/base.csv", Csv.users(100)));
        trigger(upload("interactions/base.csv", Csv.interactions(1000)));
        Lanes.awaitIdle(ledger, USERS, TIMEOUT);
        Lanes.awaitIdle(ledger, INTERACTIONS, TIMEOUT);
    }

    @AfterAll
    static void stopStack() {
        personalize.close();
        s3.close();
        stack.close();
    }

    @Test
    void aListOfTenUsers_shouldRemoveExactlyTheirRowsAndRecordTheCount() throws Exception {
        // GIVEN the users and interactions of u0..u96 imported
        Set<String> forgotten = ids(0, 10);
        long interactionsOfThem = DatasetExport.read(personalize, s3, INTERACTIONS).stream()
                .filter(row -> forgotten.contains(row.get("USER_ID"))).count();
        assertEquals(110, interactionsOfThem, "Csv.interactions gives each of u0..u9 eleven rows");

        // WHEN a list of ten users is dropped under the deletion route
        JsonNode accepted = trigger(upload("forget/ten.csv", userIds(forgotten)));
        FileEntry list = awaitEnded("forget/ten.csv");

        // THEN it is DELETED with the count of records removed: their 10 users and 110 interactions, and only those
        assertEquals("DELETING", accepted.path("outcome").asText(), accepted::toString);
        assertEquals(FileStatus.DELETED, list.standing().status(), list::toString);
        assertEquals(120L, list.records());
        Set<String> users = ids(DatasetExport.read(personalize, s3, USERS));
        users.retainAll(ids(0, 100));
        assertEquals(ids(10, 100), users, "of the base file's u0..u99 (other tests import users from u200)");
        List<Map<String, String>> interactions = DatasetExport.read(personalize, s3, INTERACTIONS);
        assertEquals(1000 - 110, interactions.size());
        assertTrue(interactions.stream().noneMatch(row -> forgotten.contains(row.get("USER_ID"))));

        // AND its execution (named as its job) succeeded with the count, one event says so, and the files view shows it
        DescribeExecutionResponse execution = Executions.awaitEnd(stack.sfnClient(), stack.stateMachineArn()
                .replace(":stateMachine:", ":execution:") + ":" + list.standing().jobName(), TIMEOUT);
        assertEquals("SUCCEEDED", execution.statusAsString(), execution::toString);
        assertEquals(120, new ObjectMapper().readTree(execution.output()).path("numDeleted").asInt(),
                execution.output());
        JsonNode event = awaitEvent("forget/ten.csv");
        assertEquals(DeletionEnded.SUCCEEDED, event.path("detail-type").asText());
        assertEquals(120, event.path("detail").path("numDeleted").asInt(), event::toString);
        LedgerFile shown = LedgerListing.files(stack.dynamoDbClient(), LocalStack.LEDGER_TABLE, GROUP).stream()
                .filter(file -> file.key().equals("forget/ten.csv")).findFirst().orElseThrow();
        assertEquals("DELETED", shown.status());
    }

    @Test
    void importsWrittenBeforeAList_shouldImportBeforeItsDeletionAndThoseWrittenAfterItAfter() throws Exception {
        // GIVEN u200..u209 importing and u210..u219 waiting behind them
        JsonNode first = trigger(upload("more-users/a.csv", Csv.users(200, 10)));
        assertEquals("IMPORTING", first.path("outcome").asText(), first::toString);
        trigger(upload("more-users/b.csv", Csv.users(210, 10)));

        // WHEN a list naming u200..u229 is dropped, and then a file of u220..u229
        JsonNode list = trigger(upload("forget/after-imports.csv", userIds(ids(200, 230))));
        trigger(upload("more-users/c.csv", Csv.users(220, 10)));

        // THEN the list waits for the import that runs, without giving up, and c.csv waits behind the list
        assertEquals("PENDING", list.path("outcome").asText(), list::toString);
        assertTrue(list.path("detail").asText().startsWith("waits for the import "), list::toString);
        assertEquals(FileStatus.PENDING, file(GROUP, "forget/after-imports.csv").standing().status());

        // AND in the end the users written before the list are gone, those written after it are there
        FileEntry deleted = awaitEnded("forget/after-imports.csv");
        Lanes.awaitIdle(ledger, USERS, TIMEOUT);
        assertEquals(FileStatus.DELETED, deleted.standing().status(), deleted::toString);
        assertEquals(20L, deleted.records());
        Set<String> users = ids(DatasetExport.read(personalize, s3, USERS));
        assertTrue(users.containsAll(ids(220, 230)), () -> "u220..u229 were imported after the deletion: " + users);
        assertTrue(users.stream().noneMatch(ids(200, 220)::contains), () -> "u200..u219 were deleted: " + users);
        for (String key : List.of("more-users/a.csv", "more-users/b.csv", "more-users/c.csv")) {
            assertEquals(FileStatus.IMPORTED, file(USERS, key).standing().status(), key);
        }
    }

    @Test
    void aGroupWithFiveUnfinishedDeletionJobs_shouldMakeTheListWaitForOneToEnd() throws Exception {
        // GIVEN five deletion jobs started outside the pipeline, the most a group may have unfinished
        List<String> outside = new ArrayList<>();
        upload("elsewhere/nobody.csv", "USER_ID\nnobody\n");
        for (int i = 0; i < 5; i++) {
            int n = i;
            outside.add(personalize.createDataDeletionJob(request -> request.jobName("outside-" + n + "-"
                    + ConsoleSession.unique("job")).datasetGroupArn(GROUP).roleArn(LocalStack.IMPORT_ROLE_ARN)
                    .dataSource(source -> source.dataLocation("s3://" + LocalStack.BUCKET + "/elsewhere/nobody.csv")))
                    .dataDeletionJobArn());
        }

        // WHEN a list is dropped
        trigger(upload("forget/sixth.csv", userIds(ids(300, 301))));
        FileEntry list = awaitEnded("forget/sixth.csv");

        // THEN its job was created only once one of the five had ended, and it completed
        assertEquals(FileStatus.DELETED, list.standing().status(), list::toString);
        String jobArn = GROUP.replace(":dataset-group/" + LocalStack.DATASET_GROUP, ":data-deletion-job/"
                + list.standing().jobName());
        DataDeletionJob mine = personalize.describeDataDeletionJob(request -> request.dataDeletionJobArn(jobArn))
                .dataDeletionJob();
        Instant firstEnd = outside.stream().map(arn -> personalize.describeDataDeletionJob(request -> request
                .dataDeletionJobArn(arn)).dataDeletionJob().lastUpdatedDateTime()).min(Instant::compareTo)
                .orElseThrow();
        assertFalse(mine.creationDateTime().isBefore(firstEnd), () -> "created " + mine.creationDateTime()
                + " before the first of the five ended at " + firstEnd);
    }

    @Test
    void aRefusedDeletion_shouldFailTheListSayingWhyAndLetTheImportsWrittenAfterItGo() throws Exception {
        // GIVEN Personalize refuses the next data deletion job
        stack.personalize().injectFault(Fault.error("CreateDataDeletionJob", "AccessDeniedException", 1));

        // WHEN a list is dropped, and then a users file
        trigger(upload("forget/refused.csv", userIds(ids(400, 401))));
        trigger(upload("more-users/after-refused.csv", Csv.users(400, 1)));
        FileEntry list = awaitEnded("forget/refused.csv");
        Lanes.awaitIdle(ledger, USERS, TIMEOUT);

        // THEN the list is FAILED with the reason, its execution failed with it, and the file after it imported
        assertEquals(FileStatus.FAILED, list.standing().status(), list::toString);
        assertTrue(list.standing().reason().startsWith("DataDeletionNotStarted: "), list.standing().reason());
        assertTrue(list.standing().reason().contains("AccessDeniedException"), list.standing().reason());
        DescribeExecutionResponse execution = Executions.awaitEnd(stack.sfnClient(), stack.stateMachineArn()
                .replace(":stateMachine:", ":execution:") + ":" + list.standing().jobName(), TIMEOUT);
        assertEquals("FAILED", execution.statusAsString());
        assertEquals("DataDeletionNotStarted", execution.error());
        assertEquals(DeletionEnded.FAILED, awaitEvent("forget/refused.csv").path("detail-type").asText());
        assertEquals(FileStatus.IMPORTED, file(USERS, "more-users/after-refused.csv").standing().status());
    }

    @Test
    void anExecutionStartedByHandForAList_shouldPlaceItAndNameTheExecutionItsDeletionRunsIn() throws Exception {
        // GIVEN a list uploaded (this test delivers no notification of it)
        upload("forget/by-hand.csv", userIds(ids(500, 502)));
        trigger(upload("more-users/by-hand-users.csv", Csv.users(500, 2)));
        Lanes.awaitIdle(ledger, USERS, TIMEOUT);

        // WHEN an operator starts an execution for it, as from the Step Functions console
        String name = "by-hand-" + ConsoleSession.unique("x");
        String executionArn = stack.sfnClient().startExecution(request -> request.stateMachineArn(
                stack.stateMachineArn()).name(name).input("{\"bucket\":\"" + LocalStack.BUCKET
                + "\",\"key\":\"forget/by-hand.csv\"}")).executionArn();
        DescribeExecutionResponse execution = Executions.awaitEnd(stack.sfnClient(), executionArn, TIMEOUT);

        // THEN it succeeds naming the execution the deletion runs in, which deletes the users
        assertEquals("SUCCEEDED", execution.statusAsString(), execution::toString);
        JsonNode queued = new ObjectMapper().readTree(execution.output()).path("queued");
        assertEquals(GROUP, queued.path("datasetArn").asText(), execution.output());
        FileEntry list = awaitEnded("forget/by-hand.csv");
        assertEquals(FileStatus.DELETED, list.standing().status(), list::toString);
        assertEquals(queued.path("jobName").asText(), list.standing().jobName());
        assertTrue(ids(DatasetExport.read(personalize, s3, USERS)).stream().noneMatch(ids(500, 502)::contains));
    }

    @Test
    void aListsEventThatCouldNotBePublished_shouldBePublishedByTheSchedule() throws Exception {
        // GIVEN EventBridge refuses every PutEvents while a list without a USER_ID column is rejected
        stack.eventBridge().injectFault(Fault.error("PutEvents", "InternalException", Fault.UNLIMITED));
        try {
            stack.lambdaHost().invoke("trigger", S3Events.put(s3, LocalStack.BUCKET,
                    upload("forget/unpublished.csv", "USER\nu1\n")));
            assertEquals(FileStatus.REJECTED, file(GROUP, "forget/unpublished.csv").standing().status());
            assertFalse(ledger.outbox(GROUP).isEmpty(), "its event waits in the group's outbox");
        } finally {
            stack.eventBridge().clearFaults();
        }

        // WHEN EventBridge answers again, and nothing but the schedule touches the group
        Instant until = Instant.now().plus(TIMEOUT);
        while (!ledger.outbox(GROUP).isEmpty() && Instant.now().isBefore(until)) {
            Thread.sleep(100);
        }

        // THEN the scheduled publish function published it
        assertTrue(ledger.outbox(GROUP).isEmpty(), () -> "still in the outbox: " + ledger.outbox(GROUP));
        assertTrue(stack.eventBridge().events().stream().anyMatch(event -> "File Rejected".equals(
                event.path("detail-type").asText()) && "forget/unpublished.csv".equals(event.path("detail")
                .path("file").path("key").asText())), () -> stack.eventBridge().events().toString());
    }

    @Test
    void aFileWrittenBeforeADeletedListButNotifiedAfterIt_shouldImportWithoutThatListsUsers() throws Exception {
        // GIVEN a users file of u700 and u701 written, whose notification is late
        Instant written = Instant.now();
        upload("more-users/late.csv", Csv.users(700, 2));

        // AND a list naming u700, written after it, deleted meanwhile
        trigger(upload("forget/before-late.csv", userIds(ids(700, 701))));
        assertEquals(FileStatus.DELETED, awaitEnded("forget/before-late.csv").standing().status());

        // WHEN the file's notification comes at last
        Lanes.trigger(stack, S3Events.putAt(s3, LocalStack.BUCKET, written, "more-users/late.csv"));
        Lanes.awaitIdle(ledger, USERS, TIMEOUT);

        // THEN it imported without u700, whom the list forgot after the file was written, and says so
        FileEntry late = file(USERS, "more-users/late.csv");
        assertEquals(FileStatus.IMPORTED, late.standing().status(), late::toString);
        assertTrue(late.standing().reason().startsWith("1 row of users deleted by forget/before-late.csv left out"),
                late.standing().reason());
        Set<String> users = ids(DatasetExport.read(personalize, s3, USERS));
        assertTrue(users.contains("u701"), users::toString);
        assertFalse(users.contains("u700"), users::toString);
    }

    @Test
    void aFolderWrittenBeforeADeletedListButNotifiedAfterIt_shouldImportWithoutThatListsUsers() throws Exception {
        // GIVEN a folder of two parts, u800 and u801, then u802, and its marker written, whose notifications are late
        Instant written = Instant.now();
        upload("user-exports/day1/a.csv", Csv.users(800, 2));
        upload("user-exports/day1/b.csv", Csv.users(802, 1));
        upload("user-exports/day1/_SUCCESS", "");

        // AND a list naming u800, written after it, deleted meanwhile
        trigger(upload("forget/before-folder.csv", userIds(ids(800, 801))));
        assertEquals(FileStatus.DELETED, awaitEnded("forget/before-folder.csv").standing().status());

        // WHEN the notifications of its parts and marker come at last
        Lanes.trigger(stack, S3Events.putAt(s3, LocalStack.BUCKET, written, "user-exports/day1/a.csv",
                "user-exports/day1/b.csv", "user-exports/day1/_SUCCESS"));
        Lanes.awaitIdle(ledger, USERS, TIMEOUT);

        // THEN the folder imported from staging without u800, whom the list forgot after the folder was written
        FileEntry folder = file(USERS, "user-exports/day1/");
        assertEquals(FileStatus.IMPORTED, folder.standing().status(), folder::toString);
        FileEntry part = file(USERS, "user-exports/day1/a.csv");
        assertEquals(FileStatus.IMPORTED, part.standing().status(), part::toString);
        assertTrue(part.standing().reason().startsWith("1 row of users deleted by forget/before-folder.csv left out"),
                part.standing().reason());
        Set<String> users = ids(DatasetExport.read(personalize, s3, USERS));
        assertTrue(users.containsAll(Set.of("u801", "u802")), users::toString);
        assertFalse(users.contains("u800"), users::toString);
    }

    private static String upload(String key, String content) {
        s3.putObject(request -> request.bucket(LocalStack.BUCKET).key(key), RequestBody.fromString(content));
        return key;
    }

    /** Notifies the trigger of {@code key}, as S3 does; returns its summary of the file. */
    private static JsonNode trigger(String key) throws Exception {
        return Lanes.trigger(stack, S3Events.put(s3, LocalStack.BUCKET, key)).path("records").get(0);
    }

    private static FileEntry file(String laneArn, String key) {
        return ledger.files(laneArn).stream().filter(entry -> entry.file().key().equals(key)).findFirst()
                .orElseThrow(() -> new AssertionError(key + " is not in the ledger of " + laneArn));
    }

    /** The list of users once it has ended (DELETED or FAILED), and its group's lane is free. */
    private static FileEntry awaitEnded(String key) throws InterruptedException {
        Instant until = Instant.now().plus(TIMEOUT);
        while (Instant.now().isBefore(until)) {
            FileEntry entry = file(GROUP, key);
            FileStatus status = entry.standing().status();
            if ((status == FileStatus.DELETED || status == FileStatus.FAILED) && !ledger.lane(GROUP).isBusy()) {
                return entry;
            }
            Thread.sleep(100);
        }
        throw new AssertionError(key + " did not end within " + TIMEOUT + ": " + file(GROUP, key));
    }

    private static JsonNode awaitEvent(String key) throws InterruptedException {
        Instant until = Instant.now().plus(Duration.ofSeconds(30));
        while (Instant.now().isBefore(until)) {
            for (JsonNode event : stack.eventBridge().events()) {
                if (event.path("detail-type").asText().startsWith("Data Deletion")
                        && key.equals(event.path("detail").path("file").path("key").asText())) {
                    return event;
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no Data Deletion event names " + key + ": " + stack.eventBridge().events());
    }

    private static Set<String> ids(int from, int to) {
        return IntStream.range(from, to).mapToObj(i -> "u" + i).collect(Collectors.toCollection(TreeSet::new));
    }

    private static Set<String> ids(List<Map<String, String>> rows) {
        return rows.stream().map(row -> row.get("USER_ID")).collect(Collectors.toCollection(TreeSet::new));
    }

    private static String userIds(Set<String> users) {
        StringJoiner csv = new StringJoiner("\n", "USER_ID\n", "\n");
        users.forEach(csv::add);
        return csv.toString();
    }
}
