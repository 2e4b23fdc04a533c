package io.personalizeimport.tests;

import java.time.Duration;
import java.time.Instant;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;

/** Waiting for executions to end, through the Step Functions API. */
final class Executions {

    private Executions() {
    }

    static DescribeExecutionResponse awaitEnd(SfnClient sfn, String executionArn, Duration timeout) {
        Instant until = Instant.now().plus(timeout);
        while (true) {
            DescribeExecutionResponse execution = sfn.describeExecution(request -> request.executionArn(executionArn));
            if (execution.status() != ExecutionStatus.RUNNING) {
                return execution;
            }
            if (Instant.now().isAfter(until)) {
                throw new AssertionError("execution " + executionArn + " still RUNNING after " + timeout);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for " + executionArn, e);
            }
        }
    }
}
