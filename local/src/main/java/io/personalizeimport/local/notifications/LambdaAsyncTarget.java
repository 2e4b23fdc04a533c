package io.personalizeimport.local.notifications;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.personalizeimport.local.lambda.InvocationResult;
import io.personalizeimport.local.lambda.LambdaHost;
import java.util.Objects;

/**
 * Delivers notifications to a function of the {@link LambdaHost}, as S3 invokes its Lambda target: a function error
 * fails the attempt, and the retries are the notification source's, like Lambda's own asynchronous retries.
 */
public final class LambdaAsyncTarget implements NotificationTarget {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final LambdaHost host;
    private final String functionName;

    public LambdaAsyncTarget(LambdaHost host, String functionName) {
        this.host = Objects.requireNonNull(host, "host");
        this.functionName = Objects.requireNonNull(functionName, "functionName");
    }

    @Override
    public DeliveryOutcome deliver(String eventJson) {
        InvocationResult result = host.invoke(functionName, eventJson);
        if (result.isFunctionError()) {
            return DeliveryOutcome.failed(result.errorType(), errorMessage(result.payload()), result.payload());
        }
        return DeliveryOutcome.delivered();
    }

    @Override
    public String arn() {
        return host.functionArn(functionName);
    }

    /** The runtime's error body is {@code {"errorMessage","errorType",...}}; anything else is the message itself. */
    static String errorMessage(String errorBody) {
        try {
            JsonNode body = MAPPER.readTree(errorBody);
            JsonNode message = body == null ? null : body.get("errorMessage");
            return message == null ? errorBody : message.asText();
        } catch (JsonProcessingException notJson) {
            return errorBody;
        }
    }
}
