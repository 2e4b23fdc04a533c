package io.personalizeimport.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awscdk.ArnComponents;
import software.amazon.awscdk.ArnFormat;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.events.EventPattern;
import software.amazon.awscdk.services.events.Rule;
import software.amazon.awscdk.services.iam.Policy;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.lambda.IFunction;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.amazon.awscdk.services.sqs.Queue;
import software.amazon.awscdk.services.stepfunctions.DefinitionBody;
import software.amazon.awscdk.services.stepfunctions.LogLevel;
import software.amazon.awscdk.services.stepfunctions.LogOptions;
import software.amazon.awscdk.services.stepfunctions.StateMachine;
import software.amazon.awscdk.services.stepfunctions.StateMachineType;
import software.constructs.Construct;

/**
 * The import monitor: the Step Functions state machine of the ASL file, with the functions its tasks invoke filled into
 * its {@code ${Name}} placeholders, its logs, and the grants and events that let the functions move a lane on.
 */
final class ImportMonitor extends Construct {

    /** The detail-type of Step Functions' events when an execution's status changes (EventBridge). */
    static final String STATUS_CHANGE = "Step Functions Execution Status Change";
    static final List<String> ENDED_WITHOUT_SUCCESS = List.of("FAILED", "TIMED_OUT", "ABORTED");
    static final int ENDED_EXECUTION_RETRY_ATTEMPTS = 8;
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Za-z0-9]+)}");

    /**
     * @param definition the ASL file
     * @param substitutions the value of each {@code ${Name}} placeholder of the definition (StateMachineSubstitutions)
     * @param tasks the functions the definition's tasks invoke, which the state machine may invoke
     */
    record Props(Path definition, Map<String, String> substitutions, List<IFunction> tasks,
                 RetentionDays logRetention, RemovalPolicy removalPolicy) {

        Props {
            PropsCheck.present(definition, "ImportMonitor.Props.definition", "the ASL file of the state machine");
            PropsCheck.require(Files.isRegularFile(definition), "ImportMonitor.Props.definition", definition,
                    "an ASL file such as statemachine/import-monitor.asl.json");
            PropsCheck.present(substitutions, "ImportMonitor.Props.substitutions", "StateMachineSubstitutions.of(...)");
            Matcher placeholder = PLACEHOLDER.matcher(read(definition));
            while (placeholder.find()) {
                // CloudFormation would hand Step Functions the literal ${Name} instead.
                PropsCheck.require(substitutions.containsKey(placeholder.group(1)), "ImportMonitor.Props.substitutions",
                        substitutions.keySet(), "a value for ${" + placeholder.group(1) + "}, which " + definition
                                + " uses");
            }
            PropsCheck.present(tasks, "ImportMonitor.Props.tasks", "the functions the definition's tasks invoke");
            PropsCheck.require(!tasks.isEmpty(), "ImportMonitor.Props.tasks", "empty",
                    "the functions the definition's tasks invoke");
            PropsCheck.present(logRetention, "ImportMonitor.Props.logRetention", "a CloudWatch Logs retention period");
            PropsCheck.present(removalPolicy, "ImportMonitor.Props.removalPolicy", "RETAIN or DESTROY");
            substitutions = Map.copyOf(substitutions);
            tasks = List.copyOf(tasks);
        }

        private static String read(Path definition) {
            try {
                return Files.readString(definition);
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read the state machine definition " + definition, e);
            }
        }
    }

    private final StateMachine stateMachine;

    ImportMonitor(Construct scope, String id, Props props) {
        super(scope, id);
        LogGroup logs = LogGroup.Builder.create(this, "StateMachineLogs")
                .retention(props.logRetention())
                .removalPolicy(props.removalPolicy())
                .build();
        this.stateMachine = StateMachine.Builder.create(this, "ImportMonitor")
                .stateMachineType(StateMachineType.STANDARD)
                .definitionBody(DefinitionBody.fromFile(props.definition().toString()))
                .definitionSubstitutions(props.substitutions())
                .logs(LogOptions.builder().destination(logs).level(LogLevel.ALL).includeExecutionData(true).build())
                .tracingEnabled(true)
                .build();
        // The definition comes from a file, so CDK cannot see the tasks it invokes: grant them explicitly.
        props.tasks().forEach(task -> task.grantInvoke(stateMachine));
    }

    StateMachine stateMachine() {
        return stateMachine;
    }

    /** StartExecution of an import, and DescribeExecution to tell whether the execution holding a lane still runs. */
    void grantStartAndDescribe(Role role) {
        executionStatements().forEach(role::addToPolicy);
    }

    /**
     * The same grants to functions the state machine invokes, in a policy of their own: a function depends on its role's
     * default policy, so a statement there naming the state machine would be a dependency cycle.
     */
    Policy grantStartAndDescribeToTasks(List<Role> roles) {
        return Policy.Builder.create(this, "LaneExecutionsPolicy")
                .roles(roles)
                .statements(executionStatements())
                .build();
    }

    private List<PolicyStatement> executionStatements() {
        String executions = Stack.of(this).formatArn(ArnComponents.builder()
                .service("states")
                .resource("execution")
                .resourceName(stateMachine.getStateMachineName() + ":*")
                .arnFormat(ArnFormat.COLON_RESOURCE_NAME)
                .build());
        return List.of(
                PolicyStatement.Builder.create().actions(List.of("states:StartExecution"))
                        .resources(List.of(stateMachine.getStateMachineArn())).build(),
                PolicyStatement.Builder.create().actions(List.of("states:DescribeExecution"))
                        .resources(List.of(executions)).build());
    }

    /** The rule that sends ended executions to the recovery function, and the queue of those it could not deliver. */
    record EndedExecutions(Rule rule, Queue deadLetterQueue) {
    }

    /**
     * Step Functions reports each execution that fails, times out or is stopped to EventBridge; the rule sends those of
     * this state machine to {@code recovery}, which resumes the import of one that ended still holding its dataset's lane
     * (stopped by hand, for instance), so the files behind it do not wait for the next upload. An event EventBridge
     * could not deliver after its retries goes to the dead-letter queue instead of being dropped.
     */
    EndedExecutions sendEndedExecutionsTo(IFunction recovery) {
        Queue deadLetters = DeadLetters.queue(this, "EndedExecutionsDeadLetterQueue");
        Rule rule = Rule.Builder.create(this, "EndedExecutionsRule")
                .description("Executions of the import monitor that ended without success, for the recovery function")
                .eventPattern(EventPattern.builder()
                        .source(List.of("aws.states"))
                        .detailType(List.of(STATUS_CHANGE))
                        .detail(Map.of("status", ENDED_WITHOUT_SUCCESS,
                                "stateMachineArn", List.of(stateMachine.getStateMachineArn())))
                        .build())
                .targets(List.of(DeadLetters.target(recovery, ENDED_EXECUTION_RETRY_ATTEMPTS, Functions.MAX_EVENT_AGE,
                        deadLetters)))
                .build();
        return new EndedExecutions(rule, deadLetters);
    }
}
