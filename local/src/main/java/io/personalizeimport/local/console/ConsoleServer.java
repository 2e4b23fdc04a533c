package io.personalizeimport.local.console;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.personalizeimport.local.http.LoopbackOnly;
import io.personalizeimport.local.stack.LocalStack;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sfn.SfnClient;

/**
 * The local console: one page on 127.0.0.1 that shows the imports the way the Step Functions console does, and a JSON
 * API under {@code /api/} that the page polls. The page, its script and stylesheet are resources of this module; the
 * graph layout library is served from the pinned {@code node_modules}, so nothing is fetched from elsewhere.
 *
 * <pre>
 * GET  /api/executions?status=RUNNING&amp;dataset=group/TYPE   newest first
 * GET  /api/executions/NAME                                  describe, history and definition
 * GET  /api/datasets                                         each dataset's lane and record count
 * GET  /api/files                                            every file of the import ledger
 * GET  /api/routes                                           the routes an upload may name
 * POST /api/upload?route=NAME&amp;name=FILE.csv                 the CSV as the body
 * </pre>
 */
public final class ConsoleServer implements AutoCloseable {

    /** The dagre build the page imports; package.json pins its version. */
    static final String DAGRE = "node_modules/@dagrejs/dagre/dist/dagre.esm.js";

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Map<String, String> PAGES = Map.of(
            "/", "index.html",
            "/index.html", "index.html",
            "/console.js", "console.js",
            "/console.css", "console.css");
    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8");

    private final HttpServer server;
    private final ExecutorService executor;
    private final ConsoleApi api;
    private final Path dagre;
    private final List<AutoCloseable> clients;
    private final Consumer<String> logSink;

    private ConsoleServer(HttpServer server, ExecutorService executor, ConsoleApi api, Path dagre,
                          List<AutoCloseable> clients, Consumer<String> logSink) {
        this.server = server;
        this.executor = executor;
        this.api = api;
        this.dagre = dagre;
        this.clients = clients;
        this.logSink = logSink;
    }

    /**
     * Serves the console of {@code stack} on 127.0.0.1:{@code port} (0 takes a free port), reading the stack through
     * clients of its endpoints like any other client.
     *
     * @throws IllegalStateException when the layout library is not installed (npm ci)
     */
    public static ConsoleServer start(LocalStack stack, Path root, int port, Consumer<String> logSink) {
        Path dagre = root.resolve(DAGRE);
        if (!Files.isRegularFile(dagre)) {
            throw new IllegalStateException("The console's graph layout library " + dagre + " is missing: run 'npm ci'"
                    + " in " + root);
        }
        SfnClient sfn = stack.sfnClient();
        DynamoDbClient dynamoDb = stack.dynamoDbClient();
        S3Client s3 = stack.s3Client();
        ConsoleApi api = new ConsoleApi(new ConsoleApi.Sources(sfn, dynamoDb, s3, stack.personalize().endpoint(),
                stack.stateMachineArn(), LocalStack.BUCKET, LocalStack.LEDGER_TABLE, stack.routes()));
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        } catch (IOException e) {
            sfn.close();
            dynamoDb.close();
            s3.close();
            throw new UncheckedIOException(e);
        }
        // Each open page polls about once a second; a few threads keep one slow read from stalling the others.
        ExecutorService executor = Executors.newFixedThreadPool(4, runnable -> {
            Thread thread = new Thread(runnable, "local-console");
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(executor);
        ConsoleServer console = new ConsoleServer(server, executor, api, dagre, List.of(sfn, dynamoDb, s3), logSink);
        server.createContext("/", console::handle).getFilters().add(LoopbackOnly.taking("text/csv (uploads)").filter());
        server.start();
        return console;
    }

    /** The page's address. */
    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            try {
                if (path.startsWith("/api/")) {
                    sendJson(exchange, 200, api(exchange, path.substring("/api/".length())));
                } else if (exchange.getRequestMethod().equals("GET")) {
                    serveStatic(exchange, path);
                } else {
                    sendJson(exchange, 405, error("Only GET serves the page's files, not " + exchange.getRequestMethod()));
                }
            } catch (BadRequestException e) {
                sendJson(exchange, 400, error(e.getMessage()));
            } catch (NotFoundException e) {
                sendJson(exchange, 404, error(e.getMessage()));
            } catch (SdkException | StackUnavailableException e) {
                // A part of the stack did not answer: the page shows it and polls again.
                logSink.accept("local-console: " + path + ": " + e.getMessage());
                sendJson(exchange, 502, error("The local stack did not answer: " + e.getMessage()));
            } catch (RuntimeException e) {
                logSink.accept("local-console: " + path + " failed: " + e);
                sendJson(exchange, 500, error("The console failed: " + e));
            }
        }
    }

    private Object api(HttpExchange exchange, String path) throws IOException {
        String method = exchange.getRequestMethod();
        Map<String, String> query = query(exchange.getRequestURI());
        if (method.equals("POST") && path.equals("upload")) {
            byte[] body = readBody(exchange);
            return api.upload(required(query, "route"), required(query, "name"), body);
        }
        if (!method.equals("GET")) {
            throw new BadRequestException("Only GET and POST /api/upload are served, not " + method + " /api/" + path);
        }
        return switch (path) {
            case "executions" -> api.executions(blankToNull(query.get("status")), blankToNull(query.get("dataset")));
            case "datasets" -> api.datasets();
            case "files" -> api.files();
            case "routes" -> api.routes();
            case "following" -> api.following(required(query, "key"), blankToNull(query.get("markerKey")));
            default -> {
                if (path.startsWith("executions/") && path.length() > "executions/".length()) {
                    yield api.execution(path.substring("executions/".length()));
                }
                throw new NotFoundException("No API /api/" + path + "; the API has executions, executions/NAME,"
                        + " datasets, files, following, routes and upload");
            }
        };
    }

    private static byte[] readBody(HttpExchange exchange) throws IOException {
        try (InputStream in = exchange.getRequestBody()) {
            byte[] body = in.readNBytes((int) ConsoleApi.MAX_UPLOAD_BYTES + 1);
            if (body.length > ConsoleApi.MAX_UPLOAD_BYTES) {
                throw new BadRequestException("The file is larger than the console takes ("
                        + ConsoleApi.MAX_UPLOAD_BYTES / (1024 * 1024) + " MB): upload it with 'local/run import'");
            }
            return body;
        }
    }

    private void serveStatic(HttpExchange exchange, String path) throws IOException {
        byte[] body;
        String type;
        if (path.equals("/vendor/dagre.esm.js")) {
            body = Files.readAllBytes(dagre);
            type = TYPES.get("js");
        } else if (PAGES.containsKey(path)) {
            String name = PAGES.get(path);
            try (InputStream in = ConsoleServer.class.getResourceAsStream("/console/" + name)) {
                if (in == null) {
                    throw new IllegalStateException("The console's resource /console/" + name + " is missing from the"
                            + " local module's jar");
                }
                body = in.readAllBytes();
            }
            type = TYPES.get(name.substring(name.lastIndexOf('.') + 1));
        } else {
            sendJson(exchange, 404, error("No page " + path + "; the console is at /"));
            return;
        }
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.getResponseHeaders().set("Cache-Control", "no-cache");
        exchange.getResponseHeaders().set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:");
        exchange.sendResponseHeaders(200, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    private static Map<String, String> query(URI uri) {
        Map<String, String> query = new LinkedHashMap<>();
        String raw = uri.getRawQuery();
        if (raw == null || raw.isEmpty()) {
            return query;
        }
        for (String pair : raw.split("&")) {
            int equals = pair.indexOf('=');
            String name = URLDecoder.decode(equals < 0 ? pair : pair.substring(0, equals), StandardCharsets.UTF_8);
            String value = equals < 0 ? "" : URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8);
            query.put(name, value);
        }
        return query;
    }

    private static String required(Map<String, String> query, String name) {
        String value = blankToNull(query.get(name));
        if (value == null) {
            throw new BadRequestException("The query parameter '" + name + "' is required");
        }
        return value;
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }

    private static Map<String, String> error(String message) {
        return Map.of("error", message);
    }

    private static void sendJson(HttpExchange exchange, int status, Object value) throws IOException {
        byte[] body = MAPPER.writeValueAsBytes(value);
        exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        for (AutoCloseable client : clients) {
            try {
                client.close();
            } catch (Exception e) {
                logSink.accept("local-console: closing a client failed: " + e.getMessage());
            }
        }
    }
}
