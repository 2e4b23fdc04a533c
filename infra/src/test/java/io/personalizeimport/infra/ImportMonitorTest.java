package io.personalizeimport.infra;

import static io.personalizeimport.infra.Cfn.arnOf;
import static io.personalizeimport.infra.Cfn.ref;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.personalizeimport.lambdas.StateMachineSubstitutions;
import io.personalizeimport.lambdas.domain.PollPolicy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.CfnElement;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.assertions.Capture;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.lambda.IFunction;
import software.amazon.awscdk.services.lambda.Runtime;
import software.amazon.awscdk.services.logs.RetentionDays;

/** The ImportMonitor construct on a bare stack: the state machine of the ASL file, its grants and ended executions. */
class ImportMonitorTest {

    private static final Path DEFINITION = RepositoryPaths.locate().stateMachineDefinition();

    @Test
    void theAslFile_shouldBecomeALoggedTracedStateMachineThatMayInvokeItsTasks() {
        // GIVEN three task functions
        Stack stack = new Stack(new App(), "Test");
        List<IFunction> tasks = List.of(task(stack, "Create"), task(stack, "Describe"), task(stack, "Finish"));

        // WHEN the monitor is made, grants its executions to a role and sends ended executions to the recovery function
        ImportMonitor monitor = new ImportMonitor(stack, "Monitor", props(tasks, substitutions(tasks)));
        Role role = Role.Builder.create(stack, "Role").assumedBy(new ServicePrincipal("lambda.amazonaws.com")).build();
        monitor.grantStartAndDescribeToTasks(List.of(role));
        monitor.sendEndedExecutionsTo(tasks.get(2));
        Template template = Template.fromStack(stack);

        // THEN a standard state machine filled with the tasks, one invoke grant per task, the policy and the rule
        String lane = stack.getLogicalId((CfnElement) tasks.get(2).getNode().getDefaultChild());
        template.hasResourceProperties("AWS::StepFunctions::StateMachine", Match.objectLike(Map.of(
                "StateMachineType", "STANDARD",
                "DefinitionSubstitutions", Match.objectLike(Map.of(
                        StateMachineSubstitutions.FINISH_FUNCTION_ARN, Map.of("Fn::GetAtt", List.of(lane, "Arn")))),
                "TracingConfiguration", Map.of("Enabled", true))));
        Capture machineStatements = new Capture();
        template.hasResourceProperties("AWS::IAM::Policy", Match.objectLike(Map.of(
                "Roles", List.of(ref(stack.getLogicalId((CfnElement) monitor.stateMachine().getRole().getNode()
                        .getDefaultChild()))),
                "PolicyDocument", Match.objectLike(Map.of("Statement", machineStatements)))));
        assertEquals(tasks.size(), machineStatements.asArray().stream()
                .filter(statement -> "lambda:InvokeFunction".equals(((Map<?, ?>) statement).get("Action"))).count());
        template.hasResourceProperties("AWS::IAM::Policy", Match.objectLike(Map.of(
                "Roles", List.of(ref(stack.getLogicalId((CfnElement) role.getNode().getDefaultChild()))),
                "PolicyDocument", Match.objectLike(Map.of("Statement", List.of(
                        Match.objectLike(Map.of("Action", "states:StartExecution")),
                        Match.objectLike(Map.of("Action", "states:DescribeExecution"))))))));
        template.hasResourceProperties("AWS::Events::Rule", Match.objectLike(Map.of(
                "EventPattern", Match.objectLike(Map.of("detail-type", List.of(ImportMonitor.STATUS_CHANGE))))));
    }

    @Test
    void endedExecutions_shouldReachTheRecoveryFunctionWithRetriesOrTheirEncryptedTlsOnlyDeadLetterQueue() {
        // GIVEN the monitor and its recovery function
        Stack stack = new Stack(new App(), "Test");
        List<IFunction> tasks = List.of(task(stack, "Create"), task(stack, "Describe"), task(stack, "Finish"));
        ImportMonitor monitor = new ImportMonitor(stack, "Monitor", props(tasks, substitutions(tasks)));
        Function recovery = task(stack, "Recover");

        // WHEN ended executions are sent to it
        ImportMonitor.EndedExecutions ended = monitor.sendEndedExecutionsTo(recovery);
        Template template = Template.fromStack(stack);

        // THEN the rule's target retries, then keeps the event in the queue, which only the rule may send to, over TLS
        String queue = stack.getLogicalId((CfnElement) ended.deadLetterQueue().getNode().getDefaultChild());
        String rule = stack.getLogicalId((CfnElement) ended.rule().getNode().getDefaultChild());
        template.hasResourceProperties("AWS::Events::Rule", Match.objectLike(Map.of("Targets", List.of(
                Match.objectLike(Map.of(
                        "Arn", arnOf(stack.getLogicalId((CfnElement) recovery.getNode().getDefaultChild())),
                        "RetryPolicy", Map.of(
                                "MaximumRetryAttempts", ImportMonitor.ENDED_EXECUTION_RETRY_ATTEMPTS,
                                "MaximumEventAgeInSeconds", (int) Functions.MAX_EVENT_AGE.toSeconds()),
                        "DeadLetterConfig", Map.of("Arn", arnOf(queue))))))));
        template.hasResourceProperties("AWS::SQS::Queue", Map.of(
                "SqsManagedSseEnabled", true,
                "MessageRetentionPeriod", (int) Duration.ofDays(DeadLetters.RETENTION_DAYS).toSeconds()));
        template.hasResourceProperties("AWS::SQS::QueuePolicy", Match.objectLike(Map.of(
                "Queues", List.of(ref(queue)),
                "PolicyDocument", Match.objectLike(Map.of("Statement", List.of(
                        Match.objectLike(Map.of(
                                "Effect", "Deny",
                                "Action", "sqs:*",
                                "Condition", Map.of("Bool", Map.of("aws:SecureTransport", "false")))),
                        Match.exact(Map.of(
                                "Sid", Match.anyValue(),
                                "Effect", "Allow",
                                "Principal", Map.of("Service", "events.amazonaws.com"),
                                "Action", "sqs:SendMessage",
                                "Resource", arnOf(queue),
                                "Condition", Map.of("ArnEquals", Map.of("aws:SourceArn", arnOf(rule)))))))))));
    }

    @Test
    void aPlaceholderWithoutSubstitution_shouldBeRefusedNamingIt() {
        Stack stack = new Stack(new App(), "Test");
        List<IFunction> tasks = List.of(task(stack, "Create"), task(stack, "Describe"), task(stack, "Finish"));
        Map<String, String> substitutions = new HashMap<>(substitutions(tasks));
        substitutions.remove(StateMachineSubstitutions.FINISH_FUNCTION_ARN);

        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> props(tasks, substitutions));
        assertTrue(refused.getMessage().startsWith("ImportMonitor.Props.substitutions is ")
                && refused.getMessage().contains("expected a value for ${FinishFunctionArn}, which " + DEFINITION),
                refused.getMessage());
    }

    @Test
    void noTasks_shouldBeRefusedNamingTheProperty() {
        Stack stack = new Stack(new App(), "Test");
        List<IFunction> tasks = List.of(task(stack, "Create"), task(stack, "Describe"), task(stack, "Finish"));
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> props(List.of(), substitutions(tasks)));
        assertTrue(refused.getMessage().startsWith("ImportMonitor.Props.tasks is empty"), refused.getMessage());
    }

    private static ImportMonitor.Props props(List<IFunction> tasks, Map<String, String> substitutions) {
        return new ImportMonitor.Props(DEFINITION, substitutions, tasks, RetentionDays.ONE_WEEK,
                RemovalPolicy.DESTROY);
    }

    private static Map<String, String> substitutions(List<IFunction> tasks) {
        return StateMachineSubstitutions.of(tasks.get(0).getFunctionArn(), tasks.get(1).getFunctionArn(),
                tasks.get(2).getFunctionArn(), PollPolicy.defaults());
    }

    private static Function task(Stack stack, String id) {
        return Function.Builder.create(stack, id)
                .runtime(Runtime.NODEJS_22_X)
                .handler("index.handler")
                .code(Code.fromInline("exports.handler = async () => ({});"))
                .build();
    }
}
