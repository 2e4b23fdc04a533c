package io.personalizeimport.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.personalizeimport.local.stack.LocalStack;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.personalize.PersonalizeClient;
import software.amazon.awssdk.services.personalize.model.DatasetImportJobSummary;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;

/**
 * The pipeline end to end on the local stack: S3 objects put with the real S3 client, notifications in S3's format
 * delivered to the trigger on the Lambda host (the deployment jar, the real runtime interface client), the
 * Personalize emulator over HTTP, and the real state machine definition on aws-local-stepfunctions.
 */
class ImportPipelineSystemTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private static LocalStack stack;
    private static S3Client s3;
    private static PersonalizeClient personalize;
    private static SfnClient sfn;

    @BeforeAll
    static void startStack() {
        stack = SharedStack.get();
        s3 = stack.s3Client();
        personalize = stack.personalizeClient();
        sfn = stack.sfnClient();
    }

    @AfterAll
    static void closeClients() {
        s3.close();
        personalize.close();
        sfn.close();
    }

    private static String upload(String key, String content) {
        s3.putObject(request -> request.bucket(LocalStack.BUCKET).key(key), RequestBody.fromString(content));
        return key;
    }

    private static String unique(String stem) {
        return stem + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static List<DatasetImportJobSummary> jobsNamed(String routeName, String jobName) {
        return personalize.listDatasetImportJobsPaginator(request -> request.datasetArn(stack.datasetArn(routeName)))
                .datasetImportJobs().stream().filter(job -> job.jobName().equals(jobName)).toList();
    }

    private static long executionsNamed(String name) {
        return sfn.listExecutionsPaginator(request -> request.stateMachineArn(stack.stateMachineArn()))
                .executions().stream().filter(execution -> execution.name().equals(name)).count();
    }

    @Test
    void uploadedInteractions_shouldBecomeAnActiveImportAfterSeveralPolls() throws Exception {
        // GIVEN a valid interactions file of 1,200 records in the bucket
        String key = upload("interactions/" + unique("clicks") + ".csv", Csv.interactions(1200));

        // WHEN S3 notifies the trigger
        JsonNode record = Lanes.trigger(stack, S3Events.put(s3, LocalStack.BUCKET, key)).path("records").get(0);

        // THEN one job is created and its execution succeeds with the job's final description
        assertEquals("IMPORTING", record.path("outcome").asText(), record::toString);
        DescribeExecutionResponse execution = Executions.awaitEnd(sfn, record.path("executionArn").asText(), TIMEOUT);
        assertEquals(ExecutionStatus.SUCCEEDED, execution.status(), execution::toString);
        JsonNode job = MAPPER.readTree(execution.output()).path("datasetImportJob");
        assertEquals("ACTIVE", job.path("status").asText());
        assertEquals("s3://" + LocalStack.BUCKET + "/" + key, job.path("dataLocation").asText());
        assertEquals(stack.datasetArn("interactions"), job.path("datasetArn").asText());
        assertEquals("FULL", job.path("importMode").asText());
        assertTrue(job.path("polls").asInt() >= 2, job::toString);
        assertEquals(record.path("jobName").asText(), job.path("jobName").asText());
    }

    @Test
    void duplicateDeliveries_shouldMakeOneJobAndOneExecution() throws Exception {
        // GIVEN one uploaded users file
        String key = upload("users/" + unique("members") + ".csv", Csv.users(50));
        String event = S3Events.put(s3, LocalStack.BUCKET, key);

        // WHEN the same notification arrives three times, once with the record repeated
        JsonNode first = Lanes.trigger(stack, event).path("records").get(0);
        JsonNode second = Lanes.trigger(stack, event).path("records").get(0);
        JsonNode twice = Lanes.trigger(stack, S3Events.repeated(event));

        // THEN every delivery names the same job and execution, and Personalize and Step Functions hold one of each
        String jobName = first.path("jobName").asText();
        assertEquals(jobName, second.path("jobName").asText());
        assertEquals(jobName, twice.path("records").get(1).path("jobName").asText());
        assertEquals("DUPLICATE", second.path("outcome").asText(), second::toString);
        assertEquals("DUPLICATE", twice.path("records").get(1).path("outcome").asText(), twice::toString);
        assertEquals(1, jobsNamed("users", jobName).size());
        assertEquals(1, executionsNamed(jobName));
        DescribeExecutionResponse execution = Executions.awaitEnd(sfn, first.path("executionArn").asText(), TIMEOUT);
        assertEquals(ExecutionStatus.SUCCEEDED, execution.status(), execution::toString);
    }

    @Test
    void fileWithBadValues_shouldFailWithPersonalizesReason() throws Exception {
        // GIVEN an interactions file whose header is right but with a timestamp that is not a number, past the rows
        // the preflight reads
        String csv = Csv.withBadRowPastPreflight(Csv::interactions, "u1,i1,yesterday,click");
        String key = upload("interactions/" + unique("bad-timestamp") + ".csv", csv);

        // WHEN it is imported
        JsonNode record = Lanes.trigger(stack, S3Events.put(s3, LocalStack.BUCKET, key)).path("records").get(0);
        DescribeExecutionResponse execution = Executions.awaitEnd(sfn, record.path("executionArn").asText(), TIMEOUT);

        // THEN the job is created (the header passes preflight) and the execution fails with the job's reason
        assertEquals("IMPORTING", record.path("outcome").asText());
        assertEquals(ExecutionStatus.FAILED, execution.status());
        assertEquals("DatasetImportJobFailed", execution.error());
        assertTrue(execution.cause().contains("TIMESTAMP"), execution.cause());
        assertTrue(execution.cause().contains("yesterday"), execution.cause());
    }

    @Test
    void headerMissingAColumn_shouldBeRejectedWithoutAnImportJob() throws Exception {
        // GIVEN an interactions file without its TIMESTAMP column
        String key = upload("interactions/" + unique("no-timestamp") + ".csv",
                "USER_ID,ITEM_ID,EVENT_TYPE\nu1,i1,click\n");

        // WHEN S3 notifies the trigger
        JsonNode record = Lanes.trigger(stack, S3Events.put(s3, LocalStack.BUCKET, key)).path("records").get(0);
        DescribeExecutionResponse execution = Executions.awaitEnd(sfn, record.path("executionArn").asText(), TIMEOUT);

        // THEN no job is spent, and the execution shows why
        assertEquals("REJECTED", record.path("outcome").asText());
        assertEquals(0, jobsNamed("interactions", record.path("jobName").asText()).size());
        assertEquals(ExecutionStatus.FAILED, execution.status());
        assertEquals("DatasetImportRejected", execution.error());
        assertTrue(execution.cause().contains("missing the following columns: [TIMESTAMP]"), execution.cause());
    }

    @Test
    void secondFileWhileTheDatasetIsBusy_shouldWaitItsTurnThenComplete() throws Exception {
        // GIVEN two items files delivered in one event: the second finds the dataset's lane busy with the first
        String first = upload("items/" + unique("catalog-a") + ".csv", Csv.items(40));
        String second = upload("items/" + unique("catalog-b") + ".csv", Csv.items(60));

        // WHEN the trigger handles them
        JsonNode records = Lanes.trigger(stack, S3Events.put(s3, LocalStack.BUCKET, first, second)).path("records");

        // THEN the first is imported at once; the second waits in the ledger, with no job yet, and lands after it
        assertEquals("IMPORTING", records.get(0).path("outcome").asText(), records::toString);
        assertEquals("PENDING", records.get(1).path("outcome").asText(), records::toString);
        assertTrue(records.get(1).path("executionArn").isMissingNode(), records::toString);
        DescribeExecutionResponse execution = Executions.awaitEnd(sfn, records.get(0).path("executionArn").asText(),
                TIMEOUT);
        assertEquals(ExecutionStatus.SUCCEEDED, execution.status(), execution::toString);
        String next = MAPPER.readTree(execution.output()).path("next").asText();
        assertTrue(next.startsWith("items-catalog-b-"), execution::output);
        DescribeExecutionResponse following = Executions.awaitEnd(sfn,
                stack.stateMachineArn().replace(":stateMachine:", ":execution:") + ":" + next, TIMEOUT);
        assertEquals(ExecutionStatus.SUCCEEDED, following.status(), following::toString);
        assertEquals(60, stack.personalize().recordCount(stack.datasetArn("items")));
    }

    @Test
    void eventWithOtherKeys_shouldSkipThemAndImportTheRest() throws Exception {
        // GIVEN a routed CSV, an unrouted CSV and a routed non-CSV object
        String routed = upload("users/" + unique("batch") + ".csv", Csv.users(5));
        String unrouted = upload("archive/" + unique("old") + ".csv", Csv.users(5));
        String notCsv = upload("users/" + unique("readme") + ".txt", "hello");

        // WHEN one event names all three
        JsonNode records = Lanes.trigger(stack, S3Events.put(s3, LocalStack.BUCKET, routed, unrouted, notCsv)).path("records");

        // THEN only the routed CSV starts an import
        assertEquals("IMPORTING", records.get(0).path("outcome").asText(), records::toString);
        assertEquals("SKIPPED", records.get(1).path("outcome").asText());
        assertTrue(records.get(1).path("detail").asText().contains("matches no route"), records::toString);
        assertEquals("SKIPPED", records.get(2).path("outcome").asText());
        assertNotNull(Executions.awaitEnd(sfn, records.get(0).path("executionArn").asText(), TIMEOUT));
    }
}
