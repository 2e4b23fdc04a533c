package io.personalizeimport.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.personalizeimport.lambdas.lane.FileEntry;
import io.personalizeimport.lambdas.lane.FileStatus;
import io.personalizeimport.lambdas.ledger.Ledger;
import io.personalizeimport.local.lambda.InvocationResult;
import io.personalizeimport.local.stack.LocalStack;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;

/**
 * An execution that ends while it holds its dataset's lane, as when an operator stops it in the console, on the local
 * stack: its Step Functions endpoint sends the status change of each execution that fails, times out or is stopped to
 * the lane function, as the deployed stack's EventBridge rule does, and the lane function resumes the import.
 */
class AbandonedLaneSystemTest {

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

    private static String upload(String key, String content) {
        s3.putObject(request -> request.bucket(LocalStack.BUCKET).key(key), RequestBody.fromString(content));
        return key;
    }

    private static FileEntry entry(String key) {
        return ledger.files(stack.datasetArn("users")).stream().filter(entry -> entry.file().key().equals(key))
                .findFirst().orElseThrow(() -> new AssertionError(key + " is not in the ledger"));
    }

    @Test
    void executionStoppedWhileItHoldsTheLane_shouldBeResumedAndTheFilesBehindItImported() throws Exception {
        // GIVEN a users import that holds the lane, and a newer file waiting behind it
        String run = ConsoleSession.unique("stopped");
        String first = upload("users/" + run + "-first.csv", Csv.users(50));
        JsonNode started = Lanes.trigger(stack, S3Events.put(s3, LocalStack.BUCKET, first)).path("records").get(0);
        assertEquals("IMPORTING", started.path("outcome").asText(), started::toString);
        String second = upload("users/" + run + "-second.csv", Csv.users(60));
        JsonNode waiting = Lanes.trigger(stack, S3Events.put(s3, LocalStack.BUCKET, second)).path("records").get(0);
        assertEquals("PENDING", waiting.path("outcome").asText(), waiting::toString);

        // WHEN an operator stops the execution of the running import, whose job goes on in Personalize
        String stopped = started.path("executionArn").asText();
        sfn.stopExecution(request -> request.executionArn(stopped).error("Operator").cause("stopped by hand"));

        // THEN the import resumes in <job>-resumed-1, which follows the job to its end and records it, and the waiting
        // file is imported after it: nothing waits for an upload that may never come
        Lanes.awaitIdle(ledger, stack.datasetArn("users"), TIMEOUT);
        assertEquals(ExecutionStatus.ABORTED, Executions.awaitEnd(sfn, stopped, TIMEOUT).status());
        String job = started.path("jobName").asText();
        DescribeExecutionResponse resumed = Executions.awaitEnd(sfn, stopped.replace(":" + job, ":" + job
                + "-resumed-1"), TIMEOUT);
        assertEquals(ExecutionStatus.SUCCEEDED, resumed.status(), resumed::toString);
        assertEquals(first, MAPPER.readTree(resumed.output()).path("files").get(0).asText(), resumed::output);
        FileEntry firstEntry = entry(first);
        assertEquals(FileStatus.IMPORTED, firstEntry.standing().status(), firstEntry::toString);
        assertEquals(job, firstEntry.standing().jobName(), firstEntry::toString);
        FileEntry secondEntry = entry(second);
        assertEquals(FileStatus.IMPORTED, secondEntry.standing().status(), secondEntry::toString);
        assertEquals(60, stack.personalize().recordCount(stack.datasetArn("users")));
    }

    @Test
    void statusChangeOfAnExecutionThatReleasedItsLane_shouldChangeNothing() throws Exception {
        // GIVEN an import that ran to its end and released the lane
        String key = upload("users/" + ConsoleSession.unique("released") + ".csv", Csv.users(20));
        JsonNode started = Lanes.trigger(stack, S3Events.put(s3, LocalStack.BUCKET, key)).path("records").get(0);
        DescribeExecutionResponse ended = Executions.awaitEnd(sfn, started.path("executionArn").asText(), TIMEOUT);
        Lanes.awaitIdle(ledger, stack.datasetArn("users"), TIMEOUT);

        // WHEN the recovery function receives a status change event of that execution (as a late or replayed delivery)
        ObjectNode detail = MAPPER.createObjectNode().put("executionArn", ended.executionArn())
                .put("stateMachineArn", stack.stateMachineArn()).put("name", ended.name()).put("status", "FAILED")
                .put("input", ended.input());
        ObjectNode event = MAPPER.createObjectNode().put("version", "0")
                .put("detail-type", "Step Functions Execution Status Change").put("source", "aws.states");
        event.set("detail", detail);
        InvocationResult result = stack.lambdaHost().invoke("recover", MAPPER.writeValueAsString(event));

        // THEN it names the dataset, resumes nothing, and the lane stays free
        assertFalse(result.isFunctionError(), result::payload);
        JsonNode recovered = MAPPER.readTree(result.payload());
        assertEquals(stack.datasetArn("users"), recovered.path("datasetArn").asText(), recovered::toString);
        // The runtime writes the result without its null fields: nothing resumed, no resumedIn.
        assertTrue(recovered.path("resumedIn").isMissingNode(), recovered::toString);
        assertFalse(ledger.lane(stack.datasetArn("users")).isBusy());
        assertEquals(List.of(FileStatus.IMPORTED), List.of(entry(key).standing().status()));
    }
}
