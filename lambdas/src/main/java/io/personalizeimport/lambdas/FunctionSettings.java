package io.personalizeimport.lambdas;

import java.time.Duration;

/**
 * The functions as the deployment configures them: handler, deployment package, memory and timeout. The CDK stack
 * and the local stack read these same values, so the local run behaves as the deployed one.
 */
public enum FunctionSettings {

    // The functions that import carry five SDK clients (S3, Personalize, Step Functions, DynamoDB, EventBridge) and
    // Jackson in at most 12 MB; the describe function one client and Jackson in at most 8 MB (docs/performance.md,
    // "Deployment packages and SnapStart").
    TRIGGER("trigger", "io.personalizeimport.lambdas.TriggerHandler::handleRequest", 512, 60, 5, 3, 12),
    CREATE("create", "io.personalizeimport.lambdas.CreateHandler::handleRequest", 512, 90, 10, 4, 12),
    DESCRIBE("describe", "io.personalizeimport.lambdas.DescribeHandler::handleRequest", 256, 30, 10, 4, 8),
    FINISH("finish", "io.personalizeimport.lambdas.FinishHandler::handleRequest", 512, 90, 10, 4, 12),
    RECOVER("recover", "io.personalizeimport.lambdas.RecoveryHandler::handleRequest", 512, 90, 10, 4, 12),
    // The scheduled drain of the outboxes: the DynamoDB and EventBridge clients, Jackson, Joda-Time (ScheduledEvent's
    // times) and Personalize's client, which Priming names, in at most 9 MB.
    PUBLISH("publish", "io.personalizeimport.lambdas.PublishHandler::handleRequest", 512, 90, 10, 4, 9);

    /** Where the lambdas module's package phase writes the functions' deployment packages, from the repository root. */
    public static final String PACKAGE_FOLDER = "lambdas/target";

    /**
     * The most AWS calls one invocation makes in a row, each bounded by the API call timeout: GetObject, DescribeDataset,
     * DescribeSchema, CreateDatasetImportJob, DescribeDatasetImportJob (verifying an existing job) and StartExecution.
     * Preflight's file reads have a budget of their own ({@code Preflight}).
     */
    public static final int MAX_CALLS_PER_INVOCATION = 6;

    /**
     * How often Lambda retries a failed S3 event for the trigger before it goes to the on-failure destination
     * (AWS Lambda Developer Guide, 'Asynchronous invocation': 0..2, default 2), and how old an event may grow while
     * retried, in hours.
     */
    public static final int TRIGGER_RETRY_ATTEMPTS = 2;
    public static final int TRIGGER_MAX_EVENT_AGE_HOURS = 6;

    /**
     * How often the publish function drains every routed dataset's outbox, in minutes: an outcome event whose first
     * PutEvents failed is published within this time, whatever happens next on its dataset.
     */
    public static final int PUBLISH_EVERY_MINUTES = 5;

    private final String functionName;
    private final String handler;
    private final int memoryMb;
    private final int timeoutSeconds;
    private final int apiCallTimeoutSeconds;
    private final int apiCallAttemptTimeoutSeconds;
    private final int maxPackageMb;

    /**
     * @param apiCallTimeoutSeconds the SDK's bound on one call with all its retries: well below the function's timeout,
     *     so a slow answer becomes a classified, retried error instead of a function killed mid-call
     * @param apiCallAttemptTimeoutSeconds the SDK's bound on one HTTP attempt, so a hung attempt leaves time for another
     * @param maxPackageMb the most the deployment package may weigh, in MB of 10^6 bytes: the JVM opens, reads and
     *     verifies what the handler loads from it at every cold start, so each package carries only its function's code
     */
    FunctionSettings(String functionName, String handler, int memoryMb, int timeoutSeconds, int apiCallTimeoutSeconds,
                     int apiCallAttemptTimeoutSeconds, int maxPackageMb) {
        this.functionName = functionName;
        this.handler = handler;
        this.memoryMb = memoryMb;
        this.timeoutSeconds = timeoutSeconds;
        this.apiCallTimeoutSeconds = apiCallTimeoutSeconds;
        this.apiCallAttemptTimeoutSeconds = apiCallAttemptTimeoutSeconds;
        this.maxPackageMb = maxPackageMb;
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

    /** The function's own deployment package, relative to the repository root: {@code lambdas/target/<name>.jar}. */
    public String packagePath() {
        return PACKAGE_FOLDER + "/" + functionName + ".jar";
    }

    /** The most the deployment package may weigh, in bytes. */
    public long maxPackageBytes() {
        return maxPackageMb * 1_000_000L;
    }
}
