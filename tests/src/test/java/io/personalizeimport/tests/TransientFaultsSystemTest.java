package io.personalizeimport.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.personalizeimport.lambdas.errors.TransientServiceException;
import io.personalizeimport.local.faults.Fault;
import io.personalizeimport.local.faults.FaultStats;
import io.personalizeimport.local.stack.LocalStack;
import java.time.Duration;
import java.util.List;
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
 * Transient faults never end a monitor: each fault kind is injected into the real functions' calls on the local stack,
 * and the import still ends ACTIVE with the file's rows in the dataset. Refusals and misuse end at once, each with a
 * one-line Cause.
 */
class TransientFaultsSystemTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(90);

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
        stack.personalize().clearFaults();
        stack.lambdaHost().clearFaults();
        stack.s3().clearFaults();
    }

    private static DescribeExecutionResponse importObject(String key) {
        return console.run("{\"bucket\":\"" + LocalStack.BUCKET + "\",\"key\":\"" + key + "\"}");
    }

    private static List<HistoryEvent> history(DescribeExecutionResponse execution) {
        return sfn.getExecutionHistory(request -> request.executionArn(execution.executionArn()).maxResults(1000))
                .events();
    }

    private static long failuresNamed(DescribeExecutionResponse execution, String error) {
        return history(execution).stream()
                .filter(event -> event.type() == HistoryEventType.LAMBDA_FUNCTION_FAILED)
                .filter(event -> event.lambdaFunctionFailedEventDetails().error().equals(error))
                .count();
    }

    private static void assertActiveWithRows(DescribeExecutionResponse execution, String dataset, int rows)
            throws Exception {
        assertEquals(ExecutionStatus.SUCCEEDED, execution.status(), execution::toString);
        JsonNode job = MAPPER.readTree(execution.output()).path("datasetImportJob");
        assertEquals("ACTIVE", job.path("status").asText(), job::toString);
        assertEquals(rows, stack.personalize().recordCount(stack.datasetArn(dataset)), "records in " + dataset);
    }

    private static void assertOneLineCause(DescribeExecutionResponse execution) {
        assertFalse(execution.cause().contains("\n"), execution.cause());
        assertFalse(execution.cause().contains("stackTrace"), execution.cause());
        assertTrue(execution.cause().length() < 1000, execution.cause());
    }

    @ParameterizedTest(name = "{1} x{2} on {0}")
    @CsvSource({
        "DescribeDatasetImportJob, LimitExceededException, 2",
        "DescribeDatasetImportJob, ThrottlingException, 4",
        "DescribeDatasetImportJob, InternalFailure, 4",
        "CreateDatasetImportJob, InternalFailure, 4",
        "CreateDatasetImportJob, ThrottlingException, 4",
        "DescribeDataset, ThrottlingException, 4",
        "DescribeDataset, InternalFailure, 4",
        "DescribeSchema, ThrottlingException, 4",
        "DescribeSchema, ServiceUnavailable, 4"})
    void transientFault_shouldBeRetriedUntilTheImportIsActive(String operation, String error, int count)
            throws Exception {
        // GIVEN a fresh create container (preflight caches schemas per container) and faults beyond the SDK's retries
        stack.lambdaHost().containerPids("create").forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroy));
        String key = console.upload("users/" + ConsoleSession.unique("transient") + ".csv", Csv.users(17));
        stack.personalize().injectFault(Fault.error(operation, error, count));

        // WHEN an import runs
        DescribeExecutionResponse execution = importObject(key);

        // THEN the function reported a transient error, the state machine retried it, and the data landed
        assertActiveWithRows(execution, "users", 17);
        assertTrue(failuresNamed(execution, TransientServiceException.class.getName()) >= 1, execution::toString);
    }

    @ParameterizedTest(name = "{0} crashes x{1}")
    @CsvSource({"describe, 2", "create, 1"})
    void crashedFunction_shouldBeRetriedUntilTheImportIsActive(String function, int crashes) throws Exception {
        // GIVEN the function's process is killed mid-invocation, as a JVM that runs out of memory dies
        String key = console.upload("users/" + ConsoleSession.unique("crash-" + function) + ".csv", Csv.users(13));
        stack.lambdaHost().injectCrash(function, crashes);

        // WHEN an import runs
        DescribeExecutionResponse execution = importObject(key);

        // THEN each crash reached the state machine as Runtime.ExitError and was retried; the data landed
        assertActiveWithRows(execution, "users", 13);
        assertEquals(crashes, failuresNamed(execution, "Runtime.ExitError"), execution::toString);
    }

    @Test
    void s3SlowDownInPreflight_shouldBeRetriedUntilTheImportIsActive() throws Exception {
        // GIVEN S3 answers SlowDown to more GetObject calls than the SDK retries within one invocation
        String key = console.upload("users/" + ConsoleSession.unique("slowdown") + ".csv", Csv.users(11));
        FaultStats slowDown = stack.s3().injectFault(Fault.error("GetObject", "SlowDown", 4));

        // WHEN an import runs
        DescribeExecutionResponse execution = importObject(key);

        // THEN preflight's read was classified transient, the create task retried, and the data landed
        assertActiveWithRows(execution, "users", 11);
        assertEquals(4, stack.s3().faults().stream().filter(stats -> stats.id() == slowDown.id())
                .mapToLong(FaultStats::injected).sum(), "SlowDown answers given");
        assertTrue(failuresNamed(execution, TransientServiceException.class.getName()) >= 1, execution::toString);
    }

    @Test
    void describeSlowerThanTheFunctionTimeout_shouldTimeOutInTheSdkAndBeRetried() throws Exception {
        // GIVEN DescribeDatasetImportJob answers after 35 s, beyond the describe function's 30 s, three times in a row
        String key = console.upload("users/" + ConsoleSession.unique("slow") + ".csv", Csv.users(19));
        stack.personalize().injectFault(Fault.latency("DescribeDatasetImportJob", 35_000, 3));

        // WHEN an import runs
        DescribeExecutionResponse execution = importObject(key);

        // THEN the SDK's timeout turned the slow answer into a classified, retried error; the function was never killed
        assertActiveWithRows(execution, "users", 19);
        assertTrue(failuresNamed(execution, TransientServiceException.class.getName()) >= 1, execution::toString);
        assertEquals(0, failuresNamed(execution, "Sandbox.Timedout"), execution::toString);
    }

    @Test
    void refusedCreation_shouldFailAsNotStartedWithPersonalizesOwnMessage() {
        String key = console.upload("users/" + ConsoleSession.unique("denied") + ".csv", Csv.users(5));
        stack.personalize().injectFault(new Fault("CreateDatasetImportJob", "AccessDeniedException", 400, 1, 0,
                "User: arn:aws:sts::123456789012:assumed-role/create is not authorized to perform: "
                        + "personalize:CreateDatasetImportJob"));

        DescribeExecutionResponse execution = importObject(key);

        assertEquals("DatasetImportNotStarted", execution.error(), execution::toString);
        assertTrue(execution.cause().startsWith("Personalize refused CreateDatasetImportJob for " + key + " (job users-"),
                execution.cause());
        assertTrue(execution.cause().contains(": AccessDeniedException: User: arn:aws:sts::"), execution.cause());
        assertOneLineCause(execution);
    }

    @Test
    void failedJob_shouldNameJobFileDatasetAndPersonalizesReason() {
        String key = console.upload("users/" + ConsoleSession.unique("broken") + ".csv",
                Csv.withBadRowPastPreflight(Csv::users, "late,gold,thirty"));

        DescribeExecutionResponse execution = importObject(key);

        assertEquals("DatasetImportJobFailed", execution.error(), execution::toString);
        assertTrue(execution.cause().startsWith("Import job users-"), execution.cause());
        assertTrue(execution.cause().contains(" of s3://" + LocalStack.BUCKET + "/" + key + " into "
                + stack.datasetArn("users") + " failed: "), execution.cause());
        assertTrue(execution.cause().contains("'thirty' is not a valid int"), execution.cause());
        assertOneLineCause(execution);
    }

    @Test
    void sameJobNameForAnotherFile_shouldFailAsInvalidAndKeepTheFirstFilesData() throws Exception {
        // GIVEN a console import of a.csv under a chosen job name
        String jobName = ConsoleSession.unique("reused");
        String first = console.upload("users/" + ConsoleSession.unique("a") + ".csv", Csv.users(23));
        String second = console.upload("users/" + ConsoleSession.unique("b") + ".csv", Csv.users(29));
        String form = "{\"dataLocation\":\"s3://" + LocalStack.BUCKET + "/%s\",\"datasetArn\":\""
                + stack.datasetArn("users") + "\",\"jobName\":\"" + jobName + "\"}";
        assertActiveWithRows(console.run(form.formatted(first)), "users", 23);

        // WHEN a second import names the same job for b.csv, and a third repeats the first one exactly
        DescribeExecutionResponse reused = console.run(form.formatted(second));
        DescribeExecutionResponse repeated = console.run(form.formatted(first));

        // THEN the second fails naming the job, what it imports and where; the dataset keeps a.csv's rows
        assertEquals("DatasetImportRequestInvalid", reused.error(), reused::toString);
        assertTrue(reused.cause().contains("Import job " + jobName + " already exists and imports s3://"
                + LocalStack.BUCKET + "/" + first + " into dataset " + stack.datasetArn("users")), reused.cause());
        assertOneLineCause(reused);
        assertEquals(23, stack.personalize().recordCount(stack.datasetArn("users")));
        // and the exact repeat is the same import: it follows the existing job to ACTIVE
        assertEquals(ExecutionStatus.SUCCEEDED, repeated.status(), repeated::toString);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "outside every routed prefix | {\"dataLocation\":\"s3://personalize-import-data/archive/x.csv\",\"datasetArn\":\"@users\"}",
        "another route's dataset     | {\"dataLocation\":\"s3://personalize-import-data/items/x.csv\",\"datasetArn\":\"@users\"}",
        "a dataset no route names    | {\"dataLocation\":\"s3://personalize-import-data/users/x.csv\",\"datasetArn\":\"arn:aws:personalize:us-east-1:000000000000:dataset/other/USERS\"}",
        "another bucket              | {\"dataLocation\":\"s3://someone-elses-bucket/users/x.csv\",\"datasetArn\":\"@users\"}",
        "another bucket's object     | {\"bucket\":\"someone-elses-bucket\",\"key\":\"users/x.csv\"}",
        "another role                | {\"dataLocation\":\"s3://personalize-import-data/users/\",\"datasetArn\":\"@users\",\"roleArn\":\"arn:aws:iam::000000000000:role/Other\"}"})
    void consoleImportOutsideTheRoutes_shouldFailAtOnceListingWhatIsAllowed(String what, String input) {
        DescribeExecutionResponse execution = console.run(input.replace("personalize-import-data", LocalStack.BUCKET)
                .replace("@users", stack.datasetArn("users")));

        assertEquals("DatasetImportRequestInvalid", execution.error(), what + ": " + execution);
        assertTrue(execution.cause().contains(stack.datasetArn("users") + " from s3://" + LocalStack.BUCKET + "/users/")
                || execution.cause().contains("is not the role of route 'users'"), execution.cause());
        assertOneLineCause(execution);
        assertTrue(history(execution).stream().noneMatch(event -> event.type() == HistoryEventType.TASK_STATE_ENTERED
                && event.stateEnteredEventDetails().name().equals("Describe import job")), what);
    }
}
