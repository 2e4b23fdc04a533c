package io.personalizeimport.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.personalizeimport.local.faults.Fault;
import io.personalizeimport.local.lambda.ServiceFault;
import io.personalizeimport.local.stack.LocalStack;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.HistoryEvent;
import software.amazon.awssdk.services.sfn.model.HistoryEventType;

/**
 * Executions started by hand, as from the Step Functions console, through each input form and failure path of
 * statemachine/import-monitor.asl.json, on aws-local-stepfunctions with the real functions.
 */
class StateMachinePathsTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private static ConsoleSession console;
    private static LocalStack stack;
    private static SfnClient sfn;

    @BeforeAll
    static void startStack() {
        console = new ConsoleSession(TIMEOUT);
        stack = console.stack;
        sfn = console.sfn;
    }

    @AfterAll
    static void closeClients() {
        console.close();
    }

    @AfterEach
    void clearFaults() {
        stack.lambdaHost().clearFaults();
        stack.personalize().clearFaults();
    }

    @Test
    void bucketAndKeyInput_shouldImportThroughTheRoute() throws Exception {
        String key = console.upload("users/" + ConsoleSession.unique("console") + ".csv", Csv.users(10));

        DescribeExecutionResponse execution =
                console.run("{\"bucket\":\"" + LocalStack.BUCKET + "\",\"key\":\"" + key + "\"}");

        assertEquals(ExecutionStatus.SUCCEEDED, execution.status(), execution::toString);
        JsonNode job = MAPPER.readTree(execution.output()).path("datasetImportJob");
        assertEquals(stack.datasetArn("users"), job.path("datasetArn").asText());
        assertTrue(job.path("jobName").asText().startsWith("users-console-"), job::toString);
    }

    @Test
    void dataLocationPrefixInput_shouldImportEveryCsvUnderIt() throws Exception {
        String folder = "items/" + ConsoleSession.unique("folder") + "/";
        console.upload(folder + "part-1.csv", Csv.items(10));
        console.upload(folder + "part-2.csv", Csv.items(12));

        DescribeExecutionResponse execution = console.run("{\"dataLocation\":\"s3://" + LocalStack.BUCKET + "/" + folder
                + "\",\"datasetArn\":\"" + stack.datasetArn("items") + "\"}");

        assertEquals(ExecutionStatus.SUCCEEDED, execution.status(), execution::toString);
        JsonNode job = MAPPER.readTree(execution.output()).path("datasetImportJob");
        assertEquals("s3://" + LocalStack.BUCKET + "/" + folder, job.path("dataLocation").asText());
    }

    @Test
    void jobNameAnEarlierImportTook_shouldFailNamingTheOldJobNotSucceedOnIt() throws Exception {
        // GIVEN an import of a folder under a job name chosen by hand, which succeeded
        String folder = "items/" + ConsoleSession.unique("daily") + "/";
        String jobName = "daily-" + ConsoleSession.unique("items");
        String input = "{\"dataLocation\":\"s3://" + LocalStack.BUCKET + "/" + folder + "\",\"datasetArn\":\""
                + stack.datasetArn("items") + "\",\"jobName\":\"" + jobName + "\"}";
        console.upload(folder + "part-1.csv", Csv.items(10));
        assertEquals(ExecutionStatus.SUCCEEDED, console.run(input).status());

        // WHEN the folder's data changed and the same import is started again later (past the clocks' tolerance)
        console.upload(folder + "part-1.csv", Csv.items(14));
        Thread.sleep(6_000);
        DescribeExecutionResponse again = console.run(input);

        // THEN it fails, naming the old job and what to do, rather than ending SUCCEEDED on the old job's verdict
        assertEquals(ExecutionStatus.FAILED, again.status(), again::toString);
        assertTrue(again.cause().contains("Import job " + jobName + " already exists: Personalize created it at"),
                again.cause());
        assertTrue(again.cause().contains("Start this import with another jobName"), again.cause());
    }

    @Test
    void existingJobArnInput_shouldWatchThatJob() throws Exception {
        // GIVEN a job that an earlier execution created
        String key = console.upload("users/" + ConsoleSession.unique("existing") + ".csv", Csv.users(10));
        DescribeExecutionResponse created = console.run("{\"bucket\":\"" + LocalStack.BUCKET + "\",\"key\":\"" + key + "\"}");
        String jobArn = MAPPER.readTree(created.output()).path("datasetImportJob").path("datasetImportJobArn").asText();

        // WHEN an operator asks to watch it
        DescribeExecutionResponse watched = console.run("{\"datasetImportJobArn\":\"" + jobArn + "\"}");

        // THEN the execution reports the same job, without creating another
        assertEquals(ExecutionStatus.SUCCEEDED, watched.status(), watched::toString);
        assertEquals(jobArn, MAPPER.readTree(watched.output()).path("datasetImportJob").path("datasetImportJobArn").asText());
        assertTrue(sfn.getExecutionHistory(request -> request.executionArn(watched.executionArn())).events().stream()
                .noneMatch(event -> event.type() == HistoryEventType.TASK_STATE_ENTERED
                        && event.stateEnteredEventDetails().name().equals("Create import job")));
    }

    @Test
    void unknownJobArn_shouldFailAsNotFound() {
        DescribeExecutionResponse execution = console.run("{\"datasetImportJobArn\":\"arn:aws:personalize:us-east-1:"
                + LocalStack.ACCOUNT_ID + ":dataset-import-job/never-created\"}");

        assertEquals(ExecutionStatus.FAILED, execution.status());
        assertEquals("DatasetImportJobNotFound", execution.error());
        assertTrue(execution.cause().contains("never-created does not exist"), execution.cause());
    }

    @Test
    void inputOfNoKnownForm_shouldFailAsInvalidWithTheExpectedForms() {
        DescribeExecutionResponse execution = console.run("{\"file\":\"users/x.csv\"}");

        assertEquals(ExecutionStatus.FAILED, execution.status());
        assertEquals("DatasetImportRequestInvalid", execution.error());
        assertTrue(execution.cause().contains("expected {\"bucket\""), execution.cause());
    }

    @Test
    void keyOfNoRoute_shouldFailAsInvalid() {
        DescribeExecutionResponse execution =
                console.run("{\"bucket\":\"" + LocalStack.BUCKET + "\",\"key\":\"archive/x.csv\"}");

        assertEquals("DatasetImportRequestInvalid", execution.error());
        assertTrue(execution.cause().contains("matches no route"), execution.cause());
    }

    @ParameterizedTest
    @CsvSource({
        "ResourceInUseException, io.personalizeimport.lambdas.errors.DatasetBusyException",
        "LimitExceededException, io.personalizeimport.lambdas.errors.ImportJobLimitExceededException"})
    void busyOrLimitAnswers_shouldBeRetriedUntilPersonalizeAcceptsTheJob(String answer, String error) {
        // GIVEN Personalize refuses the next two creations as busy (or at its job limit)
        String key = console.upload("users/" + ConsoleSession.unique("patient") + ".csv", Csv.users(10));
        stack.personalize().injectFault(Fault.error("CreateDatasetImportJob", answer, 2));

        // WHEN an operator starts an import
        DescribeExecutionResponse execution = console.run("{\"bucket\":\"" + LocalStack.BUCKET + "\",\"key\":\"" + key + "\"}");

        // THEN the create task failed twice with the named exception, was retried, and the import succeeded
        assertEquals(ExecutionStatus.SUCCEEDED, execution.status(), execution::toString);
        long refusals = sfn.getExecutionHistory(request -> request.executionArn(execution.executionArn())).events()
                .stream().filter(event -> event.type() == HistoryEventType.LAMBDA_FUNCTION_FAILED)
                .filter(event -> event.lambdaFunctionFailedEventDetails().error().equals(error)).count();
        assertEquals(2, refusals);
    }

    @Test
    void lambdaServiceErrors_shouldBeRetried() throws Exception {
        // GIVEN the Lambda service fails the next two invocations of the describe function
        String key = console.upload("users/" + ConsoleSession.unique("flaky") + ".csv", Csv.users(10));
        long before = stack.lambdaHost().stats("describe").invocations();
        stack.lambdaHost().injectFault(new ServiceFault("describe", "ServiceException", 500, 2));

        // WHEN an import runs
        DescribeExecutionResponse execution = console.run("{\"bucket\":\"" + LocalStack.BUCKET + "\",\"key\":\"" + key + "\"}");

        // THEN the state machine retried past both failures and the import succeeded
        assertEquals(ExecutionStatus.SUCCEEDED, execution.status(), execution::toString);
        long failed = sfn.getExecutionHistory(request -> request.executionArn(execution.executionArn())).events()
                .stream().map(HistoryEvent::type).filter(type -> type == HistoryEventType.LAMBDA_FUNCTION_FAILED).count();
        assertEquals(2, failed);
        assertTrue(stack.lambdaHost().stats("describe").invocations() > before);
    }
}
