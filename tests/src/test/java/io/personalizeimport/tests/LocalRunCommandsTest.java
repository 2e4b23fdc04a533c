package io.personalizeimport.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.personalizeimport.lambdas.lane.FileEntry;
import io.personalizeimport.lambdas.lane.FileStatus;
import io.personalizeimport.lambdas.ledger.Ledger;
import io.personalizeimport.local.cli.Commands;
import io.personalizeimport.local.cli.StackFile;
import io.personalizeimport.local.stack.LocalStack;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;

/**
 * The {@code local/run} commands against a running stack, with their exit codes: 0 when an import ends ACTIVE, 1 when
 * it fails or the stack is not running, 2 for a usage error. The stack runs in this JVM and announces itself through
 * its stack file, as {@code local/run up} does.
 */
class LocalRunCommandsTest {

    /** The demo routes, and a folder route into the demo users dataset. */
    private static final String ROUTES = """
            [{"name":"interactions","prefix":"interactions/","datasetArn":"%1$sINTERACTIONS","importMode":"FULL"},
             {"name":"users","prefix":"users/","datasetArn":"%1$sUSERS","importMode":"FULL"},
             {"name":"items","prefix":"items/","datasetArn":"%1$sITEMS","importMode":"FULL"},
             {"name":"exports","prefix":"exports/","datasetArn":"%1$sUSERS","group":"folder"}]"""
            .formatted("arn:aws:personalize:us-east-1:000000000000:dataset/personalize-import-demo/");

    private static LocalStack stack;
    private static Path dataDir;
    private static Path files;

    @BeforeAll
    static void startStack() throws Exception {
        dataDir = Files.createTempDirectory("personalize-import-cli");
        stack = LocalStack.builder()
                .root(SharedStack.repositoryRoot())
                .dataDir(dataDir)
                .timeScale(SharedStack.TIME_SCALE)
                .personalizeStepMillis(300)
                .routes(ROUTES)
                .build()
                .start();
        StackFile.of(stack).write(dataDir);
        files = Files.createTempDirectory("personalize-import-cli-files");
    }

    @AfterAll
    static void stopStack() {
        stack.close();
    }

    @AfterEach
    void clearFaults() {
        stack.personalize().clearFaults();
    }

    private static int run(String... args) {
        return Commands.run(args);
    }

    private static String file(String name, String content) throws Exception {
        Path path = files.resolve(name);
        Files.writeString(path, content);
        return path.toString();
    }

    @Test
    void importOfAValidFile_shouldExitZero() throws Exception {
        assertEquals(0, run("import", file("good users.csv", Csv.users(10)), "--route", "users",
                "--data-dir", dataDir.toString()));
    }

    @Test
    void importThroughAFolderRoute_shouldImportTheFileAsAFolderOfOnePart() throws Exception {
        // WHEN a file is imported through a folder route, which imports whole folders once their marker arrives
        int exit = run("import", file("export.csv", Csv.users(12)), "--route", "exports", "--data-dir",
                dataDir.toString());

        // THEN it went into a folder of its own with the marker after it, and that folder was imported whole
        assertEquals(0, exit);
        assertEquals(12, stack.personalize().recordCount(stack.datasetArn("users")));
        Ledger ledger = new Ledger(stack.dynamoDbClient(), LocalStack.LEDGER_TABLE, Clock.systemUTC());
        FileEntry part = ledger.files(stack.datasetArn("users")).stream()
                .filter(entry -> entry.file().key().startsWith("exports/import-")
                        && entry.file().key().endsWith("/export.csv"))
                .reduce((a, b) -> b).orElseThrow();
        assertEquals(FileStatus.IMPORTED, part.standing().status(), part::toString);
    }

    @Test
    void importOfAPartFileByKey_shouldExitZeroSayingItWaitsForTheMarker() throws Exception {
        // WHEN a part file is given by key inside a folder of a folder route
        int exit = run("import", file("part-0000.csv", Csv.users(5)), "--key", "exports/by-key/part-0000.csv",
                "--data-dir", dataDir.toString());

        // THEN the command returns once the part is recorded, waiting for the folder's marker, with no import started
        assertEquals(0, exit);
        Ledger ledger = new Ledger(stack.dynamoDbClient(), LocalStack.LEDGER_TABLE, Clock.systemUTC());
        FileEntry part = ledger.files(stack.datasetArn("users")).stream()
                .filter(file -> file.file().key().equals("exports/by-key/part-0000.csv")).findFirst().orElseThrow();
        assertEquals(FileStatus.PENDING, part.standing().status(), part::toString);
        assertEquals("exports/by-key/", part.file().folder());
    }

    @Test
    void importOfABrokenFile_shouldExitOne() throws Exception {
        String broken = Csv.items(5).replace("books,6.5,", "books,six,");

        assertEquals(1, run("import", file("bad items.csv", broken), "--key", "items/bad-items.csv", "--json",
                "--data-dir", dataDir.toString()));
    }

    @Test
    void startExecutionWithTheConsolesInputForms_shouldFollowItToTheEnd() throws Exception {
        run("import", file("for-console.csv", Csv.users(3)), "--route", "users", "--data-dir", dataDir.toString());

        assertEquals(0, run("start-execution", "--input",
                "{\"bucket\":\"" + LocalStack.BUCKET + "\",\"key\":\"users/for-console.csv\"}", "--name", "cli-console",
                "--data-dir", dataDir.toString()));
        assertEquals(0, run("history", "cli-console", "--json", "--data-dir", dataDir.toString()));
        assertEquals(0, run("executions", "--data-dir", dataDir.toString()));
        assertEquals(1, run("start-execution", "--input", "{\"nothing\":true}", "--data-dir", dataDir.toString()));
    }

    @Test
    void badCommandLines_shouldExitTwo() throws Exception {
        assertEquals(2, run("import", file("x.csv", "a"), "--route", "no-such-route", "--data-dir", dataDir.toString()));
        assertEquals(2, run("import", file("y.csv", "a"), "--key", "archive/y.csv", "--data-dir", dataDir.toString()));
        assertEquals(2, run("start-execution", "--input", "{not json", "--data-dir", dataDir.toString()));
        assertEquals(2, run("executions", "--colour", "red"));
        assertEquals(2, run("frobnicate"));
    }

    @Test
    void eventTheTriggerKeepsFailingOn_shouldBeDeadLetteredThenRedriven() throws Exception {
        // GIVEN the trigger's process dies on every invocation (an error inside Personalize or S3 no longer fails it:
        // the trigger hands those to the execution; only a crash or a refused StartExecution fails the event)
        stack.lambdaHost().injectCrash("trigger", 1_000);
        Path file = stack.bucketFolder().resolve("users/dead-letter.csv");
        Files.createDirectories(file.getParent());
        Files.writeString(file, Csv.users(4));

        // WHEN the notification has used up its retries
        Path deadLetters = dataDir.resolve("notifications/dead-letters");
        Instant until = Instant.now().plusSeconds(60);
        while (stack.notifications().deadLetters().isEmpty() && Instant.now().isBefore(until)) {
            Thread.sleep(100);
        }

        // THEN the event is kept as a dead letter, and a redrive after the fault is gone delivers it
        assertEquals(1, stack.notifications().deadLetters().size());
        assertEquals(0, run("dead-letters", "--json", "--data-dir", dataDir.toString()));
        stack.lambdaHost().clearFaults();
        assertEquals(0, run("redrive", "--all", "--data-dir", dataDir.toString()));
        try (var listing = Files.list(deadLetters)) {
            assertEquals(0, listing.count());
        }
        try (SfnClient sfn = stack.sfnClient()) {
            String execution = LocalStackEndToEndTest.executionFor(sfn, stack.stateMachineArn(), "users/dead-letter.csv");
            assertEquals(ExecutionStatus.SUCCEEDED, Executions.awaitEnd(sfn, execution, Duration.ofSeconds(60)).status());
        }
    }

    @Test
    void upOnAPortInUse_shouldExitOneNamingThePorts() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Path other = Files.createTempDirectory("personalize-import-port");

            int exit = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> run("up", "--port-base",
                    Integer.toString(taken.getLocalPort()), "--data-dir", other.toString()));

            assertEquals(1, exit);
        }
    }

    @Test
    void commandsWithoutARunningStack_shouldExitOne() throws Exception {
        Path empty = Files.createTempDirectory("personalize-import-no-stack");

        assertEquals(1, run("executions", "--data-dir", empty.toString()));
        assertEquals(1, run("import", file("z.csv", Csv.users(1)), "--route", "users", "--data-dir", empty.toString()));
        assertEquals(1, run("import", files.resolve("missing.csv").toString(), "--route", "users",
                "--data-dir", dataDir.toString()));
    }
}
