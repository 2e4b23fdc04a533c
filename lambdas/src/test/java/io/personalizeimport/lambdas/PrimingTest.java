package io.personalizeimport.lambdas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import io.personalizeimport.lambdas.Priming.Outcome;
import io.personalizeimport.lambdas.Priming.Step;
import io.personalizeimport.lambdas.Priming.Targets;
import io.personalizeimport.lambdas.config.Environment;
import io.personalizeimport.lambdas.errors.ConfigurationException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** SnapStart priming without a server: its steps and the resources it names. */
class PrimingTest {

    @Test
    void failingStep_shouldBeRecordedAndTheNextOnesRun() {
        Priming priming = new Priming(FunctionSettings.DESCRIBE, () -> List.of(
                new Step("fails", () -> {
                    throw new IllegalStateException("no");
                }),
                new Step("runs", () -> "done")));

        assertEquals(List.of(new Outcome("fails", "IllegalStateException"), new Outcome("runs", "completed")),
                priming.run());
    }

    @Test
    void steps_shouldBeBuiltOnlyWhenPrimingRuns() {
        AtomicInteger built = new AtomicInteger();
        Priming priming = new Priming(FunctionSettings.DESCRIBE, () -> {
            built.incrementAndGet();
            return List.of();
        });

        assertEquals(0, built.get(), "a container that is never snapshot spends nothing on priming");
        priming.run();
        assertEquals(1, built.get());
    }

    @Test
    void rounds_shouldRepeatTheStepsPlannedOnceUntilTheirNumberOrBudgetIsReached() {
        AtomicInteger built = new AtomicInteger();
        AtomicInteger ran = new AtomicInteger();
        Priming priming = new Priming(FunctionSettings.DESCRIBE, () -> {
            built.incrementAndGet();
            return List.of(new Step("counts", ran::incrementAndGet));
        });

        assertEquals(5, priming.run(5, Duration.ofMinutes(1)).size());
        assertEquals(1, priming.run(5, Duration.ZERO).size(), "the first round runs whatever the budget");
        assertEquals(6, ran.get());
        assertEquals(2, built.get(), "the steps are planned once per priming, not once per round");
    }

    record Sample(String name, List<String> parts) {
    }

    @Test
    void jsonRoundTrip_shouldWriteAndReadBackEverySample() {
        Priming priming = new Priming(FunctionSettings.DESCRIBE, () -> List.of(
                Priming.jsonRoundTrip("records", new Sample("a", List.of("b")), new Sample("c", null))));

        assertEquals(List.of(new Outcome("records", "completed")), priming.run());
    }

    @Test
    void jsonRoundTripOfATypeThatCanBeWrittenButNotRead_shouldFailTheStep() {
        Priming priming = new Priming(FunctionSettings.DESCRIBE, () -> List.of(
                Priming.jsonRoundTrip("no creator", new Object() {
                    @SuppressWarnings("unused")
                    public String getName() {
                        return "n";
                    }
                })));

        assertEquals(List.of(new Outcome("no creator", "IllegalArgumentException")), priming.run());
    }

    @Test
    void handlerRunAsTheRuntimeRunsIt_shouldReadItsEventAndWriteItsResultWithTheRuntimesLibrary() {
        byte[] event = """
                {"version": "0", "source": "aws.states", "detail-type": "Step Functions Execution Status Change",
                 "time": "2026-12-07T01:00:00Z", "detail": {"status": "FAILED"}}""".getBytes(StandardCharsets.UTF_8);
        List<ScheduledEvent> received = new java.util.ArrayList<>();
        RequestHandler<ScheduledEvent, Sample> handler = (read, context) -> {
            received.add(read);
            return new Sample(read.getDetailType(), List.of());
        };

        List<Outcome> outcomes = new Priming(FunctionSettings.RECOVER, () -> List.of(Priming.asRuntimeRuns(
                "as the runtime", handler, ScheduledEvent.class, event, Sample.class))).run();

        assertEquals(List.of(new Outcome("as the runtime", "completed")), outcomes);
        assertEquals("Step Functions Execution Status Change", received.getFirst().getDetailType());
        assertEquals(Map.of("status", "FAILED"), received.getFirst().getDetail());
    }

    @Test
    void targets_shouldNameAJobAndAnExecutionOfTheFunctionsAccountAndRegion() {
        Targets targets = Targets.of("aws", "eu-west-1", "123456789012");

        assertEquals("arn:aws:personalize:eu-west-1:123456789012:dataset-import-job/snapstart-priming",
                targets.importJobArn());
        assertEquals("arn:aws:states:eu-west-1:123456789012:execution:snapstart-priming:snapstart-priming",
                targets.executionArn());
        assertEquals("arn:aws:personalize:eu-west-1:123456789012:dataset/snapstart-priming/snapstart-priming",
                targets.datasetArn());
    }

    @Test
    void targets_shouldReadBackFromTheFunctionsEnvironment() {
        Targets targets = Targets.of("aws", "eu-west-1", "123456789012");
        Environment env = new Environment(Map.of(Priming.IMPORT_JOB_ARN, targets.importJobArn(),
                Priming.EXECUTION_ARN, targets.executionArn()));

        assertEquals(targets, Targets.from(env, true));
        assertNull(Targets.from(env, false).executionArn());
    }

    @Test
    void malformedOrMissingTargets_shouldFailInitNamingTheVariable() {
        var missing = assertThrows(ConfigurationException.class, () -> Targets.from(new Environment(Map.of()), false));
        var malformed = assertThrows(ConfigurationException.class, () -> Targets.from(new Environment(Map.of(
                Priming.IMPORT_JOB_ARN, Targets.of("aws", "eu-west-1", "123456789012").importJobArn(),
                Priming.EXECUTION_ARN, "arn:aws:states:eu-west-1:123456789012:stateMachine:x")), true));

        assertTrue(missing.getMessage().contains(Priming.IMPORT_JOB_ARN), missing.getMessage());
        assertTrue(malformed.getMessage().contains(Priming.EXECUTION_ARN), malformed.getMessage());
    }
}
