package io.personalizeimport.local.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.personalizeimport.local.faults.Fault;
import io.personalizeimport.local.faults.FaultInjector;
import io.personalizeimport.local.faults.FaultStats;
import io.personalizeimport.local.http.LoopbackOnly;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A local Amazon EventBridge endpoint for the one call the functions make, {@code PutEvents} (protocol awsJson1.1,
 * target {@code AWSEvents.PutEvents}), so the SDK's own EventBridge client publishes to it unchanged through
 * {@code AWS_ENDPOINT_URL_EVENTBRIDGE}. Each accepted entry is kept as the event EventBridge would deliver to a rule's
 * target ({@code version}, {@code id}, {@code detail-type}, {@code source}, {@code account}, {@code time},
 * {@code region}, {@code resources}, {@code detail}), one JSON document per line in {@code events.jsonl} under its data
 * directory, where {@code local/run events} reads them. It binds 127.0.0.1 only.
 *
 * <p>Checks as EventBridge does (Amazon EventBridge API Reference, PutEvents and PutEventsRequestEntry): 1 to 10
 * entries, each with Source, DetailType and a Detail that is a JSON object, at most 256 KiB per request; an entry
 * that fails a check is reported in the response with its ErrorCode and not kept. Faults can be injected per
 * operation ({@link #injectFault}), answered as EventBridge answers errors.
 */
public final class LocalEventBridge implements AutoCloseable {

    public static final String EVENTS_FILE = "events.jsonl";
    private static final String TARGET_PREFIX = "AWSEvents.";
    private static final String CONTENT_TYPE = "application/x-amz-json-1.1";
    private static final int MAX_ENTRIES = 10;
    private static final int MAX_REQUEST_BYTES = 256 * 1024;

    private final ObjectMapper json = new ObjectMapper();
    private final Path file;
    private final int port;
    private final String region;
    private final String accountId;
    private final Clock clock;
    private final FaultInjector faults = new FaultInjector(1);
    private HttpServer server;
    private ExecutorService threads;

    private LocalEventBridge(Path dataDir, int port, String region, String accountId, Clock clock) {
        this.file = dataDir.resolve(EVENTS_FILE);
        this.port = port;
        this.region = region;
        this.accountId = accountId;
        this.clock = clock;
    }

    /**
     * An endpoint that keeps its events in {@code dataDir}.
     *
     * @param port the port on 127.0.0.1, 0 for any free one
     */
    public static LocalEventBridge create(Path dataDir, int port, String region, String accountId, Clock clock) {
        return new LocalEventBridge(dataDir, port, region, accountId, clock);
    }

    public synchronized LocalEventBridge start() {
        try {
            Files.createDirectories(file.getParent());
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        } catch (IOException e) {
            throw new UncheckedIOException("The local EventBridge cannot listen on 127.0.0.1:" + port, e);
        }
        threads = Executors.newVirtualThreadPerTaskExecutor();
        server.setExecutor(threads);
        server.createContext("/", this::serve).getFilters()
                .add(LoopbackOnly.taking("application/x-amz-json-1.1").filter());
        server.start();
        return this;
    }

    public synchronized URI endpoint() {
        if (server == null) {
            throw new IllegalStateException("The local EventBridge is not started");
        }
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** The events kept so far, oldest first. */
    public List<JsonNode> events() {
        return read(file);
    }

    /** The events kept in {@code events.jsonl} under {@code dataDir}, oldest first; none when there is no file yet. */
    public static List<JsonNode> read(Path file) {
        if (!Files.isRegularFile(file)) {
            return List.of();
        }
        ObjectMapper mapper = new ObjectMapper();
        List<JsonNode> events = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (!line.isBlank()) {
                    events.add(mapper.readTree(line));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the events in " + file, e);
        }
        return events;
    }

    /** Arms a fault for the coming requests of its operation ({@code PutEvents}). */
    public void injectFault(Fault fault) {
        faults.arm(Objects.requireNonNull(fault, "fault"));
    }

    /** Every fault armed since the last clear, with how often each was injected. */
    public List<FaultStats> faults() {
        return faults.stats();
    }

    public void clearFaults() {
        faults.clear();
    }

    @Override
    public synchronized void close() {
        if (server != null) {
            server.stop(0);
            threads.shutdown();
            server = null;
        }
    }

    private void serve(HttpExchange exchange) throws IOException {
        try (exchange) {
            String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
            String operation = target != null && target.startsWith(TARGET_PREFIX)
                    ? target.substring(TARGET_PREFIX.length()) : null;
            if (!"POST".equals(exchange.getRequestMethod()) || !"PutEvents".equals(operation)) {
                sendError(exchange, 400, "UnknownOperationException", "The local EventBridge answers POST / with"
                        + " X-Amz-Target: AWSEvents.PutEvents only; got " + exchange.getRequestMethod() + " " + target);
                return;
            }
            byte[] body = readBody(exchange.getRequestBody());
            if (body == null) {
                sendError(exchange, 400, "ValidationException", "The request is larger than 256 KiB");
                return;
            }
            Optional<Fault> fault = faults.draw(operation);
            if (fault.isPresent()) {
                Thread.sleep(fault.get().latencyMillis());
                if (fault.get().error() != null) {
                    sendError(exchange, fault.get().status(), fault.get().error(), fault.get().messageOrDefault());
                    return;
                }
            }
            JsonNode request;
            try {
                request = json.readTree(body);
            } catch (JsonProcessingException e) {
                sendError(exchange, 400, "SerializationException", "The request body is not JSON: "
                        + e.getOriginalMessage());
                return;
            }
            JsonNode entries = request == null ? null : request.get("Entries");
            if (entries == null || !entries.isArray() || entries.isEmpty() || entries.size() > MAX_ENTRIES) {
                sendError(exchange, 400, "ValidationException", "Entries must hold 1 to " + MAX_ENTRIES + " entries");
                return;
            }
            send(exchange, 200, putEvents(entries));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            sendError(exchange, 500, "InternalException", "The local EventBridge is shutting down");
        }
    }

    private ObjectNode putEvents(JsonNode entries) throws IOException {
        ObjectNode response = json.createObjectNode();
        ArrayNode results = response.putArray("Entries");
        int failed = 0;
        StringBuilder lines = new StringBuilder();
        for (JsonNode entry : entries) {
            String problem = problem(entry);
            ObjectNode result = results.addObject();
            if (problem != null) {
                failed++;
                result.put("ErrorCode", "InvalidArgument").put("ErrorMessage", problem);
                continue;
            }
            String id = UUID.randomUUID().toString();
            result.put("EventId", id);
            lines.append(json.writeValueAsString(event(id, entry))).append('\n');
        }
        append(lines.toString());
        response.put("FailedEntryCount", failed);
        return response;
    }

    private static String problem(JsonNode entry) {
        for (String field : List.of("Source", "DetailType", "Detail")) {
            if (!entry.path(field).isTextual() || entry.path(field).asText().isBlank()) {
                return "Parameter " + field + " is not valid: it is required";
            }
        }
        try {
            if (!new ObjectMapper().readTree(entry.get("Detail").asText()).isObject()) {
                return "Parameter Detail is not valid: it must be a JSON object";
            }
        } catch (JsonProcessingException e) {
            return "Parameter Detail is not valid JSON: " + e.getOriginalMessage();
        }
        if (entry.get("Source").asText().startsWith("aws.")) {
            return "Parameter Source is not valid: sources starting with aws. are reserved for AWS services";
        }
        return null;
    }

    /** The entry as EventBridge delivers it to a target; the entry's Time, if given, is the event's time. */
    private ObjectNode event(String id, JsonNode entry) throws JsonProcessingException {
        ObjectNode event = json.createObjectNode();
        event.put("version", "0");
        event.put("id", id);
        event.put("detail-type", entry.get("DetailType").asText());
        event.put("source", entry.get("Source").asText());
        event.put("account", accountId);
        Instant time = entry.hasNonNull("Time") ? Instant.ofEpochMilli((long) (entry.get("Time").asDouble() * 1000))
                : clock.instant();
        event.put("time", time.truncatedTo(ChronoUnit.SECONDS).toString());
        event.put("region", region);
        event.set("resources", entry.hasNonNull("Resources") ? entry.get("Resources") : json.createArrayNode());
        event.put("event-bus-name", entry.path("EventBusName").asText("default"));
        event.set("detail", json.readTree(entry.get("Detail").asText()));
        return event;
    }

    private synchronized void append(String lines) throws IOException {
        if (!lines.isEmpty()) {
            Files.writeString(file, lines, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND, StandardOpenOption.SYNC);
        }
    }

    private static byte[] readBody(InputStream in) throws IOException {
        byte[] body = in.readNBytes(MAX_REQUEST_BYTES + 1);
        return body.length > MAX_REQUEST_BYTES ? null : body;
    }

    private void send(HttpExchange exchange, int status, JsonNode document) throws IOException {
        byte[] bytes = json.writeValueAsBytes(document);
        exchange.getResponseHeaders().set("Content-Type", CONTENT_TYPE);
        exchange.getResponseHeaders().set("x-amzn-RequestId", UUID.randomUUID().toString());
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    private void sendError(HttpExchange exchange, int status, String type, String message) throws IOException {
        exchange.getResponseHeaders().set("x-amzn-ErrorType", type);
        send(exchange, status, json.createObjectNode().put("__type", type).put("message", message));
    }
}
