package io.personalizeimport.local.stepfunctions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.personalizeimport.local.stepfunctions.FakeLambdaApi.Response;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionAlreadyExistsException;
import software.amazon.awssdk.services.sfn.model.ExecutionDoesNotExistException;
import software.amazon.awssdk.services.sfn.model.ExecutionListItem;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.GetExecutionHistoryResponse;
import software.amazon.awssdk.services.sfn.model.HistoryEvent;
import software.amazon.awssdk.services.sfn.model.HistoryEventType;
import software.amazon.awssdk.services.sfn.model.InvalidArnException;
import software.amazon.awssdk.services.sfn.model.InvalidExecutionInputException;
import software.amazon.awssdk.services.sfn.model.InvalidNameException;
import software.amazon.awssdk.services.sfn.model.ListExecutionsResponse;
import software.amazon.awssdk.services.sfn.model.StartExecutionResponse;
import software.amazon.awssdk.services.sfn.model.StateMachineDoesNotExistException;

/**
 * The local Step Functions endpoint, driven by the real AWS SDK v2 {@link SfnClient} through {@link StepFunctionsLocal}.
 *
 * <p>Needs Node.js and {@code npm ci} at the repository root. Task states call a {@link FakeLambdaApi}, which stands
 * in for the project's Lambda host (tested separately).
 */
class StepFunctionsLocalIntegrationTest {

    private static final String ECHO_ARN = "arn:aws:lambda:us-east-1:000000000000:function:echo";
    private static final String REJECT_ARN = "arn:aws:lambda:us-east-1:000000000000:function:reject";
    private static final String FLAKY_ARN = "arn:aws:lambda:us-east-1:000000000000:function:flaky";
    private static final Map<String, String> SUBSTITUTIONS = Map.of(
            "EchoFunctionArn", ECHO_ARN, "RejectFunctionArn", REJECT_ARN, "FlakyFunctionArn", FLAKY_ARN);
    private static final String REJECTED_EXCEPTION = "io.personalizeimport.lambdas.errors.DatasetImportRejectedException";
    // Long enough to stay RUNNING throughout a test, even at the scale of 0.01 most tests use.
    private static final String LONG_WAIT_INPUT = "{\"nextWaitSeconds\":100000}";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dataDir;

    private final List<StepFunctionsLocal> servers = new ArrayList<>();
    private FakeLambdaApi lambda;
    private SfnClient sfn;
    private StepFunctionsLocal server;

    @BeforeEach
    void startLambda() {
        lambda = new FakeLambdaApi();
    }

    @AfterEach
    void stopAll() {
        if (sfn != null) {
            sfn.close();
        }
        servers.forEach(StepFunctionsLocal::close);
        lambda.close();
    }

    @Test
    void bothLambdaTaskForms_shouldSucceedWithTheirResultsAndTheContextObject() throws Exception {
        // GIVEN a definition calling a function by ARN, then through lambda:invoke
        start("invoke-success.asl.json", 1.0);

        // WHEN an execution runs
        String arn = startExecution("job-1", "{\"job\":\"job-1\"}").executionArn();
        DescribeExecutionResponse done = awaitClosed(arn);

        // THEN both results are in the output, the first task saw $$.Execution.Name and StartTime
        assertEquals(ExecutionStatus.SUCCEEDED, done.status());
        JsonNode output = JSON.readTree(done.output());
        JsonNode byArn = output.path("byArn").path("received");
        assertEquals("job-1", byArn.path("executionName").asText());
        assertEquals(done.startDate(), Instant.parse(byArn.path("executionStartTime").asText()));
        assertEquals("job-1", byArn.path("input").path("job").asText());
        assertEquals("job-1", output.path("byInvoke").path("payload").path("received").path("job").asText());
        assertEquals(200, output.path("byInvoke").path("statusCode").asInt());
        assertEquals("RequestResponse", lambda.invocationsOf("echo").get(0).invocationType());
        assertEquals(List.of(HistoryEventType.EXECUTION_STARTED,
                HistoryEventType.TASK_STATE_ENTERED, HistoryEventType.LAMBDA_FUNCTION_SCHEDULED,
                HistoryEventType.LAMBDA_FUNCTION_STARTED, HistoryEventType.LAMBDA_FUNCTION_SUCCEEDED,
                HistoryEventType.TASK_STATE_EXITED,
                HistoryEventType.TASK_STATE_ENTERED, HistoryEventType.TASK_SCHEDULED, HistoryEventType.TASK_STARTED,
                HistoryEventType.TASK_SUCCEEDED, HistoryEventType.TASK_STATE_EXITED,
                HistoryEventType.EXECUTION_SUCCEEDED), historyTypes(arn));
    }

    @Test
    void functionErrorCaughtByItsName_shouldFailWithTheCauseReadFromTheErrorDocument() {
        // GIVEN a function whose handler throws the rejection exception
        start("catch-function-error.asl.json", 1.0);
        lambda.script("reject", Response.functionError(REJECTED_EXCEPTION, "Input CSV is missing TIMESTAMP"));

        // WHEN an execution runs
        String arn = startExecution("rejected", "{}").executionArn();
        DescribeExecutionResponse done = awaitClosed(arn);

        // THEN Catch matched the exception name, States.StringToJson read the Cause, the Fail state used CausePath
        assertEquals(ExecutionStatus.FAILED, done.status());
        assertEquals("DatasetImportRejected", done.error());
        assertEquals("Input CSV is missing TIMESTAMP", done.cause());
        HistoryEvent failed = eventOfType(arn, HistoryEventType.LAMBDA_FUNCTION_FAILED);
        assertEquals(REJECTED_EXCEPTION, failed.lambdaFunctionFailedEventDetails().error());
    }

    @Test
    void resultLargerThan256KiB_shouldFailTheExecutionWithDataLimitExceededWhichStatesAllNeitherRetriesNorCatches() {
        // GIVEN a task under a Retry and a Catch of States.ALL, whose function returns a 300 KB result
        start("catch-all-data-limit.asl.json", 0.01);
        lambda.script("reject", new Response(200, Map.of(), "{\"padding\":\"" + "x".repeat(300_000) + "\"}"));

        // WHEN an execution runs
        String arn = startExecution("too-large", "{}").executionArn();
        DescribeExecutionResponse done = awaitClosed(arn);

        // THEN it fails as Step Functions fails it, after one attempt, not truncated and not caught
        assertEquals(ExecutionStatus.FAILED, done.status(), done::toString);
        assertEquals("States.DataLimitExceeded", done.error());
        assertTrue(done.cause().contains("more than the maximum of 262144 bytes"), done.cause());
        assertEquals(1, lambda.invocationsOf("reject").size());
    }

    @Test
    void lambdaServiceErrorsTwice_shouldBeRetriedThenSucceed() {
        // GIVEN a function endpoint that fails twice with 500 ServiceException; retry pauses 2 s and 4 s, scaled
        start("retry-service-error.asl.json", 0.01);
        lambda.script("flaky", Response.serviceError(500, "ServiceException"),
                Response.serviceError(500, "ServiceException"));

        // WHEN an execution runs
        String arn = startExecution("flaky", "{}").executionArn();
        DescribeExecutionResponse done = awaitClosed(arn);

        // THEN the third attempt succeeded and the history shows the two Lambda.ServiceException failures
        assertEquals(ExecutionStatus.SUCCEEDED, done.status());
        assertEquals(3, lambda.invocationsOf("flaky").size());
        List<HistoryEvent> failures = history(arn, false).stream()
                .filter(event -> event.type() == HistoryEventType.LAMBDA_FUNCTION_FAILED).toList();
        assertEquals(2, failures.size());
        assertEquals("Lambda.ServiceException", failures.get(0).lambdaFunctionFailedEventDetails().error());
        assertEquals(10L, eventOfType(arn, HistoryEventType.LAMBDA_FUNCTION_SCHEDULED)
                .lambdaFunctionScheduledEventDetails().timeoutInSeconds());
    }

    @Test
    void thirtySecondWaitAtTimeScaleOfOneHundredth_shouldFinishWithinTwoSeconds() {
        // GIVEN a wait of SecondsPath = 30 and a time scale of 0.01
        start("wait-seconds-path.asl.json", 0.01);

        // WHEN an execution runs
        Instant before = Instant.now();
        String arn = startExecution("short-wait", "{\"nextWaitSeconds\":30}").executionArn();
        DescribeExecutionResponse done = awaitClosed(arn);

        // THEN it waited about 0.3 s, not 30 s, and went on to the next state
        assertEquals(ExecutionStatus.SUCCEEDED, done.status());
        Duration took = Duration.between(before, Instant.now());
        assertTrue(took.compareTo(Duration.ofSeconds(2)) < 0, "took " + took);
        assertTrue(took.compareTo(Duration.ofMillis(250)) > 0, "took " + took);
        assertTrue(historyTypes(arn).containsAll(
                List.of(HistoryEventType.WAIT_STATE_ENTERED, HistoryEventType.WAIT_STATE_EXITED)));
    }

    @Test
    void sameNameAndInputWhileRunning_shouldReturnTheOriginalExecution() {
        // GIVEN a running execution
        start("wait-seconds-path.asl.json", 0.01);
        StartExecutionResponse first = startExecution("import-a", LONG_WAIT_INPUT);

        // WHEN the same name and input are started again
        StartExecutionResponse again = startExecution("import-a", LONG_WAIT_INPUT);

        // THEN Step Functions' idempotency returns the original ARN and start date
        assertEquals(first.executionArn(), again.executionArn());
        assertEquals(first.startDate(), again.startDate());
    }

    @Test
    void sameNameWithOtherInputOrAfterClose_shouldBeExecutionAlreadyExists() {
        // GIVEN a running execution
        start("wait-seconds-path.asl.json", 0.01);
        String arn = startExecution("import-b", LONG_WAIT_INPUT).executionArn();

        // WHEN the name is reused with another input, and with the same input after the execution closed
        // THEN both are ExecutionAlreadyExists
        assertThrows(ExecutionAlreadyExistsException.class, () -> startExecution("import-b", "{\"nextWaitSeconds\":1}"));
        sfn.stopExecution(request -> request.executionArn(arn));
        assertThrows(ExecutionAlreadyExistsException.class, () -> startExecution("import-b", LONG_WAIT_INPUT));
    }

    @Test
    void invalidRequests_shouldMapToTheModelledExceptions() {
        // GIVEN a server
        start("wait-seconds-path.asl.json", 0.01);
        String otherMachine = server.stateMachineArn().replace("personalize-import-monitor", "other");
        String unknownExecution = server.stateMachineArn().replace(":stateMachine:", ":execution:") + ":nope";

        // WHEN requests break the API's rules THEN each fails with the exception the SDK models for it
        assertThrows(InvalidNameException.class, () -> startExecution("has space", "{}"));
        assertThrows(InvalidNameException.class, () -> startExecution("x".repeat(81), "{}"));
        assertThrows(InvalidExecutionInputException.class, () -> startExecution("bad-input", "{not json"));
        assertThrows(InvalidExecutionInputException.class, () -> startExecution("array-input", "[1]"));
        assertThrows(StateMachineDoesNotExistException.class,
                () -> sfn.startExecution(request -> request.stateMachineArn(otherMachine).input("{}")));
        assertThrows(InvalidArnException.class, () -> sfn.describeExecution(request -> request.executionArn("nope")));
        assertThrows(ExecutionDoesNotExistException.class,
                () -> sfn.describeExecution(request -> request.executionArn(unknownExecution)));
    }

    @Test
    void stopExecution_shouldAbortWithTheGivenErrorAndCause() {
        // GIVEN a running execution
        start("wait-seconds-path.asl.json", 0.01);
        String arn = startExecution("to-stop", LONG_WAIT_INPUT).executionArn();

        // WHEN it is stopped
        sfn.stopExecution(request -> request.executionArn(arn).error("Operator").cause("no longer needed"));

        // THEN it is ABORTED at once, and its history ends with ExecutionAborted
        DescribeExecutionResponse stopped = sfn.describeExecution(request -> request.executionArn(arn));
        assertEquals(ExecutionStatus.ABORTED, stopped.status());
        assertNotNull(stopped.stopDate());
        assertEquals("Operator", stopped.error());
        HistoryEvent last = sfn.getExecutionHistory(request -> request.executionArn(arn).reverseOrder(true)
                .maxResults(1)).events().get(0);
        assertEquals(HistoryEventType.EXECUTION_ABORTED, last.type());
        assertEquals("no longer needed", last.executionAbortedEventDetails().cause());
    }

    @Test
    void listExecutionsAndHistory_shouldFilterAndPageNewestFirst() {
        // GIVEN two running executions and one finished one
        start("wait-seconds-path.asl.json", 0.01);
        startExecution("first", LONG_WAIT_INPUT);
        startExecution("second", LONG_WAIT_INPUT);
        String finished = startExecution("third", "{\"nextWaitSeconds\":0}").executionArn();
        awaitClosed(finished);

        // WHEN they are listed by status, one per page
        ListExecutionsResponse page1 = sfn.listExecutions(request -> request.stateMachineArn(server.stateMachineArn())
                .statusFilter(ExecutionStatus.RUNNING).maxResults(1));
        ListExecutionsResponse page2 = sfn.listExecutions(request -> request.stateMachineArn(server.stateMachineArn())
                .statusFilter(ExecutionStatus.RUNNING).maxResults(1).nextToken(page1.nextToken()));

        // THEN the newest comes first and the pages end
        assertEquals(List.of("second"), page1.executions().stream().map(ExecutionListItem::name).toList());
        assertEquals(List.of("first"), page2.executions().stream().map(ExecutionListItem::name).toList());
        assertNull(page2.nextToken());
        assertEquals(3, sfn.listExecutions(request -> request.stateMachineArn(server.stateMachineArn()))
                .executions().size());
        // AND the history pages in both orders with consecutive ids
        List<HistoryEvent> forward = history(finished, false);
        List<HistoryEvent> backward = history(finished, true);
        assertEquals(forward.reversed(), backward);
        for (int i = 0; i < forward.size(); i++) {
            assertEquals(i + 1, forward.get(i).id());
            assertEquals(i, forward.get(i).previousEventId());
        }
    }

    @Test
    void restartWithDataDir_shouldKeepClosedExecutionsAndRestartRunningOnes() {
        // GIVEN a server with a data dir, one finished and one running execution
        start("wait-seconds-path.asl.json", 0.01);
        String finished = startExecution("finished", "{\"nextWaitSeconds\":0}").executionArn();
        DescribeExecutionResponse before = awaitClosed(finished);
        String running = startExecution("running", LONG_WAIT_INPUT).executionArn();
        int historyBefore = history(finished, false).size();

        // WHEN the server stops and a new one starts on the same data dir, with a scale that makes the wait short
        server.close();
        sfn.close();
        start("wait-seconds-path.asl.json", 0.00001);

        // THEN the finished execution is unchanged, and the running one ran again from the start to the end
        DescribeExecutionResponse after = sfn.describeExecution(request -> request.executionArn(finished));
        assertEquals(List.of(before.status(), before.startDate(), before.stopDate(), before.input(), before.output()),
                List.of(after.status(), after.startDate(), after.stopDate(), after.input(), after.output()));
        assertEquals(historyBefore, history(finished, false).size());
        DescribeExecutionResponse resumed = awaitClosed(running);
        assertEquals(ExecutionStatus.SUCCEEDED, resumed.status());
        assertEquals(1, resumed.redriveCount());
        List<HistoryEventType> types = historyTypes(running);
        assertEquals(HistoryEventType.EXECUTION_STARTED, types.get(0));
        assertTrue(types.contains(HistoryEventType.EXECUTION_REDRIVEN), types.toString());
        assertEquals(HistoryEventType.EXECUTION_SUCCEEDED, types.getLast());
    }

    @Test
    void placeholderWithoutSubstitution_shouldFailToStartNamingIt() throws URISyntaxException {
        // GIVEN a definition whose placeholder has no substitution
        StepFunctionsLocal unstartable = StepFunctionsLocal.builder()
                .definition(fixture("unsubstituted-placeholder.asl.json"))
                .lambdaEndpoint(lambda.endpoint())
                .logSink(line -> { })
                .build();

        // WHEN it starts THEN the error names the placeholder and the exit code
        StepFunctionsLocalException error = assertThrows(StepFunctionsLocalException.class, unstartable::start);
        assertTrue(error.getMessage().contains("${MissingFunctionArn}"), error.getMessage());
        assertTrue(error.getMessage().contains("exited with code 2"), error.getMessage());
    }

    private void start(String fixture, double timeScale) {
        try {
            server = StepFunctionsLocal.builder()
                    .definition(fixture(fixture))
                    .substitutions(SUBSTITUTIONS)
                    .lambdaEndpoint(lambda.endpoint())
                    .timeScale(timeScale)
                    .dataDir(dataDir)
                    .build();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        servers.add(server.start());
        sfn = SfnClient.builder()
                .endpointOverride(server.endpoint())
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create("AKIDLOCAL", "local-secret")))
                .httpClient(UrlConnectionHttpClient.create())
                .build();
    }

    private static Path fixture(String name) throws URISyntaxException {
        return Path.of(StepFunctionsLocalIntegrationTest.class.getResource("/stepfunctions/" + name).toURI());
    }

    private StartExecutionResponse startExecution(String name, String input) {
        return sfn.startExecution(request -> request.stateMachineArn(server.stateMachineArn()).name(name).input(input));
    }

    private DescribeExecutionResponse awaitClosed(String executionArn) {
        Instant deadline = Instant.now().plusSeconds(20);
        while (Instant.now().isBefore(deadline)) {
            DescribeExecutionResponse execution = sfn.describeExecution(request -> request.executionArn(executionArn));
            if (execution.status() != ExecutionStatus.RUNNING) {
                return execution;
            }
            pause();
        }
        throw new AssertionError(executionArn + " still RUNNING after 20 s; history " + historyTypes(executionArn));
    }

    private static void pause() {
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** The whole history, two events per page so that paging is exercised. */
    private List<HistoryEvent> history(String executionArn, boolean reverse) {
        List<HistoryEvent> events = new ArrayList<>();
        String token = null;
        do {
            String pageToken = token;
            GetExecutionHistoryResponse page = sfn.getExecutionHistory(request -> request.executionArn(executionArn)
                    .reverseOrder(reverse).maxResults(2).nextToken(pageToken));
            events.addAll(page.events());
            token = page.nextToken();
        } while (token != null);
        return events;
    }

    private List<HistoryEventType> historyTypes(String executionArn) {
        return history(executionArn, false).stream().map(HistoryEvent::type).toList();
    }

    private HistoryEvent eventOfType(String executionArn, HistoryEventType type) {
        return history(executionArn, false).stream().filter(event -> event.type() == type).findFirst()
                .orElseThrow(() -> new AssertionError("no " + type + " in " + historyTypes(executionArn)));
    }
}
