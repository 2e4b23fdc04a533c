package io.personalizeimport.local.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;

/** The function errors that Lambda itself, not the handler, writes: timeouts and runtime exits. */
final class FunctionErrors {

    static final String TIMED_OUT = "Sandbox.Timedout";
    static final String EXIT_ERROR = "Runtime.ExitError";
    static final String UNKNOWN = "Runtime.Unknown";

    private static final ObjectMapper JSON = Json.MAPPER;

    private FunctionErrors() {
    }

    static InvocationResult timedOut(String requestId, Duration limit) {
        String seconds = String.format(Locale.ROOT, "%.2f", limit.toMillis() / 1000.0);
        return error(requestId, TIMED_OUT, "RequestId: " + requestId + " Error: Task timed out after " + seconds + " seconds");
    }

    static InvocationResult initTimedOut(String requestId, Duration limit) {
        String seconds = String.format(Locale.ROOT, "%.2f", limit.toMillis() / 1000.0);
        return error(requestId, TIMED_OUT, "RequestId: " + requestId + " Error: Init timed out after " + seconds + " seconds");
    }

    static InvocationResult exited(String requestId, int exitCode) {
        // Lambda reports a runtime killed by a signal as "signal: killed"; a JVM killed by SIGKILL exits with 137.
        String how = exitCode == 137 ? "signal: killed" : "exit status " + exitCode;
        return error(requestId, EXIT_ERROR, "RequestId: " + requestId + " Error: Runtime exited with error: " + how);
    }

    /**
     * A body the runtime posted to {@code /error} or {@code /init/error}, kept verbatim as Lambda does; its type comes
     * from the body, else from the {@code Lambda-Runtime-Function-Error-Type} header.
     */
    static InvocationResult reported(String requestId, byte[] body, String errorTypeHeader) {
        String text = new String(body, StandardCharsets.UTF_8);
        String errorType = null;
        try {
            JsonNode node = JSON.readTree(body);
            if (node != null && node.hasNonNull("errorType")) {
                errorType = node.get("errorType").asText();
            }
        } catch (IOException notJson) {
            // A runtime may post any bytes; Lambda forwards them untouched, and so do we.
            errorType = null;
        }
        if (errorType == null || errorType.isEmpty()) {
            errorType = errorTypeHeader == null || errorTypeHeader.isEmpty() ? UNKNOWN : errorTypeHeader;
        }
        return InvocationResult.functionError(requestId, text, errorType);
    }

    private static InvocationResult error(String requestId, String errorType, String errorMessage) {
        ObjectNode body = JSON.createObjectNode();
        body.put("errorType", errorType);
        body.put("errorMessage", errorMessage);
        return InvocationResult.functionError(requestId, body.toString(), errorType);
    }
}
