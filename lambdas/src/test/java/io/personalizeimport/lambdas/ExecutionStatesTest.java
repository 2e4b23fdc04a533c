package io.personalizeimport.lambdas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.personalizeimport.lambdas.errors.InvalidImportRequestException;
import io.personalizeimport.lambdas.json.Json;
import io.personalizeimport.lambdas.lane.Ending;
import io.personalizeimport.lambdas.lane.OperatorRequest;
import org.junit.jupiter.api.Test;

/** The execution's state, as the state machine hands it to a task, read into what the lane's rules act on. */
class ExecutionStatesTest {

    private static final String LANE = "\"lane\":{\"datasetArn\":\"arn:d\",\"entries\":[\"file#1\"],\"files\":[\"u/a.csv\"]}";
    private static final String REQUEST = "\"createRequest\":{\"jobName\":\"users-a\",\"datasetArn\":\"arn:d\","
            + "\"dataLocation\":\"s3://b/u/a.csv\",\"roleArn\":\"arn:aws:iam::123456789012:role/R\","
            + "\"importMode\":\"FULL\"}";

    private static Ending ending(String state) {
        return ExecutionStates.ending("run", Json.tree(state));
    }

    @Test
    void aJobThatEnded_shouldEndWithItsStatusItsLaneAndWhatWasSeenOfIt() {
        Ending ending = ending("{" + REQUEST + "," + LANE + ",\"datasetImportJobArn\":\"arn:job\",\"monitor\":{"
                + "\"datasetImportJob\":{\"status\":\"CREATE FAILED\",\"creationDateTime\":\"2026-12-01T10:00:00Z\","
                + "\"polls\":4},\"cause\":\"Input CSV is missing the following columns: [TIMESTAMP]\"}}");

        assertEquals(new Ending.JobEnded("CREATE FAILED", "Input CSV is missing the following columns: [TIMESTAMP]"),
                ending.happened());
        assertEquals("users-a", ending.claim().jobName());
        assertEquals(java.util.List.of("file#1"), ending.claim().ticket().entries());
        assertEquals("arn:job", ending.job().jobArn());
        assertEquals("FULL", ending.job().importMode());
        assertEquals(4L, ending.job().polls());
    }

    @Test
    void aCaughtError_shouldNameItsTaskAndTheJavaErrorsMessage() {
        Ending ending = ending("{\"key\":\"u/a.csv\",\"createFailure\":{\"Error\":\"io.personalizeimport.lambdas.errors"
                + ".InvalidImportRequestException\",\"Cause\":\"{\\\"errorMessage\\\":\\\"Key is wrong\\\","
                + "\\\"errorType\\\":\\\"x\\\"}\"}}");

        var failed = assertInstanceOf(Ending.TaskFailed.class, ending.happened());
        assertEquals(Ending.Task.CREATE, failed.task());
        assertEquals("Key is wrong", failed.cause());
        assertEquals("u/a.csv", ending.claim().asked().key());
        assertNull(ending.claim().ticket());
    }

    @Test
    void aCauseThatIsNoJson_shouldBeKeptAsItCame() {
        Ending ending = ending("{\"describeFailure\":{\"Error\":\"States.Timeout\",\"Cause\":\"Task timed out\"}}");

        assertEquals(new Ending.TaskFailed(Ending.Task.DESCRIBE, "States.Timeout", "Task timed out"),
                ending.happened());
        assertNull(ending.claim(), "no lane, no operator's file");
    }

    @Test
    void theOtherEndings_shouldBeReadFromTheirFields() {
        assertInstanceOf(Ending.FolderWaited.class, ending("{\"folderWatch\":{\"datasetArn\":\"arn:d\",\"bucket\":\"b\","
                + "\"folder\":\"i/f/\",\"route\":\"items\",\"marker\":\"_SUCCESS\",\"waitSeconds\":60}}").happened());
        assertEquals(new Ending.Rejected("Header is wrong"),
                ending("{\"rejection\":{\"reason\":\"Header is wrong\"}}").happened());
        assertEquals(new Ending.Queued("s3://b/u/a.csv", "arn:d", "users-z", "users-a"), ending("{\"queued\":{"
                + "\"file\":\"s3://b/u/a.csv\",\"datasetArn\":\"arn:d\",\"behind\":\"users-z\",\"jobName\":\"users-a\"}}")
                .happened());
    }

    @Test
    void aStateWithoutAnEnd_shouldBeRefusedSayingWhatWasExpected() {
        var e = assertThrows(InvalidImportRequestException.class, () -> ending("{\"monitor\":{\"datasetImportJob\":"
                + "{\"status\":\"CREATE IN_PROGRESS\"}}}"));

        assertTrue(e.getMessage().startsWith("The execution's state shows no end: expected a folderWatch"),
                e.getMessage());
    }

    @Test
    void operatorInputs_shouldBeReadIntoTheirFormOrRefused() {
        assertEquals(new OperatorRequest.ForObject("b", "u/a.csv"),
                ExecutionStates.operatorRequest(Json.tree("{\"bucket\":\"b\",\"key\":\"u/a.csv\"}")));
        assertEquals(new OperatorRequest.ForLocation("s3://b/u/", "arn:d", null, "FULL", null),
                ExecutionStates.operatorRequest(Json.tree("{\"dataLocation\":\"s3://b/u/\",\"datasetArn\":\"arn:d\","
                        + "\"importMode\":\"FULL\"}")));
        var number = assertThrows(InvalidImportRequestException.class,
                () -> ExecutionStates.operatorRequest(Json.tree("{\"bucket\":\"b\",\"key\":5}")));
        assertEquals("key is 5: expected a non-empty string", number.getMessage());
        var none = assertThrows(InvalidImportRequestException.class,
                () -> ExecutionStates.operatorRequest(Json.tree("{\"file\":\"x\"}")));
        assertTrue(none.getMessage().startsWith("Execution input has none of the fields the import monitor reads"));
    }

    @Test
    void aQueuedRequestWithoutItsRole_shouldBeRefusedAsIncomplete() {
        var e = assertThrows(InvalidImportRequestException.class, () -> ExecutionStates.queued(Json.tree(
                "{\"createRequest\":{\"jobName\":\"j\",\"datasetArn\":\"arn:d\",\"dataLocation\":\"s3://b/k.csv\"}}")));

        assertTrue(e.getMessage().endsWith("is incomplete: expected jobName, datasetArn, dataLocation and roleArn"),
                e.getMessage());
    }
}
