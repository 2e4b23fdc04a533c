package io.personalizeimport.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.personalizeimport.lambdas.StateMachineSubstitutions;
import io.personalizeimport.lambdas.domain.PollPolicy;
import io.personalizeimport.lambdas.errors.DatasetBusyException;
import io.personalizeimport.lambdas.errors.ImportJobLimitExceededException;
import io.personalizeimport.lambdas.errors.TransientServiceException;
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
        String definition = Files.readString(DEFINITION);
        for (var substitution : StateMachineSubstitutions.of("arn:aws:lambda:us-east-1:123456789012:function:create:live",
                "arn:aws:lambda:us-east-1:123456789012:function:describe:live",
                "arn:aws:lambda:us-east-1:123456789012:function:finish:live", PollPolicy.defaults()).entrySet()) {
            definition = definition.replace("${" + substitution.getKey() + "}", substitution.getValue());
        }

        String output = validate(definition);

        assertTrue(output.contains("is valid"), output);
    }

    @Test
    void placeholders_shouldBeExactlyTheOnesBothStacksFill() throws Exception {
        Matcher matcher = Pattern.compile("\\$\\{([A-Za-z]+)}").matcher(Files.readString(DEFINITION));
        Set<String> names = new TreeSet<>();
        while (matcher.find()) {
            names.add(matcher.group(1));
        }

        assertEquals(StateMachineSubstitutions.of("c", "d", "l", PollPolicy.defaults()).keySet(), names);
    }

    @Test
    void everyTask_shouldRetryLambdaServiceErrorsAndMatchRealExceptionClasses() throws Exception {
        JsonNode states = parsed().path("States");
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
            assertTransientRetrier(state.getKey(), state.getValue().path("Retry").get(0));
            for (String error : named) {
                if (error.startsWith("io.personalizeimport.")) {
                    // AWS Lambda Developer Guide, 'AWS Lambda function errors in Java': Step Functions sees a Java
                    // exception's fully qualified class name
                    Class<?> type = Class.forName(error);
                    assertTrue(RuntimeException.class.isAssignableFrom(type), error);
                }
            }
        }
        assertEquals(List.of("Create import job", "Describe import job", "Create deletion job", "Describe deletion job",
                "Record the verdict"), tasks);
        assertFalse(states.path("Wait before next poll").path("SecondsPath").isMissingNode());
    }

    @Test
    void theStoriesOfAnImportAndADeletion_shouldFitInSeventeenStatesWhoseFailuresAllGoToTheVerdict() throws Exception {
        JsonNode states = parsed().path("States");
        List<String> catchTargets = new ArrayList<>();
        states.properties().forEach(state -> state.getValue().path("Catch")
                .forEach(c -> catchTargets.add(state.getKey() + " -> " + c.path("Next").asText())));

        // an import's 13, and a deletion's own create, describe, finished? and wait
        assertTrue(states.size() <= 17, states.size() + " states: " + states);
        assertEquals(List.of("Create import job -> Record the verdict", "Describe import job -> Waiting to be created?",
                "Describe import job -> Record the verdict", "Create deletion job -> Record the verdict",
                "Describe deletion job -> Record the verdict", "Record the verdict -> Verdict not recorded"),
                catchTargets);
    }

    @Test
    void aBusyDatasetOrAFullRegionOrGroup_shouldBeRetriedUntilTheMonitorDeadline() throws Exception {
        for (String task : List.of("Create import job", "Create deletion job")) {
            JsonNode busy = parsed().path("States").path(task).path("Retry").get(1);

            List<String> errors = new ArrayList<>();
            busy.path("ErrorEquals").forEach(error -> errors.add(error.asText()));
            assertEquals(List.of(DatasetBusyException.class.getName(), ImportJobLimitExceededException.class.getName()),
                    errors, task);
            assertEquals(PollPolicy.BUSY_RETRY_INTERVAL_SECONDS, busy.path("IntervalSeconds").asInt(), task);
            assertEquals(PollPolicy.BUSY_RETRY_MAX_DELAY_SECONDS, busy.path("MaxDelaySeconds").asInt(), task);
            assertEquals(PollPolicy.defaults().busyRetryAttempts(), busy.path("MaxAttempts").asLong(), task);
        }
    }

    /** The definition with its placeholders filled as the stacks fill them. */
    private static JsonNode parsed() throws IOException {
        String definition = Files.readString(DEFINITION);
        for (var substitution : StateMachineSubstitutions.of("arn:aws:lambda:us-east-1:123456789012:function:c",
                "arn:aws:lambda:us-east-1:123456789012:function:d", "arn:aws:lambda:us-east-1:123456789012:function:l",
                PollPolicy.defaults()).entrySet()) {
            definition = definition.replace("${" + substitution.getKey() + "}", substitution.getValue());
        }
        return new ObjectMapper().readTree(definition);
    }

    /**
     * The first retrier of each task takes every transient error and crash (Lambda.Unknown, from AWS Step Functions
     * Developer Guide, 'Handle Lambda service exceptions'; Sandbox.Timedout and Runtime.ExitError, as recent execution
     * histories and the local host show them; States.Timeout) with the backoff PollPolicy computes its attempts from.
     */
    private static void assertTransientRetrier(String task, JsonNode retrier) {
        List<String> errors = new ArrayList<>();
        retrier.path("ErrorEquals").forEach(error -> errors.add(error.asText()));
        assertTrue(errors.containsAll(List.of("Lambda.Unknown", "Sandbox.Timedout", "Runtime.ExitError", "States.Timeout",
                "Lambda.TooManyRequestsException", TransientServiceException.class.getName())), task + ": " + errors);
        assertEquals(PollPolicy.RETRY_INTERVAL_SECONDS, retrier.path("IntervalSeconds").asInt(), task);
        assertEquals(PollPolicy.RETRY_BACKOFF_RATE, retrier.path("BackoffRate").asInt(), task);
        assertEquals(PollPolicy.RETRY_MAX_DELAY_SECONDS, retrier.path("MaxDelaySeconds").asInt(), task);
        assertEquals("FULL", retrier.path("JitterStrategy").asText(), task);
        assertEquals(PollPolicy.defaults().transientRetryAttempts(), retrier.path("MaxAttempts").asLong(), task);
    }

    @Test
    void everyFailState_shouldTakeItsCauseFromAOneLineMessage() throws Exception {
        JsonNode states = parsed().path("States");
        for (var state : states.properties()) {
            if (state.getValue().path("Type").asText().equals("Fail")) {
                // The verdict task's cause (one line, from lane/Verdicts), or a fixed sentence of one line.
                JsonNode fixed = state.getValue().path("Cause");
                String causePath = state.getValue().path("CausePath").asText();
                assertTrue(causePath.equals("$.verdict.cause")
                        || (fixed.isTextual() && !fixed.asText().contains("\n") && causePath.isEmpty()),
                        state.getKey() + " takes its Cause from " + causePath + fixed);
            }
        }
    }
}
