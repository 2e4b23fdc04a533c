package io.personalizeimport.local.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.personalizeimport.local.RepositoryRoot;
import io.personalizeimport.local.stack.LocalStack;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code local/run import} against a running stack: its one file's progress, a line per status, and its exit code. */
class ImportCommandProgressTest {

    @TempDir
    Path dataDir;

    @Test
    void importOfAValidFile_shouldShowItsStatusesAndEndImportedWithExitZero() throws Exception {
        // GIVEN a running stack that announces itself in its data directory, and a file of users
        Path users = dataDir.resolve("users.csv");
        Files.writeString(users, "USER_ID,MEMBERSHIP,AGE\nu1,gold,30\nu2,basic,41\n");
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        int exit;
        try (LocalStack stack = LocalStack.builder().root(RepositoryRoot.find()).dataDir(dataDir.resolve("stack"))
                .timeScale(0.01).personalizeStepMillis(300).logSink(line -> { }).build().start()) {
            StackFile.of(stack).write(dataDir.resolve("stack"));

            // WHEN it is imported through the users route
            exit = ImportCommand.run(new String[] {users.toString(), "--route", "users", "--data-dir",
                    dataDir.resolve("stack").toString()}, new PrintStream(stdout, true, StandardCharsets.UTF_8));
        }

        // THEN the upload is told, then a line per status of the file, the last IMPORTED with its job and polls
        List<String> lines = stdout.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals(Cli.OK, exit, String.join("\n", lines));
        assertEquals("Uploaded " + users + " as s3://" + LocalStack.BUCKET + "/users/users.csv", lines.getFirst());
        List<String> statuses = lines.stream().skip(1).map(line -> line.substring(78, 88).strip()).toList();
        assertEquals("IMPORTED", statuses.getLast(), lines::toString);
        assertTrue(statuses.contains("IMPORTING"), lines::toString);
        assertEquals(statuses.stream().distinct().toList(), statuses, "one line per status: " + lines);
        assertTrue(lines.getLast().startsWith("users/users.csv"), lines.getLast());
        assertTrue(lines.getLast().contains("job users-users-"), lines.getLast());
    }
}
