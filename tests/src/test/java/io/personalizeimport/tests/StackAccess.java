package io.personalizeimport.tests;

import io.personalizeimport.local.stack.LocalStack;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;

/** The shared stack and test data, for test classes in the handlers' own package. */
public final class StackAccess {

    private StackAccess() {
    }

    public static LocalStack shared() {
        return SharedStack.get();
    }

    /** A stack of the caller's own, as the shared one is configured; the caller closes it. */
    public static LocalStack start(LocalStack.Builder builder) {
        return SharedStack.start(builder);
    }

    /** The checkout the tests run in. */
    public static java.nio.file.Path repositoryRoot() {
        return SharedStack.repositoryRoot();
    }

    /** Waits for an execution to end and returns its status. */
    public static String awaitEnd(String executionArn) {
        return awaitExecution(executionArn).statusAsString();
    }

    /** Waits for an execution to end and returns it, with its error and cause. */
    public static DescribeExecutionResponse awaitExecution(String executionArn) {
        try (var sfn = SharedStack.get().sfnClient()) {
            return Executions.awaitEnd(sfn, executionArn, java.time.Duration.ofSeconds(60));
        }
    }

    public static String interactionsCsv(int rows) {
        return Csv.interactions(rows);
    }
}
