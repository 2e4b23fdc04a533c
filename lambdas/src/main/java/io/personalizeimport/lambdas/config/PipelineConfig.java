package io.personalizeimport.lambdas.config;

import io.personalizeimport.lambdas.errors.ConfigurationException;

/**
 * Settings that the trigger, create and lane functions share: the bucket the routes apply to, the routes, the default
 * role, preflight, the bus their outcome events go to, and how many import jobs the pipeline runs at once in its region.
 *
 * @param maxImportJobs the most import jobs the pipeline has pending or in progress at once ({@value #MAX_IMPORT_JOBS})
 */
public record PipelineConfig(String dataBucket, RouteTable routes, String defaultRoleArn, boolean preflight,
                             String eventBusName, int maxImportJobs) {

    public static final String DATA_BUCKET = "DATA_BUCKET";
    public static final String IMPORT_ROLE_ARN = "IMPORT_ROLE_ARN";
    public static final String PREFLIGHT = "PREFLIGHT";
    public static final String EVENT_BUS_NAME = "EVENT_BUS_NAME";
    public static final String MAX_IMPORT_JOBS = "MAX_IMPORT_JOBS";
    /**
     * Personalize runs at most five dataset import jobs pending or in progress per region, a quota that cannot be
     * raised (Amazon Personalize Developer Guide, "Endpoints and quotas").
     */
    public static final int REGION_IMPORT_JOBS = 5;

    /** The same settings, with the routes' default role and bus, running up to the region's five import jobs. */
    public PipelineConfig(String dataBucket, RouteTable routes, String defaultRoleArn, boolean preflight,
                          String eventBusName) {
        this(dataBucket, routes, defaultRoleArn, preflight, eventBusName, REGION_IMPORT_JOBS);
    }

    public PipelineConfig {
        if (maxImportJobs < 1 || maxImportJobs > REGION_IMPORT_JOBS) {
            throw new ConfigurationException(MAX_IMPORT_JOBS + " is " + maxImportJobs + ": expected 1 to "
                    + REGION_IMPORT_JOBS + ", the import jobs Personalize runs at once per region");
        }
    }

    public static PipelineConfig from(Environment env) {
        String defaultRole = env.optional(IMPORT_ROLE_ARN).orElse(null);
        if (defaultRole != null && !Patterns.ROLE_ARN.matcher(defaultRole).matches()) {
            throw new ConfigurationException("Environment variable " + IMPORT_ROLE_ARN + " is '" + defaultRole
                    + "': expected an IAM role ARN like arn:aws:iam::123456789012:role/PersonalizeImport");
        }
        String bucket = env.required(DATA_BUCKET, "the name of the bucket whose routed prefixes are imported");
        if (!Patterns.BUCKET_NAME.matcher(bucket).matches()) {
            throw new ConfigurationException("Environment variable " + DATA_BUCKET + " is '" + bucket
                    + "': expected an S3 bucket name such as my-personalize-data (3-63 lower-case letters, digits,"
                    + " '.' or '-')");
        }
        String routes = env.required(RouteTable.VARIABLE, "a JSON array of routes, for example " + RouteTable.EXAMPLE);
        String bus = env.required(EVENT_BUS_NAME, "the EventBridge bus for outcome events, such as default");
        if (!Patterns.EVENT_BUS_NAME.matcher(bus).matches()) {
            throw new ConfigurationException("Environment variable " + EVENT_BUS_NAME + " is '" + bus
                    + "': expected an event bus name such as default or PersonalizeImportPipelineEvents (1-256 of"
                    + " letters, digits, '.', '-', '_' and '/')");
        }
        return new PipelineConfig(bucket, RouteTable.parse(routes, defaultRole), defaultRole,
                env.flag(PREFLIGHT, true), bus,
                env.integer(MAX_IMPORT_JOBS, REGION_IMPORT_JOBS, 1, REGION_IMPORT_JOBS));
    }

    /** The state machine that the trigger starts executions of. */
    public static String stateMachineArn(Environment env) {
        String arn = env.required("STATE_MACHINE_ARN",
                "the ARN of the import monitor state machine, like arn:aws:states:us-east-1:123456789012:stateMachine:name");
        if (!Patterns.STATE_MACHINE_ARN.matcher(arn).matches()) {
            throw new ConfigurationException("Environment variable STATE_MACHINE_ARN is '" + arn
                    + "': expected arn:aws:states:<region>:<account>:stateMachine:<name>");
        }
        return arn;
    }
}
