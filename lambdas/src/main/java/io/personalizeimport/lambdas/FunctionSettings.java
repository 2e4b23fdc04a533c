package io.personalizeimport.lambdas;

import java.time.Duration;

/**
 * The four functions as the deployment configures them: handler, memory and timeout. The CDK stack and the local
 * stack read these same values, so the local run behaves as the deployed one.
 */
public enum FunctionSettings {

    TRIGGER("trigger", "io.personalizeimport.lambdas.TriggerHandler::handleRequest", 512, 60, 5, 3),
    CREATE("create", "io.personalizeimport.lambdas.CreateHandler::handleRequest", 512, 90, 10, 4),
    DESCRIBE("describe", "io.personalizeimport.lambdas.DescribeHandler::handleRequest", 256, 30, 10, 4),
    LANE("lane", "io.personalizeimport.lambdas.LaneHandler::handleRequest", 512, 90, 10, 4);

    /**
     * The most AWS calls one invocation makes in a row, each bounded by the API call timeout: HeadObject, DescribeDataset,
     * DescribeSchema, CreateDatasetImportJob, DescribeDatasetImportJob (verifying an existing job) and StartExecution.
     * Preflight's file reads have a budget of their own ({@code Preflight}).
     */
    public static final int MAX_CALLS_PER_INVOCATION = 6;

    /**
     * How often Lambda retries a failed S3 event for the trigger before it goes to the on-failure destination
     * (FACTS.md: 0..2, default 2), and how old an event may grow while retried, in hours.
     */
    public static final int TRIGGER_RETRY_ATTEMPTS = 2;
    public static final int TRIGGER_MAX_EVENT_AGE_HOURS = 6;

    private final String functionName;
    private final String handler;
    private final int memoryMb;
    private final int timeoutSeconds;
    private final int apiCallTimeoutSeconds;
    private final int apiCallAttemptTimeoutSeconds;

    /**
     * @param apiCallTimeoutSeconds the SDK's bound on one call with all its retries: well below the function's timeout,
     *     so a slow answer becomes a classified, retried error instead of a function killed mid-call
     * @param apiCallAttemptTimeoutSeconds the SDK's bound on one HTTP attempt, so a hung attempt leaves time for another
     */
    FunctionSettings(String functionName, String handler, int memoryMb, int timeoutSeconds, int apiCallTimeoutSeconds,
                     int apiCallAttemptTimeoutSeconds) {
        this.functionName = functionName;
        this.handler = handler;
        this.memoryMb = memoryMb;
        this.timeoutSeconds = timeoutSeconds;
        this.apiCallTimeoutSeconds = apiCallTimeoutSeconds;
        this.apiCallAttemptTimeoutSeconds = apiCallAttemptTimeoutSeconds;
    }

    public String functionName() {
        return functionName;
    }

    public String handler() {
        return handler;
    }

    public int memoryMb() {
        return memoryMb;
    }

    public int timeoutSeconds() {
        return timeoutSeconds;
    }

    public Duration apiCallTimeout() {
        return Duration.ofSeconds(apiCallTimeoutSeconds);
    }

    public Duration apiCallAttemptTimeout() {
        return Duration.ofSeconds(apiCallAttemptTimeoutSeconds);
    }
}
