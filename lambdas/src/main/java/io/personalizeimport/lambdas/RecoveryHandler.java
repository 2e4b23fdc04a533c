package io.personalizeimport.lambdas;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.fasterxml.jackson.databind.JsonNode;
import io.personalizeimport.lambdas.aws.AwsCallException;
import io.personalizeimport.lambdas.config.Environment;
import io.personalizeimport.lambdas.errors.InvalidImportRequestException;
import io.personalizeimport.lambdas.json.Json;
import io.personalizeimport.lambdas.lane.Release;
import io.personalizeimport.lambdas.lane.Releases;
import java.util.Map;

/**
 * The target of the rule that sends Step Functions' status changes of executions that stopped, failed or timed out: if
 * one still holds its dataset's lane, it ended without releasing it, and its import resumes ({@link Releases#recover}).
 */
public final class RecoveryHandler implements RequestHandler<ScheduledEvent, Releases.Recovered> {

    private final Pipeline pipeline;

    public RecoveryHandler() {
        this(Environment.system());
    }

    private RecoveryHandler(Environment env) {
        this(Pipeline.from(FunctionSettings.RECOVER, env));
        Priming.register(ImportPriming.recover(this, pipeline, env));
    }

    public RecoveryHandler(Pipeline pipeline) {
        this.pipeline = pipeline;
    }

    @Override
    public Releases.Recovered handleRequest(ScheduledEvent event, Context context) {
        Map<String, Object> detail = event == null || event.getDetail() == null ? Map.of() : event.getDetail();
        String executionName = text(detail, "name");
        String stateMachineArn = text(detail, "stateMachineArn");
        if (executionName == null || stateMachineArn == null) {
            throw new InvalidImportRequestException("A status change event needs detail.name and"
                    + " detail.stateMachineArn; got " + detail);
        }
        JsonNode input;
        try {
            input = Json.tree(text(detail, "input") == null ? "{}" : text(detail, "input"));
        } catch (IllegalArgumentException e) {
            throw new InvalidImportRequestException("The input of execution " + executionName
                    + " in its status change event is not JSON: " + e.getMessage());
        }
        try {
            return pipeline.core(stateMachineArn).releases().recover(executionName, text(detail, "status"),
                    textOf(input.path("lane").get("datasetArn")),
                    new Release.Asked(textOf(input.get("datasetArn")), textOf(input.get("key"))));
        } catch (AwsCallException e) {
            throw e.escalate();
        }
    }

    private static String text(Map<String, Object> detail, String field) {
        return detail.get(field) instanceof String text && !text.isEmpty() ? text : null;
    }

    private static String textOf(JsonNode value) {
        return value != null && value.isTextual() ? value.asText() : null;
    }
}
