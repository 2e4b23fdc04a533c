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
 * Test controls that Lambda itself does not have: {@code POST/DELETE /_lambdahost/faults} injects and clears faults,
 * {@code GET /_lambdahost/functions} reports per-function counters. A posted fault is
 * {@code {"function": "f", "kind": "service", "error": "ServiceException", "status": 500, "count": 1,
 * "message": "..."}} (a {@link ServiceFault}; {@code kind} defaults to service) or
 * {@code {"function": "f", "kind": "crash", "count": 1}} (see {@link LambdaHost#injectCrash(String, int)}).
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
        JsonNode json;
        try {
            json = Json.MAPPER.readTree(body);
        } catch (IOException e) {
            InvokeApi.serviceError(exchange, 400, "InvalidParameterValueException", "User",
                    "Expected a JSON fault: " + e.getMessage());
            return;
        }
        String kind = json.path("kind").asText("service");
        if (kind.equals("crash")) {
            injectCrash(exchange, json);
        } else if (kind.equals("service")) {
            injectServiceFault(exchange, json);
        } else {
            InvokeApi.serviceError(exchange, 400, "InvalidParameterValueException", "User",
                    "Unknown fault kind \"" + kind + "\": expected \"service\" or \"crash\"");
        }
    }

    private void injectCrash(HttpExchange exchange, JsonNode json) throws IOException {
        String function = json.path("function").asText(null);
        int count = json.path("count").asInt(1);
        if (function == null || count < 1) {
            InvokeApi.serviceError(exchange, 400, "InvalidParameterValueException", "User",
                    "Expected {\"function\", \"kind\": \"crash\", \"count\"} with a count of at least 1");
            return;
        }
        if (host.pool(function).isEmpty()) {
            InvokeApi.serviceError(exchange, 404, "ResourceNotFoundException", "User",
                    "Function not found: " + host.functionArn(function));
            return;
        }
        host.injectCrash(function, count);
        exchange.sendResponseHeaders(204, -1);
    }

    private void injectServiceFault(HttpExchange exchange, JsonNode json) throws IOException {
        ServiceFault fault;
        try {
            String error = json.path("error").asText("ServiceException");
            int defaultStatus = "TooManyRequestsException".equals(error) ? 429 : 500;
            fault = new ServiceFault(
                    json.path("function").asText(null),
                    error,
                    json.path("status").asInt(defaultStatus),
                    json.path("count").asInt(1),
                    json.path("message").asText(null));
        } catch (IllegalArgumentException | NullPointerException e) {
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
