package io.personalizeimport.lambdas;

import io.personalizeimport.lambdas.domain.PollPolicy;
import java.util.Map;

/**
 * The values of the {@code ${Name}} placeholders in statemachine/import-monitor.asl.json; the CDK stack and the local
 * stack both fill the definition from here, so they run the same state machine.
 */
public final class StateMachineSubstitutions {

    public static final String CREATE_FUNCTION_ARN = "CreateFunctionArn";
    public static final String DESCRIBE_FUNCTION_ARN = "DescribeFunctionArn";
    public static final String FINISH_FUNCTION_ARN = "FinishFunctionArn";
    public static final String TRANSIENT_RETRY_ATTEMPTS = "TransientRetryAttempts";
    public static final String BUSY_RETRY_ATTEMPTS = "BusyRetryAttempts";

    private StateMachineSubstitutions() {
    }

    public static Map<String, String> of(String createFunctionArn, String describeFunctionArn, String finishFunctionArn,
                                         PollPolicy policy) {
        return Map.of(
                CREATE_FUNCTION_ARN, createFunctionArn,
                DESCRIBE_FUNCTION_ARN, describeFunctionArn,
                FINISH_FUNCTION_ARN, finishFunctionArn,
                TRANSIENT_RETRY_ATTEMPTS, Long.toString(policy.transientRetryAttempts()),
                BUSY_RETRY_ATTEMPTS, Long.toString(policy.busyRetryAttempts()));
    }
}
