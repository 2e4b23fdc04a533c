package io.personalizeimport.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.personalizeimport.lambdas.lane.FileEntry;
import io.personalizeimport.lambdas.lane.FileStatus;
import io.personalizeimport.lambdas.lane.ObjectHead;
import io.personalizeimport.lambdas.ledger.Ledger;
import io.personalizeimport.local.faults.Fault;
import io.personalizeimport.local.faults.FaultStats;
import io.personalizeimport.local.stack.LocalStack;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;

/**
 * Dataset lanes on the local stack (real SDK clients, DynamoDB Local, the real ASL): one import at a time per dataset,
 * in the order the data was written, the newest FULL data winning, every file ending in a visible outcome.
 */
class DatasetLanesSystemTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(90);

    private static LocalStack stack;
    private static S3Client s3;
    private static SfnClient sfn;
    private static Ledger ledger;

    @BeforeAll
    static void startStack() {
        stack = SharedStack.get();
        s3 = stack.s3Client();
        sfn = stack.sfnClient();
        ledger = new Ledger(stack.dynamoDbClient(), LocalStack.LEDGER_TABLE, Clock.systemUTC());
    }

    @AfterAll
    static void closeClients() {
        s3.close();
        sfn.close();
    }

    @AfterEach
    void clearFaults() {
        stack.personalize().clearFaults();
    }

    private static String upload(String key, String content) {
        s3.putObject(request -> request.bucket(LocalStack.BUCKET).key(key), RequestBody.fromString(content));
        return key;
    }

    /** The ledger's entries of these keys, by key (each key written once in the test). */
    private static Map<String, FileEntry> entries(String datasetArn, List<String> keys) {
        return ledger.files(datasetArn).stream().filter(file -> keys.contains(file.file().key()))
                .collect(Collectors.toMap(entry -> entry.file().key(), Function.identity()));
    }

    @ParameterizedTest(name = "delivery order seed {0}")
    @ValueSource(longs = {1, 2, 3})
    void fullFilesDeliveredShuffledAndDuplicated_shouldLeaveTheNewestInTheDataset(long seed) throws Exception {
        // GIVEN three users files written one after another: 100, 110 and 120 rows
        String run = ConsoleSession.unique("newest");
        List<String> keys = List.of(upload("users/" + run + "-1.csv", Csv.users(100)),
                upload("users/" + run + "-2.csv", Csv.users(110)), upload("users/" + run + "-3.csv", Csv.users(120)));
        List<String> events = new ArrayList<>();
        for (String key : keys) {
            events.add(S3Events.put(s3, LocalStack.BUCKET, key));
        }

        // WHEN their notifications arrive in a shuffled order, each one twice
        List<String> deliveries = new ArrayList<>(events);
        deliveries.addAll(events);
        Collections.shuffle(deliveries, new Random(seed));
        for (String delivery : deliveries) {
            Lanes.trigger(stack, delivery);
        }
        Lanes.awaitIdle(ledger, stack.datasetArn("users"), TIMEOUT);

        // THEN the dataset holds the newest file; the others were imported before it or superseded by a newer one
        assertEquals(120, stack.personalize().recordCount(stack.datasetArn("users")));
        Map<String, FileEntry> entries = entries(stack.datasetArn("users"), keys);
        assertEquals(3, entries.size(), entries::toString);
        assertEquals(FileStatus.IMPORTED, entries.get(keys.get(2)).standing().status(), entries::toString);
        for (String key : keys.subList(0, 2)) {
            FileEntry entry = entries.get(key);
            FileStatus status = entry.standing().status();
            assertTrue(status == FileStatus.IMPORTED || status == FileStatus.SUPERSEDED, entry::toString);
            if (status == FileStatus.SUPERSEDED) {
                assertTrue(keys.indexOf(entry.standing().supersededBy()) > keys.indexOf(key), entry::toString);
            }
        }
        String newestJob = entries.get(keys.get(2)).standing().jobName();
        DescribeExecutionResponse execution = StackAccess.awaitExecution(
                stack.stateMachineArn().replace(":stateMachine:", ":execution:") + ":" + newestJob);
        assertEquals(ExecutionStatus.SUCCEEDED, execution.status(), execution::toString);
        assertEquals(keys.get(2), MAPPER.readTree(execution.output()).path("files").get(0).asText(), execution::output);
    }

    @Test
    void filesArrivingWhileTheLaneIsBusy_shouldWaitInTheLedgerNotInAnExecution() throws Exception {
        // GIVEN a users import that holds the lane
        String run = ConsoleSession.unique("waits");
        String first = upload("users/" + run + "-first.csv", Csv.users(30));
        JsonNode started = Lanes.trigger(stack, S3Events.put(s3, LocalStack.BUCKET, first)).path("records").get(0);
        assertEquals("IMPORTING", started.path("outcome").asText(), started::toString);

        // WHEN another file arrives meanwhile
        String second = upload("users/" + run + "-second.csv", Csv.users(40));
        JsonNode waiting = Lanes.trigger(stack, S3Events.put(s3, LocalStack.BUCKET, second)).path("records").get(0);

        // THEN it waits in the ledger with no job and no execution, and runs when the first import releases the lane
        assertEquals("PENDING", waiting.path("outcome").asText(), waiting::toString);
        assertTrue(waiting.path("jobName").isMissingNode(), waiting::toString);
        Lanes.awaitIdle(ledger, stack.datasetArn("users"), TIMEOUT);
        Map<String, FileEntry> entries = entries(stack.datasetArn("users"), List.of(first, second));
        assertEquals(FileStatus.IMPORTED, entries.get(first).standing().status(), entries::toString);
        assertEquals(FileStatus.IMPORTED, entries.get(second).standing().status(), entries::toString);
        assertEquals(40, stack.personalize().recordCount(stack.datasetArn("users")));
    }

    @Test
    void aNewerFullFileWhoseImportFails_shouldLeaveTheOlderGoodFileToImport() throws Exception {
        // GIVEN a users import holding the lane
        String run = ConsoleSession.unique("failed-full");
        String first = upload("users/" + run + "-first.csv", Csv.users(30));
        JsonNode started = Lanes.trigger(stack, S3Events.put(s3, LocalStack.BUCKET, first)).path("records").get(0);
        assertEquals("IMPORTING", started.path("outcome").asText(), started::toString);

        // WHEN a good file arrives, then a newer one whose bad row lies past what the preflight reads, so its job fails
        String good = upload("users/" + run + "-good.csv", Csv.users(45));
        Lanes.trigger(stack, S3Events.put(s3, LocalStack.BUCKET, good));
        StringBuilder bad = new StringBuilder(Csv.users(0));
        for (int row = 0; bad.length() < 2 * ObjectHead.HEAD_BYTES; row++) {
            bad.append("b").append(row).append(",gold,30\n");
        }
        bad.append("late,gold,not-an-age\n");
        String failing = upload("users/" + run + "-bad.csv", bad.toString());
        Lanes.trigger(stack, S3Events.put(s3, LocalStack.BUCKET, failing));
        Lanes.awaitIdle(ledger, stack.datasetArn("users"), TIMEOUT);

        // THEN the failed FULL import replaced nothing: the good file imported after it, and the dataset holds it
        Map<String, FileEntry> entries = entries(stack.datasetArn("users"), List.of(first, good, failing));
        assertEquals(FileStatus.IMPORTED, entries.get(first).standing().status(), entries::toString);
        assertEquals(FileStatus.FAILED, entries.get(failing).standing().status(), entries::toString);
        assertEquals(FileStatus.IMPORTED, entries.get(good).standing().status(), entries::toString);
        assertEquals(45, stack.personalize().recordCount(stack.datasetArn("users")));
        assertEquals(good, ledger.lane(stack.datasetArn("users")).lastFull().key());
    }

    @Test
    void aFileS3RefusesToRead_shouldBeRejectedAndTheNextFileImports() throws Exception {
        // GIVEN no import running, so that the next GetObject on the stack is the trigger's read of the file, which S3
        // refuses as it does an object under a KMS key the pipeline may not use
        for (String route : List.of("interactions", "users", "items")) {
            Lanes.awaitIdle(ledger, stack.datasetArn(route), TIMEOUT);
        }
        String run = ConsoleSession.unique("unreadable");
        String refused = upload("users/" + run + "-refused.csv", Csv.users(12));
        stack.s3().injectFault(new Fault("GetObject", "AccessDenied", 403, 1, 0,
                "User is not authorized to perform: kms:Decrypt", 1, null));

        // WHEN its event arrives, and then a readable file's
        JsonNode record;
        try {
            record = Lanes.trigger(stack, S3Events.put(s3, LocalStack.BUCKET, refused)).path("records").get(0);
        } finally {
            stack.s3().clearFaults();
        }
        String readable = upload("users/" + run + "-readable.csv", Csv.users(14));
        Lanes.trigger(stack, S3Events.put(s3, LocalStack.BUCKET, readable));
        Lanes.awaitIdle(ledger, stack.datasetArn("users"), TIMEOUT);

        // THEN the refused file is REJECTED with S3's reason, and the lane moved on to the next file
        assertEquals("REJECTED", record.path("outcome").asText(), record::toString);
        Map<String, FileEntry> entries = entries(stack.datasetArn("users"), List.of(refused, readable));
        FileEntry rejected = entries.get(refused);
        assertEquals(FileStatus.REJECTED, rejected.standing().status(), entries::toString);
        assertTrue(rejected.standing().reason().contains("cannot be read: AccessDenied"), rejected::toString);
        assertEquals(FileStatus.IMPORTED, entries.get(readable).standing().status(), entries::toString);
        assertEquals(14, stack.personalize().recordCount(stack.datasetArn("users")));
    }

    @Test
    void aFileOnAFreeLane_shouldBeReadOnceByItsTrigger() throws Exception {
        // GIVEN no import running on any dataset (the count below is of every GetObject on the stack; the emulator
        // reads a job's file only when it leaves CREATE PENDING, SharedStack.STEP_MILLIS after its creation, after the
        // trigger has answered), a users file on its free lane, and every GetObject counted (a 1 ms delay matching each)
        for (String route : List.of("interactions", "users", "items")) {
            Lanes.awaitIdle(ledger, stack.datasetArn(route), TIMEOUT);
        }
        String key = upload("users/" + ConsoleSession.unique("read-once") + ".csv", Csv.users(21));
        long counter = stack.s3().injectFault(Fault.latency("GetObject", 1, Fault.UNLIMITED)).id();

        // WHEN the trigger runs for it: preflight, the lane's check, the job's creation, the execution's start
        JsonNode record;
        long reads;
        try {
            record = Lanes.trigger(stack, S3Events.put(s3, LocalStack.BUCKET, key)).path("records").get(0);
            reads = stack.s3().faults().stream().filter(armed -> armed.id() == counter).mapToLong(FaultStats::matched)
                    .sum();
        } finally {
            stack.s3().clearFaults();
        }

        // THEN the rows land, and the file's first bytes were read once, for both the preflight and the lane's check
        DescribeExecutionResponse execution = StackAccess.awaitExecution(record.path("executionArn").asText());
        assertEquals(ExecutionStatus.SUCCEEDED, execution.status(), execution::toString);
        Lanes.awaitIdle(ledger, stack.datasetArn("users"), TIMEOUT);
        assertEquals(21, stack.personalize().recordCount(stack.datasetArn("users")));
        assertEquals(1, reads, record::toString);
    }

    @Test
    void reuploadAfterAFailedImport_shouldBeImportedAgain() throws Exception {
        // GIVEN a users file whose import Personalize refused once
        String key = upload("users/" + ConsoleSession.unique("retry") + ".csv", Csv.users(33));
        stack.personalize().injectFault(new Fault("CreateDatasetImportJob", "AccessDeniedException", 400, 3, 0,
                "not authorized to perform: personalize:CreateDatasetImportJob"));
        JsonNode failed = Lanes.trigger(stack, S3Events.put(s3, LocalStack.BUCKET, key)).path("records").get(0);
        DescribeExecutionResponse first = StackAccess.awaitExecution(failed.path("executionArn").asText());
        assertEquals("DatasetImportNotStarted", first.error(), first::toString);
        stack.personalize().clearFaults();

        // WHEN the same bytes are uploaded again to retry it
        upload(key, Csv.users(33));
        JsonNode retried = Lanes.trigger(stack, S3Events.put(s3, LocalStack.BUCKET, key)).path("records").get(0);

        // THEN it is a new import with its own job, and it lands
        assertTrue(!retried.path("jobName").asText().equals(failed.path("jobName").asText()), retried::toString);
        DescribeExecutionResponse second = StackAccess.awaitExecution(retried.path("executionArn").asText());
        assertEquals(ExecutionStatus.SUCCEEDED, second.status(), second::toString);
        Lanes.awaitIdle(ledger, stack.datasetArn("users"), TIMEOUT);
        assertEquals(33, stack.personalize().recordCount(stack.datasetArn("users")));
        List<FileStatus> statuses = ledger.files(stack.datasetArn("users")).stream()
                .filter(entry -> entry.file().key().equals(key)).map(entry -> entry.standing().status()).toList();
        assertEquals(List.of(FileStatus.FAILED, FileStatus.IMPORTED), statuses);
    }

    @Test
    void writesABAOfOneKey_shouldEndWithA() throws Exception {
        // GIVEN A, then B, then A again written to one key of an unversioned bucket, each notified
        String key = "users/" + ConsoleSession.unique("aba") + ".csv";
        upload(key, Csv.users(60));
        String a1 = S3Events.put(s3, LocalStack.BUCKET, key);
        upload(key, Csv.users(70));
        String b = S3Events.put(s3, LocalStack.BUCKET, key);
        upload(key, Csv.users(60));
        String a2 = S3Events.put(s3, LocalStack.BUCKET, key);

        // WHEN the notifications arrive
        for (String event : List.of(a1, b, a2)) {
            Lanes.trigger(stack, event);
        }
        Lanes.awaitIdle(ledger, stack.datasetArn("users"), TIMEOUT);

        // THEN the dataset holds A's rows, and B, overwritten before its turn, is superseded rather than imported
        assertEquals(60, stack.personalize().recordCount(stack.datasetArn("users")));
        List<FileEntry> writes = ledger.files(stack.datasetArn("users")).stream()
                .filter(file -> file.file().key().equals(key)).toList();
        assertEquals(3, writes.size(), writes::toString);
        assertEquals(FileStatus.IMPORTED, writes.get(2).standing().status(), writes::toString);
        assertEquals(FileStatus.SUPERSEDED, writes.get(1).standing().status(), writes::toString);
    }
}
