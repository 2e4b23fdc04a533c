package io.personalizeimport.lambdas.aws;

import io.personalizeimport.lambdas.Log;
import io.personalizeimport.lambdas.domain.MonitorInput;
import io.personalizeimport.lambdas.json.Json;
import io.personalizeimport.lambdas.lane.Executions;
import java.util.Optional;
import software.amazon.awssdk.services.sfn.SfnClient;

/** The import monitor state machine's executions, started and described through Step Functions. */
public final class StateMachineExecutions implements Executions {

    private final SfnClient sfn;
    private final String stateMachineArn;

    public StateMachineExecutions(SfnClient sfn, String stateMachineArn) {
        this.sfn = sfn;
        this.stateMachineArn = stateMachineArn;
    }

    @Override
    public String start(String name, MonitorInput input) {
        return start(name, Json.write(input));
    }

    /**
     * Starts the execution, or finds the one an earlier delivery started: Step Functions deduplicates by name (AWS Step
     * Functions API Reference, StartExecution) and the input is a function of the files alone, so
     * {@code ExecutionAlreadyExists} means it is running or ran already.
     *
     * @throws AwsCallException when Step Functions cannot start it, classified
     */
    @Override
    public String start(String name, String input) {
        try {
            String arn = AwsCall.stepFunctions("StartExecution", "job " + name).run(() -> sfn.startExecution(
                    start -> start.stateMachineArn(stateMachineArn).name(name).input(input))).executionArn();
            Log.info("Monitor execution started", "jobName", name, "executionArn", arn);
            return arn;
        } catch (AwsCallException e) {
            if (!e.code().equals("ExecutionAlreadyExists")) {
                throw e;
            }
            String arn = arn(name);
            Log.info("Monitor execution already exists (a duplicate delivery)", "jobName", name, "executionArn", arn);
            return arn;
        }
    }

    @Override
    public Optional<String> status(String name) {
        try {
            return Optional.of(AwsCall.stepFunctions("DescribeExecution", name).run(() -> sfn.describeExecution(
                    describe -> describe.executionArn(arn(name)))).statusAsString());
        } catch (AwsCallException e) {
            if (e.kind() != ErrorKind.NOT_FOUND) {
                throw e;
            }
            return Optional.empty();
        }
    }

    @Override
    public String arn(String name) {
        return executionArn(stateMachineArn, name);
    }

    /** The ARN Step Functions gives the state machine's execution of that name. */
    public static String executionArn(String stateMachineArn, String executionName) {
        return stateMachineArn.replace(":stateMachine:", ":execution:") + ":" + executionName;
    }
}
