package io.personalizeimport.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.personalizeimport.local.cli.Commands;
import io.personalizeimport.local.cli.StackFile;
import io.personalizeimport.local.stack.LocalStack;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The {@code local/run} commands against a running stack, with their exit codes: 0 when an import ends ACTIVE, 1 when
 * it fails or the stack is not running, 2 for a usage error. The stack runs in this JVM and announces itself through
 * its stack file, as {@code local/run up} does.
 */
class LocalRunCommandsTest {

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
                .build()
                .start();
        StackFile.of(stack).write(dataDir);
        files = Files.createTempDirectory("personalize-import-cli-files");
    }

    @AfterAll
    static void stopStack() {
        stack.close();
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
    void commandsWithoutARunningStack_shouldExitOne() throws Exception {
        Path empty = Files.createTempDirectory("personalize-import-no-stack");

        assertEquals(1, run("executions", "--data-dir", empty.toString()));
        assertEquals(1, run("import", file("z.csv", Csv.users(1)), "--route", "users", "--data-dir", empty.toString()));
        assertEquals(1, run("import", files.resolve("missing.csv").toString(), "--route", "users",
                "--data-dir", dataDir.toString()));
    }
}
