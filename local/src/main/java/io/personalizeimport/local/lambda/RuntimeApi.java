package io.personalizeimport.local.lambda;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Lambda Runtime API (2018-06-01) served to one container: the runtime long-polls {@code next} and posts the
 * result of each invocation, or its init failure.
 */
final class RuntimeApi implements HttpHandler {

    static final String PREFIX = "/2018-06-01/runtime/";

    private static final Pattern RESULT = Pattern.compile(PREFIX + "invocation/([^/]+)/(response|error)");
    private static final String ERROR_TYPE_HEADER = "Lambda-Runtime-Function-Error-Type";

    private final FunctionPool pool;
    private Container container;

    RuntimeApi(FunctionPool pool) {
        this.pool = pool;
    }

    /** Binds the handler to its container, which exists only once the server that it needs has a port. */
    void bind(Container owner) {
        this.container = owner;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            String method = exchange.getRequestMethod();
            byte[] body = readAll(exchange.getRequestBody());
            if ("GET".equals(method) && path.equals(PREFIX + "invocation/next")) {
                next(exchange);
                return;
            }
            Matcher result = RESULT.matcher(path);
            if ("POST".equals(method) && result.matches()) {
                String requestId = result.group(1);
                InvocationResult answer = "response".equals(result.group(2))
                        ? InvocationResult.success(requestId, new String(body, StandardCharsets.UTF_8))
                        : FunctionErrors.reported(requestId, body,
                                exchange.getRequestHeaders().getFirst(ERROR_TYPE_HEADER));
                if (pool.answered(container, requestId, answer)) {
                    send(exchange, 202, Json.object("status", "OK"));
                } else {
                    send(exchange, 400, Json.object("errorMessage", "Invalid request ID: " + requestId,
                            "errorType", "InvalidRequestID"));
                }
                return;
            }
            if ("POST".equals(method) && path.equals(PREFIX + "init/error")) {
                // Answer first: the runtime exits as soon as its report is accepted.
                send(exchange, 202, Json.object("status", "OK"));
                pool.initFailed(container, body, exchange.getRequestHeaders().getFirst(ERROR_TYPE_HEADER));
                return;
            }
            send(exchange, 404, Json.object("errorMessage", "Unknown Runtime API path: " + method + " " + path,
                    "errorType", "NotFound"));
        }
    }

    private void next(HttpExchange exchange) throws IOException {
        CompletableFuture<Assignment> next = pool.nextInvocation(container);
        Assignment assignment;
        try {
            assignment = next.get();
        } catch (CancellationException | ExecutionException stopping) {
            // The container is being killed; the runtime's retry, if it lives long enough to try, finds no server.
            send(exchange, 500, Json.object("errorMessage", "Container stopping", "errorType", "ContainerStopping"));
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            send(exchange, 500, Json.object("errorMessage", "Interrupted", "errorType", "ContainerStopping"));
            return;
        }
        Invocation invocation = assignment.invocation();
        var headers = exchange.getResponseHeaders();
        headers.set("Content-Type", "application/json");
        headers.set("Lambda-Runtime-Aws-Request-Id", invocation.requestId());
        headers.set("Lambda-Runtime-Deadline-Ms", Long.toString(assignment.deadlineEpochMillis()));
        headers.set("Lambda-Runtime-Invoked-Function-Arn", invocation.invokedFunctionArn());
        headers.set("Lambda-Runtime-Trace-Id", invocation.traceId());
        byte[] payload = invocation.payload();
        exchange.sendResponseHeaders(200, payload.length == 0 ? -1 : payload.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(payload);
        }
        pool.handedOver(container, invocation);
    }

    private static byte[] readAll(InputStream in) throws IOException {
        try (in) {
            return in.readAllBytes();
        }
    }

    static void send(HttpExchange exchange, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
