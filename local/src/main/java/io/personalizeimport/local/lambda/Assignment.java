package io.personalizeimport.local.lambda;

/** An invocation handed to a container's runtime, with the deadline the runtime reports to the handler. */
record Assignment(Invocation invocation, long deadlineEpochMillis) {
}
