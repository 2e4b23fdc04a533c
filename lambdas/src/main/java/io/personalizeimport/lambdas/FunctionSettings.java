package io.personalizeimport.lambdas;

/**
 * The three functions as the deployment configures them: handler, memory and timeout. The CDK stack and the local
 * stack read these same values, so the local run behaves as the deployed one.
 */
public enum FunctionSettings {

    TRIGGER("trigger", "io.personalizeimport.lambdas.TriggerHandler::handleRequest", 512, 60),
    CREATE("create", "io.personalizeimport.lambdas.CreateHandler::handleRequest", 512, 90),
    DESCRIBE("describe", "io.personalizeimport.lambdas.DescribeHandler::handleRequest", 256, 30);

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

    FunctionSettings(String functionName, String handler, int memoryMb, int timeoutSeconds) {
        this.functionName = functionName;
        this.handler = handler;
        this.memoryMb = memoryMb;
        this.timeoutSeconds = timeoutSeconds;
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
}
