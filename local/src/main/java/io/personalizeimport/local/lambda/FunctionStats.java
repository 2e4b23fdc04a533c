package io.personalizeimport.local.lambda;

/**
 * Counters of one function since the host started; {@code invocations} counts every Invoke call (all but DryRun),
 * including those answered by an injected fault, so tests can prove that a caller retried; {@code injectedCrashes}
 * counts the invocations whose container was killed by an injected crash; {@code runMillis} sums the time from handing
 * each answered invocation to its container until the answer, what Lambda bills as an invocation's duration.
 */
public record FunctionStats(
        String name,
        String arn,
        long invocations,
        long injectedFaults,
        long injectedCrashes,
        long executions,
        long functionErrors,
        long asyncCompleted,
        long containersStarted,
        int containersRunning,
        long runMillis) {
}
