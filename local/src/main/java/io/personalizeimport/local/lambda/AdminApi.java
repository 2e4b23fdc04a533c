package io.personalizeimport.local.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Test controls that Lambda itself does not have: {@code POST/DELETE /_lambdahost/faults} injects and clears service
 * faults, {@code GET /_lambdahost/functions} reports per-function counters.
 */
final class AdminApi implements HttpHandler {

    static final String PREFIX = "/_lambdahost/";

    private final LambdaHost host;

    AdminApi(LambdaHost host) {
        this.host = host;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            String method = exchange.getRequestMethod();
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            if (path.equals(PREFIX + "faults") && method.equals("POST")) {
                injectFault(exchange, body);
            } else if (path.equals(PREFIX + "faults") && method.equals("DELETE")) {
                host.clearFaults();
                exchange.sendResponseHeaders(204, -1);
            } else if (path.equals(PREFIX + "functions") && method.equals("GET")) {
                InvokeApi.send(exchange, 200, functions().getBytes(StandardCharsets.UTF_8));
            } else {
                InvokeApi.serviceError(exchange, 404, "UnknownOperationException", "User",
                        "Unknown admin operation " + method + " " + path);
            }
        }
    }

    private void injectFault(HttpExchange exchange, byte[] body) throws IOException {
        ServiceFault fault;
        try {
            JsonNode json = Json.MAPPER.readTree(body);
            String error = json.path("error").asText("ServiceException");
            int defaultStatus = "TooManyRequestsException".equals(error) ? 429 : 500;
            fault = new ServiceFault(
                    json.path("function").asText(null),
                    error,
                    json.path("status").asInt(defaultStatus),
                    json.path("count").asInt(1),
                    json.path("message").asText(null));
        } catch (IOException | IllegalArgumentException | NullPointerException e) {
            InvokeApi.serviceError(exchange, 400, "InvalidParameterValueException", "User",
                    "Expected {\"function\",\"error\",\"status\",\"count\"}: " + e.getMessage());
            return;
        }
        if (host.pool(fault.function()).isEmpty()) {
            InvokeApi.serviceError(exchange, 404, "ResourceNotFoundException", "User",
                    "Function not found: " + host.functionArn(fault.function()));
            return;
        }
        host.injectFault(fault);
        exchange.sendResponseHeaders(204, -1);
    }

    private String functions() {
        ObjectNode root = Json.MAPPER.createObjectNode();
        ArrayNode list = root.putArray("functions");
        for (FunctionStats stats : host.stats()) {
            list.add(Json.MAPPER.valueToTree(stats));
        }
        return root.toString();
    }
}
