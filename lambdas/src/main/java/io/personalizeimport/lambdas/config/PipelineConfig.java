package io.personalizeimport.lambdas.config;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.personalizeimport.lambdas.errors.ConfigurationException;

/** Settings that the trigger and create functions share: routes, default role and preflight. */
public record PipelineConfig(RouteTable routes, String defaultRoleArn, boolean preflight) {

    public static final String IMPORT_ROLE_ARN = "IMPORT_ROLE_ARN";
    public static final String PREFLIGHT = "PREFLIGHT";

    public static PipelineConfig from(Environment env, ObjectMapper mapper) {
        String defaultRole = env.optional(IMPORT_ROLE_ARN).orElse(null);
        if (defaultRole != null && !Patterns.ROLE_ARN.matcher(defaultRole).matches()) {
            throw new ConfigurationException("Environment variable " + IMPORT_ROLE_ARN + " is '" + defaultRole
                    + "': expected an IAM role ARN like arn:aws:iam::123456789012:role/PersonalizeImport");
        }
        String routes = env.required(RouteTable.VARIABLE, "a JSON array of routes, for example " + RouteTable.EXAMPLE);
        return new PipelineConfig(
                RouteTable.parse(routes, defaultRole, mapper), defaultRole, env.flag(PREFLIGHT, true));
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
