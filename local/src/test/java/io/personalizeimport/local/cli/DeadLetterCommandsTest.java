package io.personalizeimport.local.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.personalizeimport.local.notifications.EventId;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code local/run redrive ID} against a data directory with dead-letter files, and a stand-in Lambda endpoint that
 * accepts every invocation, so a redrive that reaches a file would invoke the trigger and delete the file.
 */
class DeadLetterCommandsTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String LETTER_ID = "5c0e7a52-8f1d-4b3e-9a6c-2d4f8e1b7c90";

    @TempDir
    Path dataDir;

    private HttpServer lambda;
    private final List<String> invocations = new CopyOnWriteArrayList<>();
    private Path deadLetters;

    @BeforeEach
    void startLambdaAndWriteStack() throws IOException {
        lambda = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        lambda.createContext("/2015-03-31/functions/trigger/invocations", exchange -> {
            invocations.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        lambda.start();
        new StackFile(ProcessHandle.current().pid(),
                Map.of("lambda", URI.create("http://127.0.0.1:" + lambda.getAddress().getPort())),
                "personalize-import-data", dataDir.resolve("s3"), "arn:aws:states:us-east-1:000000000000:x",
                "us-east-1", "key", "secret", List.of()).write(dataDir);
        deadLetters = Files.createDirectories(DeadLetterCommands.folder(dataDir));
    }

    @AfterEach
    void stopLambda() {
        lambda.stop(0);
    }

    @Test
    void idOfADeadLetter_shouldBeRedrivenToTheTriggerAndRemoved() throws IOException {
        // GIVEN a dead letter
        Path letter = writeLetter(deadLetters.resolve(LETTER_ID + ".json"), "users/u.csv");
        JsonNode event = MAPPER.readTree(letter.toFile()).path("requestPayload");

        // WHEN it is redriven by its id
        int exit = Commands.run(new String[] {"redrive", LETTER_ID, "--data-dir", dataDir.toString()});

        // THEN the trigger gets its event, once, and the file is gone
        assertEquals(Cli.OK, exit);
        assertEquals(1, invocations.size());
        assertEquals(event, MAPPER.readTree(invocations.get(0)));
        assertFalse(Files.exists(letter));
    }

    @Test
    void pathTraversalToAnExistingFile_shouldBeAUsageErrorAndLeaveTheFileAlone() throws IOException {
        // GIVEN dead-letter records outside the folder: beside it, and anywhere on disk
        Path beside = writeLetter(dataDir.resolve("notifications/outside.json"), "users/beside.csv");
        Path elsewhere = writeLetter(dataDir.resolve("elsewhere/secret.json"), "users/elsewhere.csv");
        String absolute = elsewhere.toString().substring(0, elsewhere.toString().length() - ".json".length());

        // WHEN redrive is given ids that resolve to them
        int relativeExit = Commands.run(new String[] {"redrive", "../outside", "--data-dir", dataDir.toString()});
        int absoluteExit = Commands.run(new String[] {"redrive", absolute, "--data-dir", dataDir.toString()});

        // THEN both are usage errors: nothing is invoked and both files are still there
        assertEquals(Cli.USAGE, relativeExit);
        assertEquals(Cli.USAGE, absoluteExit);
        assertEquals(List.of(), invocations);
        assertTrue(Files.exists(beside));
        assertTrue(Files.exists(elsewhere));
    }

    @ParameterizedTest
    @ValueSource(strings = {"../x", "/tmp/x", "a/b", "", "notes", LETTER_ID + ".json",
            "5C0E7A52-8F1D-4B3E-9A6C-2D4F8E1B7C90", LETTER_ID + "/../" + LETTER_ID})
    void malformedId_shouldBeAUsageErrorNamingItAndWhatAnIdLooksLike(String id) throws IOException {
        // GIVEN a file in the folder that is not a dead letter
        Files.writeString(deadLetters.resolve("notes.json"), "{}");

        // WHEN redrive is given an id of the wrong form
        UsageException failure = assertThrows(UsageException.class,
                () -> DeadLetterCommands.redrive(new String[] {id, "--data-dir", dataDir.toString()}));

        // THEN the message names it, shows a valid id and where ids come from; the launcher exits with 2
        assertTrue(failure.getMessage().contains("'" + id + "' is not a dead letter ID"), failure.getMessage());
        assertTrue(failure.getMessage().contains(EventId.EXAMPLE), failure.getMessage());
        assertTrue(failure.getMessage().contains("local/run dead-letters"), failure.getMessage());
        assertEquals(Cli.USAGE, Commands.run(new String[] {"redrive", id, "--data-dir", dataDir.toString()}));
        assertEquals(List.of(), invocations);
    }

    @Test
    void wellFormedIdOfNoDeadLetter_shouldFailWithExitCode1() {
        // GIVEN an empty dead-letter folder

        // WHEN redrive is given an id of the right form
        CommandFailedException failure = assertThrows(CommandFailedException.class,
                () -> DeadLetterCommands.redrive(new String[] {LETTER_ID, "--data-dir", dataDir.toString()}));

        // THEN it fails naming the id and the listing command; the launcher exits with 1
        assertTrue(failure.getMessage().contains("no dead letter " + LETTER_ID), failure.getMessage());
        assertTrue(failure.getMessage().contains("local/run dead-letters"), failure.getMessage());
        assertEquals(Cli.FAILED, Commands.run(new String[] {"redrive", LETTER_ID, "--data-dir", dataDir.toString()}));
    }

    private static Path writeLetter(Path file, String key) throws IOException {
        Files.createDirectories(file.getParent());
        return Files.writeString(file, """
                {"version":"1.0","requestContext":{"approximateInvokeCount":3,"condition":"RetriesExhausted"},
                 "requestPayload":{"Records":[{"eventName":"ObjectCreated:Put","s3":{"bucket":{"name":"b"},
                 "object":{"key":"%s"}}}]},
                 "responsePayload":{"errorType":"E","errorMessage":"m"}}""".formatted(key));
    }
}
