package io.personalizeimport.lambdas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.S3Event;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.personalizeimport.lambdas.config.Environment;
import io.personalizeimport.lambdas.errors.EventNotProcessedException;
import io.personalizeimport.local.stack.LocalStack;
import io.personalizeimport.tests.StackAccess;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The trigger handler in this JVM, built with the second constructor, its real SDK clients talking HTTP to the local
 * stack, fed the event fixtures of the lambdas module (lambdas/src/test/resources/events) as Lambda's runtime reads them.
 */
class TriggerHandlerIntegrationTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static LocalStack stack;
    private static Map<String, String> env;

    @BeforeAll
    static void startStack() {
        stack = StackAccess.shared();
        env = new HashMap<>(stack.functionEnvironment(FunctionSettings.TRIGGER));
        env.put("AWS_REGION", LocalStack.REGION);
        env.put("AWS_ACCESS_KEY_ID", stack.s3().accessKey());
        env.put("AWS_SECRET_ACCESS_KEY", stack.s3().secretKey());
    }

    private static TriggerHandler handler(Map<String, String> variables) {
        return new TriggerHandler(Pipeline.from(FunctionSettings.TRIGGER, new Environment(variables)),
                stack.stateMachineArn());
    }

    /**
     * Hands the fixture to the handler as Lambda's runtime does, read into an S3Event by the library the runtime reads
     * events with; returns the handler's summary as JSON.
     */
    private static JsonNode handle(TriggerHandler handler, String fixture) throws IOException {
        Path events = StackAccess.repositoryRoot().resolve("lambdas/src/test/resources/events");
        S3Event event;
        try (InputStream input = Files.newInputStream(events.resolve(fixture))) {
            event = LambdaEventSerializers.serializerFor(S3Event.class, S3Event.class.getClassLoader()).fromJson(input);
        }
        return JSON.valueToTree(handler.handleRequest(event, null));
    }

    private static void upload(String key, String content) {
        try (S3Client s3 = stack.s3Client()) {
            s3.putObject(request -> request.bucket(LocalStack.BUCKET).key(key), RequestBody.fromString(content));
        }
    }

    @Test
    void encodedKey_shouldImportTheDecodedObject() throws Exception {
        // GIVEN the object the fixture's form-encoded key names
        upload("interactions/daily export été + more%.csv", StackAccess.interactionsCsv(1000));

        // WHEN the handler receives the fixture
        JsonNode record = handle(handler(env), "put-encoded-key.json").path("records").get(0);

        // THEN an import starts under a readable, valid name, and succeeds
        assertTrue(record.path("jobName").asText().startsWith("interactions-daily_export_ete_more-"), record::toString);
        assertEquals("SUCCEEDED", StackAccess.awaitEnd(record.path("executionArn").asText()), record::toString);
    }

    @Test
    void severalRecords_shouldEachBeHandled() throws Exception {
        upload("interactions/a.csv", StackAccess.interactionsCsv(1000));
        upload("users/u.csv", "USER_ID,MEMBERSHIP,AGE\nu1,gold,30\n");

        JsonNode records = handle(handler(env), "put-several-records.json").path("records");

        assertEquals(3, records.size());
        assertEquals("SUCCEEDED", StackAccess.awaitEnd(records.get(0).path("executionArn").asText()), records::toString);
        assertEquals("SUCCEEDED", StackAccess.awaitEnd(records.get(1).path("executionArn").asText()), records::toString);
        assertEquals("SKIPPED", records.get(2).path("outcome").asText(), records::toString);
        assertTrue(records.get(2).path("detail").asText().contains("matches no route"), records::toString);
    }

    @Test
    void s3TestEvent_shouldDoNothing() throws Exception {
        JsonNode summary = handle(handler(env), "s3-test-event.json");

        assertEquals(0, summary.path("records").size());
    }

    @Test
    void recordOfAMissingDataset_shouldBeHandedToTheStateMachineWhichFailsItVisibly() throws Exception {
        // GIVEN a configuration whose users route points at a dataset that does not exist
        upload("interactions/a.csv", StackAccess.interactionsCsv(1000));
        upload("users/u.csv", "USER_ID,MEMBERSHIP,AGE\nu1,gold,30\n");
        Map<String, String> broken = new HashMap<>(env);
        broken.put("ROUTES", stack.routesJson().replace("\"name\":\"users\"", "\"name\":\"users-missing\"")
                .replace("/USERS\"", "-missing/USERS\""));

        // WHEN the event is handled
        JsonNode records = handle(handler(broken), "put-several-records.json").path("records");

        // THEN the users file starts its import, whose execution ends with a one-line cause naming the dataset
        JsonNode users = records.get(1);
        assertEquals("IMPORTING", users.path("outcome").asText(), records::toString);
        var execution = StackAccess.awaitExecution(users.path("executionArn").asText());
        assertEquals("DatasetImportRequestInvalid", execution.error(), execution::toString);
        assertTrue(execution.cause().contains("-missing/USERS does not exist"), execution.cause());
        assertFalse(execution.cause().contains("\n"), execution.cause());
    }

    @Test
    void recordsWhoseExecutionCannotStart_shouldFailTheInvocationAfterTheOthers() {
        // GIVEN a trigger configured with a state machine that does not exist, whose routes name datasets with free
        // lanes (new partitions of the ledger), so each routed record claims its lane and starts an execution
        upload("interactions/a.csv", StackAccess.interactionsCsv(1000));
        upload("users/u.csv", "USER_ID,MEMBERSHIP,AGE\nu1,gold,30\n");
        String fresh = java.util.UUID.randomUUID().toString().substring(0, 8);
        Map<String, String> variables = new HashMap<>(env);
        variables.put("ROUTES", stack.routesJson().replace("/USERS\"", "-" + fresh + "/USERS\"")
                .replace("/INTERACTIONS\"", "-" + fresh + "/INTERACTIONS\""));
        TriggerHandler handler = new TriggerHandler(Pipeline.from(FunctionSettings.TRIGGER,
                new Environment(variables)), stack.stateMachineArn().replace(":stateMachine:", ":stateMachine:missing-"));

        // WHEN the event is handled
        var error = assertThrows(EventNotProcessedException.class, () -> handle(handler, "put-several-records.json"));

        // THEN both routed records fail, after the skipped one was handled, so Lambda retries the event, then keeps it;
        // their lanes stay claimed for executions not yet started, which the retried delivery starts
        assertTrue(error.getMessage().startsWith("2 of 3 records not processed"), error.getMessage());
        assertTrue(error.getMessage().contains("Step Functions refused StartExecution"), error.getMessage());
    }
}
