package io.personalizeimport.local.docs;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.personalizeimport.local.RepositoryRoot;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The README stays a five-minute read that states the two commands; the rest belongs in docs/. */
class ReadmeTest {

    private static final int MOST_LINES = 250;

    @Test
    void readme_shouldHaveAtMost250Lines() throws IOException {
        // GIVEN the README
        List<String> lines = Files.readAllLines(RepositoryRoot.find().resolve("README.md"));

        // THEN it is short enough to read in five minutes
        assertTrue(lines.size() <= MOST_LINES, "README.md has " + lines.size() + " lines: expected at most "
                + MOST_LINES + "; move the detail to a page of docs/ and link it");
    }

    @Test
    void readme_shouldStateTheRunAndTestCommands() throws IOException {
        // GIVEN the README, whose test command .ci/run runs
        String readme = Files.readString(RepositoryRoot.find().resolve("README.md"));
        String ci = Files.readString(RepositoryRoot.find().resolve(".ci/run"));

        // THEN it names both commands, and CI runs the test command as written
        assertTrue(readme.contains("\nlocal/run demo ") && readme.contains("\nmvn -B verify "),
                "README.md should show 'local/run demo' and 'mvn -B verify' at the start of a line of its commands");
        assertTrue(ci.contains("\nmvn -B verify\n"), ".ci/run should run the README's test command 'mvn -B verify'");
    }
}
