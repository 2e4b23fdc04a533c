package io.personalizeimport.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.personalizeimport.local.cli.Commands;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The README's main job, {@code local/run demo}, run in this JVM: it exits 0 only when all 7 files end as expected. */
class DemoCommandTest {

    @Test
    void demo_shouldEndEveryFileAsExpected() throws Exception {
        Path dataDir = Files.createTempDirectory("personalize-import-demo").resolve("demo");
        System.setProperty("personalizeimport.root", SharedStack.repositoryRoot().toString());

        int exit = Commands.run(new String[] {"demo", "--data-dir", dataDir.toString()});

        assertEquals(0, exit);
        assertTrue(Files.isDirectory(dataDir.resolve("s3/personalize-import-data/interactions")));
    }

    @Test
    void demoOverAFolderItDidNotMake_shouldRefuseToClearIt() throws Exception {
        Path precious = Files.createTempDirectory("personalize-import-precious");
        Files.writeString(precious.resolve("notes.txt"), "keep me");

        int exit = Commands.run(new String[] {"demo", "--data-dir", precious.toString()});

        assertEquals(1, exit);
        assertEquals("keep me", Files.readString(precious.resolve("notes.txt")));
    }
}
