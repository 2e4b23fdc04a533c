package io.personalizeimport.local.lambda;

/**
 * Counters of one function since the host started; {@code invocations} counts every Invoke call (all but DryRun),
 * including those answered by an injected fault, so tests can prove that a caller retried.
 */
public record FunctionStats(
        String name,
        String arn,
        long invocations,
        long injectedFaults,
        long executions,
        long functionErrors,
        long asyncCompleted,
        long containersStarted,
        int containersRunning) {
}
