package io.personalizeimport.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.personalizeimport.lambdas.FunctionEnvironment;
import io.personalizeimport.lambdas.FunctionSettings;
import io.personalizeimport.lambdas.Priming;
import io.personalizeimport.lambdas.domain.PollPolicy;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import software.amazon.awscdk.App;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awscdk.services.logs.RetentionDays;

/** The Functions construct on a bare stack: one function per FunctionSettings value, behind its alias. */
class FunctionsTest {

    private static final FunctionEnvironment ENVIRONMENT = new FunctionEnvironment("data", "[]",
            "arn:aws:iam::123456789012:role/import", true, PollPolicy.defaults(),
            "ledger", "events", Priming.Targets.of("aws", "us-east-1", "123456789012"), 5);

    private static Map<FunctionSettings, Path> packages() {
        Map<FunctionSettings, Path> packages = new EnumMap<>(FunctionSettings.class);
        RepositoryPaths paths = RepositoryPaths.locate();
        for (FunctionSettings settings : FunctionSettings.values()) {
            packages.put(settings, paths.functionPackage(settings));
        }
        return packages;
    }

    @Test
    void everyFunctionSetting_shouldGetARoleLogsAFunctionAndAnAliasAndOnlyTheTriggerADeadLetterQueue() {
        // GIVEN the construct
        Stack stack = new Stack(new App(), "Test");
        Functions functions = new Functions(stack, "Functions", new Functions.Props(ENVIRONMENT, packages(),
                RetentionDays.ONE_WEEK, RemovalPolicy.DESTROY));

        // WHEN a variable known later is added to the trigger
        functions.addEnvironment(FunctionSettings.TRIGGER, "STATE_MACHINE_ARN", "arn:machine");
        Template template = Template.fromStack(stack);

        // THEN as many functions and aliases as settings, each alias live, one asynchronous invocation config
        int count = FunctionSettings.values().length;
        template.resourceCountIs("AWS::Lambda::Function", count);
        template.resourceCountIs("AWS::Lambda::Alias", count);
        template.resourceCountIs("AWS::Logs::LogGroup", count);
        template.resourcePropertiesCountIs("AWS::Lambda::Alias", Map.of("Name", Functions.ALIAS), count);
        template.resourceCountIs("AWS::Lambda::EventInvokeConfig", 1);
        template.resourceCountIs("AWS::SQS::Queue", 1);
        template.hasResourceProperties("AWS::Lambda::Function", Match.objectLike(Map.of(
                "Handler", FunctionSettings.TRIGGER.handler(),
                "Environment", Map.of("Variables", Match.objectLike(Map.of(
                        "STATE_MACHINE_ARN", "arn:machine", "LEDGER_TABLE", "ledger"))))));
    }

    @ParameterizedTest
    @EnumSource(FunctionSettings.class)
    void eachFunction_shouldRunItsHandlerWithItsSizingAndSnapStart(FunctionSettings settings) {
        Stack stack = new Stack(new App(), "Test");
        new Functions(stack, "Functions", new Functions.Props(ENVIRONMENT, packages(), RetentionDays.ONE_WEEK,
                RemovalPolicy.DESTROY));

        Template.fromStack(stack).hasResourceProperties("AWS::Lambda::Function", Match.objectLike(Map.of(
                "Handler", settings.handler(),
                "MemorySize", settings.memoryMb(),
                "Timeout", settings.timeoutSeconds(),
                "Runtime", "java25",
                "SnapStart", Map.of("ApplyOn", "PublishedVersions"))));
    }

    @Test
    void aFunctionWithoutItsPackage_shouldBeRefusedNamingTheFunction() {
        Map<FunctionSettings, Path> packages = packages();
        packages.remove(FunctionSettings.FINISH);

        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> new Functions.Props(
                ENVIRONMENT, packages, RetentionDays.ONE_WEEK, RemovalPolicy.DESTROY));
        assertTrue(refused.getMessage().startsWith("Functions.Props.packages of finish is null: expected the"
                + " function's built jar, lambdas/target/finish.jar"), refused.getMessage());
    }

    @Test
    void idOf_shouldCapitalizeTheFunctionNameAsTheDeployedIdsDo() {
        assertEquals("Trigger", Functions.idOf(FunctionSettings.TRIGGER));
        assertEquals("Describe", Functions.idOf(FunctionSettings.DESCRIBE));
    }
}
