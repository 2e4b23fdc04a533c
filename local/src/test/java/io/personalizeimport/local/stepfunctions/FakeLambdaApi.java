package io.personalizeimport.local.stepfunctions;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A scripted Lambda Invoke API ({@code POST /2015-03-31/functions/{FunctionName}/invocations}) on 127.0.0.1.
 *
 * <p>It stands in for the project's Lambda host, which is tested separately, so that these tests exercise only the
 * Step Functions endpoint. A function answers with its scripted responses in order, then echoes its payload as
 * {@code {"received": <payload>}}.
 */
final class FakeLambdaApi implements AutoCloseable {

    /** One request the endpoint received. */
    record Invocation(String functionName, String payload, String invocationType) {
    }

    /** A scripted answer. */
    record Response(int status, Map<String, String> headers, String body) {

        /** A function error, as the Lambda service reports an uncaught exception of a Java handler. */
        static Response functionError(String errorType, String errorMessage) {
            return new Response(200, Map.of("X-Amz-Function-Error", "Unhandled"),
                    "{\"errorMessage\":\"" + errorMessage + "\",\"errorType\":\"" + errorType
                            + "\",\"stackTrace\":[\"io.personalizeimport.Handler.handleRequest(Handler.java:1)\"]}");
        }

        /** An error of the Lambda service itself, e.g. 500 ServiceException. */
        static Response serviceError(int status, String errorType) {
            return new Response(status, Map.of("x-amzn-ErrorType", errorType),
                    "{\"__type\":\"" + errorType + "\",\"message\":\"scripted " + errorType + "\"}");
        }
    }

    private static final String PREFIX = "/2015-03-31/functions/";
    private static final String SUFFIX = "/invocations";

    private final HttpServer server;
    private final Map<String, Deque<Response>> scripts = new ConcurrentHashMap<>();
    private final List<Invocation> invocations = new CopyOnWriteArrayList<>();

    FakeLambdaApi() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot bind the fake Lambda API", e);
        }
        server.createContext(PREFIX, this::handle);
        server.start();
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** Queues responses for the function (by name); once they are used up it echoes again. */
    void script(String functionName, Response... responses) {
        scripts.computeIfAbsent(functionName, name -> new ArrayDeque<>()).addAll(List.of(responses));
    }

    /** The invocations of one function, in order. */
    List<Invocation> invocationsOf(String functionName) {
        return invocations.stream().filter(call -> call.functionName().equals(functionName)).toList();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            if (!"POST".equals(exchange.getRequestMethod()) || !path.endsWith(SUFFIX)) {
                send(exchange, Response.serviceError(404, "ResourceNotFoundException"));
                return;
            }
            String functionName = functionName(path.substring(PREFIX.length(), path.length() - SUFFIX.length()));
            String payload = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            invocations.add(new Invocation(functionName, payload,
                    exchange.getRequestHeaders().getFirst("X-Amz-Invocation-Type")));
            send(exchange, nextResponse(functionName, payload));
        }
    }

    /** The function name of a name or ARN, as the Lambda service resolves it (qualifier dropped). */
    private static String functionName(String nameOrArn) {
        int marker = nameOrArn.indexOf(":function:");
        if (marker < 0) {
            return nameOrArn;
        }
        String rest = nameOrArn.substring(marker + ":function:".length());
        int qualifier = rest.indexOf(':');
        return qualifier < 0 ? rest : rest.substring(0, qualifier);
    }

    private Response nextResponse(String functionName, String payload) {
        Deque<Response> script = scripts.get(functionName);
        Response scripted = script == null ? null : script.pollFirst();
        if (scripted != null) {
            return scripted;
        }
        return new Response(200, Map.of(), "{\"received\":" + (payload.isEmpty() ? "null" : payload) + "}");
    }

    private static void send(HttpExchange exchange, Response response) throws IOException {
        byte[] body = response.body().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        response.headers().forEach(exchange.getResponseHeaders()::set);
        exchange.sendResponseHeaders(response.status(), body.length);
        exchange.getResponseBody().write(body);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
