package io.personalizeimport.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.personalizeimport.lambdas.lane.FileEntry;
import io.personalizeimport.lambdas.lane.FileStatus;
import io.personalizeimport.lambdas.ledger.Ledger;
import io.personalizeimport.local.faults.Fault;
import io.personalizeimport.local.stack.LocalStack;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.HistoryEvent;

/**
 * A coalesced batch staged by its execution's create task in several rounds, on a local stack whose create function
 * copies at most {@value #COPIES_PER_CALL} files per call: every file imported, from staged copies of each.
 */
class StagingSystemTest {

    private static final int COPIES_PER_CALL = 3;
    private static final Duration TIMEOUT = Duration.ofSeconds(180);
    private static final String DATASETS = "arn:aws:personalize:us-east-1:000000000000:dataset/personalize-import-demo/";
    private static final String INTERACTIONS = DATASETS + "INTERACTIONS";
    private static final String ROUTES = """
            [{"name":"interactions","prefix":"interactions/","datasetArn":"%1$sINTERACTIONS","importMode":"FULL"},
             {"name":"events","prefix":"events/","datasetArn":"%1$sINTERACTIONS","importMode":"INCREMENTAL",
              "coalesce":true}]""".formatted(DATASETS);

    private static LocalStack stack;
    private static S3Client s3;
    private static SfnClient sfn;
    private static Ledger ledger;

    @BeforeAll
    static void startStack() {
        // Jobs stay 3 s in each status, so the burst arrives while the bulk import holds the lane.
        stack = SharedStack.start(LocalStack.builder().personalizeStepMillis(3_000).monitorDeadline(Duration.ofHours(1))
                .stagingCopiesPerCall(COPIES_PER_CALL).routes(ROUTES));
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

    private static JsonNode upload(String key, String content) throws Exception {
        s3.putObject(request -> request.bucket(LocalStack.BUCKET).key(key), RequestBody.fromString(content));
        return Lanes.trigger(stack, S3Events.put(s3, LocalStack.BUCKET, key)).path("records").get(0);
    }

    @Test
    void aBatchLargerThanOneCallCopies_shouldBeStagedInRoundsAndImportEveryRow() throws Exception {
        // GIVEN a bulk import holding the lane, and ten INCREMENTAL files that arrive meanwhile
        String run = ConsoleSession.unique("staging");
        JsonNode bulk = upload("interactions/" + run + "-base.csv", Csv.interactions(1000));
        assertEquals("IMPORTING", bulk.path("outcome").asText(), bulk::toString);
        for (int i = 0; i < 10; i++) {
            upload("events/" + run + "/hour-" + i + ".csv", Csv.interactions(150));
        }

        // WHEN the lane moves on to them
        Lanes.awaitIdle(ledger, INTERACTIONS, TIMEOUT);

        // THEN every file is IMPORTED by one job, which read a staged copy of each, and every row landed
        List<FileEntry> burst = ledger.files(INTERACTIONS).stream()
                .filter(file -> file.file().key().startsWith("events/" + run + "/")).toList();
        assertEquals(10, burst.size());
        assertTrue(burst.stream().allMatch(file -> file.standing().status() == FileStatus.IMPORTED), burst::toString);
        Set<String> jobs = burst.stream().map(file -> file.standing().jobName()).collect(Collectors.toSet());
        assertEquals(1, jobs.size(), jobs::toString);
        String job = jobs.iterator().next();
        assertEquals(10, s3.listObjectsV2(request -> request.bucket(LocalStack.BUCKET).prefix("_staging/" + job + "/"))
                .keyCount());
        assertEquals(1000 + 10 * 150, stack.personalize().recordCount(INTERACTIONS));

        // AND its execution went round the staging loop: four create calls of at most three copies each
        String executionArn = stack.stateMachineArn().replace(":stateMachine:", ":execution:") + ":" + job;
        List<HistoryEvent> history = sfn.getExecutionHistoryPaginator(request -> request.executionArn(executionArn))
                .events().stream().toList();
        List<String> entered = history.stream().filter(event -> event.stateEnteredEventDetails() != null)
                .map(event -> event.stateEnteredEventDetails().name()).toList();
        assertEquals(4, entered.stream().filter("Create import job"::equals).count(), entered::toString);
        assertEquals(4, entered.stream().filter("Queued, or still staging?"::equals).count(), entered::toString);
        List<String> progress = history.stream().filter(event -> event.stateExitedEventDetails() != null
                        && event.stateExitedEventDetails().name().equals("Create import job"))
                .map(event -> event.stateExitedEventDetails().output()).toList();
        assertTrue(progress.getFirst().contains("\"staging\":{\"staged\":3,\"files\":10}"), progress::toString);
        assertTrue(progress.get(2).contains("\"staging\":{\"staged\":9,\"files\":10}"), progress::toString);
        assertTrue(!progress.getLast().contains("\"staging\""), progress::toString);
    }

    @Test
    void copiesDuringWhichS3SendsNothingForSeconds_shouldBeWaitedForNotRetried() throws Exception {
        // GIVEN a bulk import holding the lane, two INCREMENTAL files that arrive meanwhile, and S3 silent for 6 s on
        // every copy: longer than the functions' 4 s bound on an ordinary call's attempt
        String run = ConsoleSession.unique("slowcopy");
        JsonNode bulk = upload("interactions/" + run + "-base.csv", Csv.interactions(1000));
        assertEquals("IMPORTING", bulk.path("outcome").asText(), bulk::toString);
        upload("events/" + run + "/a.csv", Csv.interactions(600));
        upload("events/" + run + "/b.csv", Csv.interactions(600));
        stack.s3().injectFault(Fault.latency("CopyObject", 6_000, Fault.UNLIMITED));
        List<FileEntry> burst;
        try {
            // WHEN the lane moves on to them
            Lanes.awaitIdle(ledger, INTERACTIONS, TIMEOUT);
            burst = ledger.files(INTERACTIONS).stream()
                    .filter(file -> file.file().key().startsWith("events/" + run + "/")).toList();
        } finally {
            stack.s3().clearFaults();
        }

        // THEN both are IMPORTED by one job, whose one create call waited for its copies instead of failing on them
        assertEquals(2, burst.size());
        assertTrue(burst.stream().allMatch(file -> file.standing().status() == FileStatus.IMPORTED), burst::toString);
        String job = burst.getFirst().standing().jobName();
        String executionArn = stack.stateMachineArn().replace(":stateMachine:", ":execution:") + ":" + job;
        List<HistoryEvent> history = sfn.getExecutionHistoryPaginator(request -> request.executionArn(executionArn))
                .events().stream().toList();
        assertEquals(1, history.stream().filter(event -> event.stateEnteredEventDetails() != null
                && event.stateEnteredEventDetails().name().equals("Create import job")).count(), history::toString);
        assertEquals(0, failuresInCreate(history), history::toString);
    }

    /** The attempts of the create task that failed (and were retried), between entering and leaving its state. */
    private static long failuresInCreate(List<HistoryEvent> history) {
        boolean inCreate = false;
        long failures = 0;
        for (HistoryEvent event : history) {
            if (event.stateEnteredEventDetails() != null) {
                inCreate = event.stateEnteredEventDetails().name().equals("Create import job");
            } else if (inCreate && (event.taskFailedEventDetails() != null
                    || event.lambdaFunctionFailedEventDetails() != null
                    || event.lambdaFunctionTimedOutEventDetails() != null || event.taskTimedOutEventDetails() != null)) {
                failures++;
            }
        }
        return failures;
    }
}
