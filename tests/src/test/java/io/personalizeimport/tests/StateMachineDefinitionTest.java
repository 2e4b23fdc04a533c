package io.personalizeimport.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The ASL file itself: valid for asl-validator, with every placeholder known and every error name real. */
class StateMachineDefinitionTest {

    private static final Path ROOT = SharedStack.repositoryRoot();
    private static final Path DEFINITION = ROOT.resolve("statemachine/import-monitor.asl.json");
    private static final List<String> LAMBDA_SERVICE_ERRORS = List.of("Lambda.ServiceException",
            "Lambda.AWSLambdaException", "Lambda.SdkClientException", "Lambda.ClientExecutionTimeoutException");

    private static String validate(String definition) throws IOException, InterruptedException {
        Path file = Files.createTempFile("import-monitor", ".asl.json");
        Files.writeString(file, definition);
        Process process = new ProcessBuilder("node", ROOT.resolve("node_modules/asl-validator/dist/bin/asl-validator.js")
                .toString(), "--json-path", file.toString())
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "asl-validator did not finish");
        assertEquals(0, process.exitValue(), output);
        return output;
    }

    @Test
    void definitionWithDeploymentArns_shouldPassAslValidator() throws Exception {
        String definition = Files.readString(DEFINITION)
                .replace("${CreateFunctionArn}", "arn:aws:lambda:us-east-1:123456789012:function:create:live")
                .replace("${DescribeFunctionArn}", "arn:aws:lambda:us-east-1:123456789012:function:describe:live");

        String output = validate(definition);

        assertTrue(output.contains("is valid"), output);
    }

    @Test
    void placeholders_shouldBeExactlyTheTwoFunctionArns() throws Exception {
        Matcher matcher = Pattern.compile("\\$\\{([A-Za-z]+)}").matcher(Files.readString(DEFINITION));
        Set<String> names = new TreeSet<>();
        while (matcher.find()) {
            names.add(matcher.group(1));
        }

        assertEquals(Set.of("CreateFunctionArn", "DescribeFunctionArn"), names);
    }

    @Test
    void everyTask_shouldRetryLambdaServiceErrorsAndMatchRealExceptionClasses() throws Exception {
        JsonNode states = new ObjectMapper().readTree(DEFINITION.toFile()).path("States");
        List<String> tasks = new ArrayList<>();
        for (var state : states.properties()) {
            if (!state.getValue().path("Type").asText().equals("Task")) {
                continue;
            }
            tasks.add(state.getKey());
            List<String> retried = new ArrayList<>();
            List<String> named = new ArrayList<>();
            state.getValue().path("Retry").forEach(retry -> retry.path("ErrorEquals").forEach(e -> retried.add(e.asText())));
            state.getValue().path("Catch").forEach(c -> c.path("ErrorEquals").forEach(e -> named.add(e.asText())));
            named.addAll(retried);
            assertTrue(retried.containsAll(LAMBDA_SERVICE_ERRORS), state.getKey() + " retries " + retried);
            for (String error : named) {
                if (error.startsWith("io.personalizeimport.")) {
                    // FACTS.md: Step Functions sees a Java exception's fully qualified class name
                    Class<?> type = Class.forName(error);
                    assertTrue(RuntimeException.class.isAssignableFrom(type), error);
                }
            }
        }
        assertEquals(List.of("Create import job", "Describe import job"), tasks);
        assertFalse(states.path("Wait before next poll").path("SecondsPath").isMissingNode());
    }
}
