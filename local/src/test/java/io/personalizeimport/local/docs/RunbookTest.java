package io.personalizeimport.local.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.personalizeimport.local.RepositoryRoot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** docs/runbook.md has a section for every Error an import monitor execution can end with. */
class RunbookTest {

    private static final Pattern VERDICT = Pattern.compile("Verdict\\(\"([A-Za-z]+)\"");
    private static final Pattern CONSTANT = Pattern.compile("static final String [A-Z_]+ = \"(Dataset[A-Za-z]+)\"");
    private static final Path LANE = Path.of("lambdas/src/main/java/io/personalizeimport/lambdas/lane");

    @Test
    void everyErrorAnExecutionEndsWith_shouldHaveItsSectionInTheRunbook() throws IOException {
        // GIVEN the Errors of the state machine's Fail states and of the verdicts the lane package names
        Path root = RepositoryRoot.find();
        Set<String> failStates = failStateErrors(root);
        Set<String> verdicts = verdictErrors(root);
        assertFalse(failStates.isEmpty(), "no Fail state with an Error found in statemachine/import-monitor.asl.json");
        assertFalse(verdicts.isEmpty(), "no Verdict(\"Name\", ...) found under " + LANE);

        // WHEN the runbook's headings are read
        Set<String> anchors = MarkdownPage.read(root.resolve("docs/runbook.md")).anchors();

        // THEN each Error has a heading of its own
        Set<String> missing = new TreeSet<>();
        Stream.concat(failStates.stream(), verdicts.stream())
                .filter(error -> !anchors.contains(MarkdownPage.slug(error))).forEach(missing::add);
        assertEquals(Set.of(), missing, "Errors without a '### <Error>' section in docs/runbook.md (what it means,"
                + " what to do); found in the ASL's Fail states " + failStates + " and the verdicts " + verdicts);
    }

    /** The fixed Error of each Fail state; placeholders are filled with a number so the template parses. */
    static Set<String> failStateErrors(Path root) throws IOException {
        String template = Files.readString(root.resolve("statemachine/import-monitor.asl.json"));
        JsonNode states = new ObjectMapper().readTree(template.replaceAll("\\$\\{[A-Za-z]+}", "1")).path("States");
        Set<String> errors = new TreeSet<>();
        states.properties().forEach(state -> {
            if ("Fail".equals(state.getValue().path("Type").asText()) && state.getValue().has("Error")) {
                errors.add(state.getValue().get("Error").asText());
            }
        });
        return errors;
    }

    /** The Error names the lane package's verdicts are built with, as literals or as Release.Verdict's constants. */
    static Set<String> verdictErrors(Path root) throws IOException {
        Set<String> errors = new TreeSet<>();
        try (Stream<Path> sources = Files.list(root.resolve(LANE))) {
            for (Path source : sources.filter(path -> path.toString().endsWith(".java")).toList()) {
                String text = Files.readString(source);
                for (Pattern pattern : new Pattern[] {VERDICT, CONSTANT}) {
                    Matcher name = pattern.matcher(text);
                    while (name.find()) {
                        errors.add(name.group(1));
                    }
                }
            }
        }
        return errors;
    }
}
