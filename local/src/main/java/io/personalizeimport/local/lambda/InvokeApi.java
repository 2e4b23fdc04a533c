package io.personalizeimport.local.lambda;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Lambda Invoke API, {@code POST /2015-03-31/functions/{FunctionName}/invocations}, with the three invocation
 * types and the service errors a client must be ready for.
 */
final class InvokeApi implements HttpHandler {

    static final String FUNCTIONS_PREFIX = "/2015-03-31/functions/";

    /** Lambda's limit for a synchronous request payload. */
    static final int MAX_SYNC_PAYLOAD = 6 * 1024 * 1024;

    private static final Pattern INVOKE = Pattern.compile(Pattern.quote(FUNCTIONS_PREFIX) + "([^/]+)/invocations/?");

    private final LambdaHost host;

    InvokeApi(LambdaHost host) {
        this.host = host;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            // The raw path keeps an ARN's encoded colons apart from the path structure until it is matched.
            Matcher invoke = INVOKE.matcher(exchange.getRequestURI().getRawPath());
            if (!invoke.matches()) {
                serviceError(exchange, 404, "UnknownOperationException", "User",
                        "Unknown operation " + exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath());
                return;
            }
            if (!"POST".equals(exchange.getRequestMethod())) {
                serviceError(exchange, 405, "UnknownOperationException", "User",
                        "Invoke takes POST, not " + exchange.getRequestMethod());
                return;
            }
            invoke(exchange, URLDecoder.decode(invoke.group(1).replace("+", "%2B"), StandardCharsets.UTF_8));
        }
    }

    private void invoke(HttpExchange exchange, String functionName) throws IOException {
        byte[] payload = readAll(exchange.getRequestBody());
        FunctionAddress address;
        try {
            address = FunctionAddress.parse(functionName, queryParameter(exchange, "Qualifier").orElse(null));
        } catch (IllegalArgumentException e) {
            serviceError(exchange, 400, "ValidationException", "User", e.getMessage());
            return;
        }
        Optional<FunctionPool> found = host.pool(address.name());
        if (found.isEmpty()) {
            serviceError(exchange, 404, "ResourceNotFoundException", "User",
                    "Function not found: " + address.invokedArn(host.functionArn(address.name())));
            return;
        }
        FunctionPool pool = found.get();
        String type = Optional.ofNullable(exchange.getRequestHeaders().getFirst("X-Amz-Invocation-Type"))
                .orElse("RequestResponse");
        if (!type.equals("RequestResponse") && !type.equals("Event") && !type.equals("DryRun")) {
            serviceError(exchange, 400, "InvalidParameterValueException", "User",
                    "Unsupported invocation type: " + type);
            return;
        }
        if (type.equals("DryRun")) {
            exchange.getResponseHeaders().set("x-amzn-RequestId", UUID.randomUUID().toString());
            exchange.sendResponseHeaders(204, -1);
            return;
        }
        Optional<ServiceFault> fault = pool.acceptRequest();
        if (fault.isPresent()) {
            ServiceFault injected = fault.get();
            serviceError(exchange, injected.status(), injected.errorCode(), injected.type(), injected.message());
            return;
        }
        if (payload.length > MAX_SYNC_PAYLOAD) {
            serviceError(exchange, 413, "RequestTooLargeException", "User",
                    "Request must be smaller than " + MAX_SYNC_PAYLOAD + " bytes for the InvokeFunction operation");
            return;
        }
        if (payload.length > 0 && !isJson(payload)) {
            serviceError(exchange, 400, "InvalidRequestContentException", "User",
                    "Could not parse request body into json");
            return;
        }
        Invocation invocation = host.newInvocation(pool, address, payload);
        exchange.getResponseHeaders().set("x-amzn-RequestId", invocation.requestId());
        if (type.equals("Event")) {
            host.runAsync(pool, invocation);
            exchange.sendResponseHeaders(202, -1);
            return;
        }
        InvocationResult result;
        try {
            result = LambdaHost.await(pool.submit(invocation));
        } catch (LambdaHostException e) {
            serviceError(exchange, 500, "ServiceException", "Service", e.getMessage());
            return;
        }
        exchange.getResponseHeaders().set("X-Amz-Executed-Version", "$LATEST");
        if (result.isFunctionError()) {
            exchange.getResponseHeaders().set("X-Amz-Function-Error", "Unhandled");
        }
        send(exchange, 200, result.payload().getBytes(StandardCharsets.UTF_8));
    }

    /** An error of the Lambda service, shaped as the SDKs parse it: the code in {@code x-amzn-ErrorType}. */
    static void serviceError(HttpExchange exchange, int status, String errorCode, String type, String message)
            throws IOException {
        exchange.getResponseHeaders().set("x-amzn-ErrorType", errorCode);
        // Lambda spells the field "Message" for a missing function and "message" for most other errors.
        String messageField = "ResourceNotFoundException".equals(errorCode) ? "Message" : "message";
        send(exchange, status, Json.object("Type", type, messageField, message).getBytes(StandardCharsets.UTF_8));
    }

    static void send(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    private static Optional<String> queryParameter(HttpExchange exchange, String name) {
        String query = exchange.getRequestURI().getRawQuery();
        if (query == null) {
            return Optional.empty();
        }
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0 && pair.substring(0, eq).equals(name)) {
                return Optional.of(URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return Optional.empty();
    }

    private static boolean isJson(byte[] payload) {
        try {
            Json.MAPPER.readTree(payload);
            return true;
        } catch (IOException notJson) {
            return false;
        }
    }

    private static byte[] readAll(InputStream in) throws IOException {
        try (in) {
            return in.readAllBytes();
        }
    }
}
