package io.personalizeimport.lambdas;

import io.personalizeimport.lambdas.aws.AwsCall;
import io.personalizeimport.lambdas.aws.AwsCallException;
import io.personalizeimport.lambdas.domain.MonitorInput;
import software.amazon.awssdk.services.sfn.SfnClient;

/** Starts the import monitor execution of a job, named after it. */
public final class MonitorStarter {

    private final SfnClient sfn;
    private final String stateMachineArn;

    MonitorStarter(SfnClient sfn, String stateMachineArn) {
        this.sfn = sfn;
        this.stateMachineArn = stateMachineArn;
    }

    /**
     * Starts the execution, or finds the one an earlier delivery started: Step Functions deduplicates by name (AWS Step
     * Functions API Reference, StartExecution) and the input is a function of the object alone, so
     * {@code ExecutionAlreadyExists} means it is running or ran already.
     *
     * @return the execution's ARN
     * @throws AwsCallException when Step Functions cannot start it, classified
     */
    String start(String jobName, MonitorInput input) {
        return start(jobName, JsonText.toJson(input));
    }

    /** Starts the execution named {@code jobName} with the input as written, see {@link #start(String, MonitorInput)}. */
    String start(String jobName, String json) {
        try {
            String arn = AwsCall.stepFunctions("StartExecution", "job " + jobName).run(() -> sfn.startExecution(
                    start -> start.stateMachineArn(stateMachineArn).name(jobName).input(json))).executionArn();
            Log.info("Monitor execution started", "jobName", jobName, "executionArn", arn);
            return arn;
        } catch (AwsCallException e) {
            if (!e.code().equals("ExecutionAlreadyExists")) {
                throw e;
            }
            String arn = executionArn(stateMachineArn, jobName);
            Log.info("Monitor execution already exists (a duplicate delivery)", "jobName", jobName, "executionArn", arn);
            return arn;
        }
    }

    /** The ARN Step Functions gives the state machine's execution of that name. */
    public static String executionArn(String stateMachineArn, String executionName) {
        return stateMachineArn.replace(":stateMachine:", ":execution:") + ":" + executionName;
    }
}
