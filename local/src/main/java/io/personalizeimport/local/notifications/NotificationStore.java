package io.personalizeimport.local.notifications;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * The state directory: {@code seen.json} (the last notified write of every key, and the sequencer counter),
 * {@code pending/<id>.json} (events not yet delivered) and {@code dead-letters/<id>.json} (Lambda on-failure
 * destination records), each {@code <id>} an {@link EventId}. Every file is replaced atomically, so a crash leaves
 * either the old or the new version.
 */
final class NotificationStore {

    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final String JSON = ".json";

    private final Path stateDir;
    private final Path pendingDir;
    private final Path deadLetterDir;
    private final Path seenFile;

    NotificationStore(Path stateDir) {
        this.stateDir = stateDir.toAbsolutePath();
        this.pendingDir = this.stateDir.resolve("pending");
        this.deadLetterDir = this.stateDir.resolve("dead-letters");
        this.seenFile = this.stateDir.resolve("seen.json");
        try {
            Files.createDirectories(pendingDir);
            Files.createDirectories(deadLetterDir);
        } catch (IOException e) {
            throw new NotificationStoreException("Cannot create the notification state directory " + stateDir, e);
        }
    }

    Path deadLetterDir() {
        return deadLetterDir;
    }

    /** The last notified write of one key. */
    record Seen(BucketScanner.Fingerprint fingerprint, String eTag, String sequencer) {
    }

    /** Everything already notified, and the last sequencer value handed out. */
    record SeenState(long sequence, Map<String, Seen> objects) {
    }

    SeenState loadSeen() {
        if (!Files.exists(seenFile)) {
            return new SeenState(0, new LinkedHashMap<>());
        }
        JsonNode root = read(seenFile);
        Map<String, Seen> objects = new LinkedHashMap<>();
        root.path("objects").properties().forEach(entry -> {
            JsonNode node = entry.getValue();
            objects.put(entry.getKey(), new Seen(
                    new BucketScanner.Fingerprint(node.path("size").asLong(), node.path("modifiedMicros").asLong(),
                            node.path("fileKey").asText()),
                    node.path("eTag").asText(), node.path("sequencer").asText()));
        });
        return new SeenState(root.path("sequence").asLong(), objects);
    }

    void saveSeen(long sequence, Map<String, Seen> objects) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("sequence", sequence);
        ObjectNode nodes = root.putObject("objects");
        objects.forEach((key, seen) -> {
            ObjectNode node = nodes.putObject(key);
            node.put("size", seen.fingerprint().size());
            node.put("modifiedMicros", seen.fingerprint().modifiedMicros());
            node.put("fileKey", seen.fingerprint().fileKey());
            node.put("eTag", seen.eTag());
            node.put("sequencer", seen.sequencer());
        });
        write(seenFile, root);
    }

    List<PendingEvent> loadPending() {
        List<PendingEvent> events = new ArrayList<>();
        for (Path file : jsonFiles(pendingDir)) {
            // Its id names the file it goes to once dead-lettered: only a file named after an event id is an event.
            Optional<EventId> id = EventId.ofFile(file);
            if (id.isEmpty()) {
                continue;
            }
            JsonNode node = read(file);
            events.add(new PendingEvent(id.get().value(), node.path("bucket").asText(),
                    node.path("key").asText(), node.path("eTag").asText(), (ObjectNode) node.path("event"),
                    Instant.parse(node.path("queuedAt").asText()), node.path("attempts").asInt(),
                    Instant.parse(node.path("nextAttemptAt").asText()), textOrNull(node, "lastErrorType"),
                    textOrNull(node, "lastErrorMessage")));
        }
        return events;
    }

    void savePending(PendingEvent event) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("id", event.id());
        node.put("bucket", event.bucket());
        node.put("key", event.key());
        node.put("eTag", event.eTag());
        node.put("queuedAt", event.queuedAt().toString());
        node.put("attempts", event.attempts());
        node.put("nextAttemptAt", event.nextAttemptAt().toString());
        node.put("lastErrorType", event.lastErrorType());
        node.put("lastErrorMessage", event.lastErrorMessage());
        node.set("event", event.event());
        write(pendingDir.resolve(event.id() + JSON), node);
    }

    void deletePending(String id) {
        delete(pendingDir.resolve(id + JSON));
    }

    /**
     * Writes the record Lambda sends to an on-failure destination ({@code version} 1.0, {@code requestContext},
     * {@code requestPayload} = the event, {@code responseContext}, {@code responsePayload} = the error body).
     */
    void saveDeadLetter(PendingEvent event, int attempts, String condition, String functionArn,
                        DeliveryOutcome.Failed failure, Instant now) {
        ObjectNode record = MAPPER.createObjectNode();
        record.put("version", "1.0");
        record.put("timestamp", now.toString());
        ObjectNode requestContext = record.putObject("requestContext");
        requestContext.put("requestId", event.id());
        requestContext.put("functionArn", functionArn + ":$LATEST");
        requestContext.put("condition", condition);
        requestContext.put("approximateInvokeCount", attempts);
        record.set("requestPayload", event.event());
        ObjectNode responseContext = record.putObject("responseContext");
        responseContext.put("statusCode", 200);
        responseContext.put("executedVersion", "$LATEST");
        responseContext.put("functionError", "Unhandled");
        record.set("responsePayload", responsePayload(failure));
        write(new EventId(event.id()).fileIn(deadLetterDir), record);
    }

    /** The files of {@code dead-letters/} named after an event id; any other file there is no dead letter. */
    List<DeadLetter> deadLetters() {
        List<DeadLetter> letters = new ArrayList<>();
        for (Path file : jsonFiles(deadLetterDir)) {
            // `local/run redrive` may remove a file between the listing and the read: it is no dead letter any more.
            if (EventId.ofFile(file).isPresent() && Files.exists(file)) {
                letters.add(deadLetter(file));
            }
        }
        return letters;
    }

    Optional<DeadLetter> deadLetter(EventId id) {
        Path file = id.fileIn(deadLetterDir);
        return Files.exists(file) ? Optional.of(deadLetter(file)) : Optional.empty();
    }

    void deleteDeadLetter(EventId id) {
        delete(id.fileIn(deadLetterDir));
    }

    /** The event of a dead letter, requeued as new: no attempts yet, its age counted from now. */
    PendingEvent requeue(DeadLetter letter, Instant now) {
        ObjectNode event = (ObjectNode) readTree(letter.eventJson());
        JsonNode object = event.path("Records").path(0).path("s3").path("object");
        return new PendingEvent(letter.id(), letter.bucket(), letter.key(), object.path("eTag").asText(), event, now,
                0, now, null, null);
    }

    private DeadLetter deadLetter(Path file) {
        JsonNode root = read(file);
        JsonNode record = root.path("requestPayload").path("Records").path(0);
        JsonNode response = root.path("responsePayload");
        String name = file.getFileName().toString();
        return new DeadLetter(name.substring(0, name.length() - JSON.length()),
                record.path("s3").path("bucket").path("name").asText(),
                URLDecoder.decode(record.path("s3").path("object").path("key").asText(), StandardCharsets.UTF_8),
                root.path("requestPayload").toString(),
                root.path("requestContext").path("approximateInvokeCount").asInt(),
                root.path("requestContext").path("condition").asText(),
                response.path("errorType").asText(), response.path("errorMessage").asText(),
                Instant.parse(record.path("eventTime").asText()), Instant.parse(root.path("timestamp").asText()),
                file);
    }

    private static JsonNode responsePayload(DeliveryOutcome.Failed failure) {
        if (failure.responsePayload() != null) {
            try {
                JsonNode body = MAPPER.readTree(failure.responsePayload());
                if (body.isObject() && body.has("errorType")) {
                    return body;
                }
            } catch (JsonProcessingException notJson) {
                // The function's body is not a JSON error object; fall through to the summary below.
                return summary(failure).put("responsePayload", failure.responsePayload());
            }
        }
        return summary(failure);
    }

    private static ObjectNode summary(DeliveryOutcome.Failed failure) {
        ObjectNode body = MAPPER.createObjectNode();
        body.put("errorMessage", failure.errorMessage());
        body.put("errorType", failure.errorType());
        return body;
    }

    private static String textOrNull(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    private static List<Path> jsonFiles(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(file -> file.getFileName().toString().endsWith(JSON))
                    .sorted(Comparator.comparing(Path::toString))
                    .toList();
        } catch (IOException e) {
            throw new NotificationStoreException("Cannot list " + dir, e);
        }
    }

    private static JsonNode read(Path file) {
        try {
            return MAPPER.readTree(file.toFile());
        } catch (IOException e) {
            throw new NotificationStoreException("Cannot read " + file, e);
        }
    }

    private static JsonNode readTree(String json) {
        try {
            return MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new NotificationStoreException("Stored event is not JSON: " + e.getOriginalMessage(), e);
        }
    }

    private static void write(Path file, JsonNode content) {
        Path temp = file.resolveSibling(file.getFileName() + ".tmp-" + UUID.randomUUID());
        try {
            Files.write(temp, MAPPER.writeValueAsBytes(content));
            try {
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new NotificationStoreException("Cannot write " + file, e);
        } finally {
            removeLeftover(temp);
        }
    }

    private static void removeLeftover(Path temp) {
        try {
            Files.deleteIfExists(temp);
        } catch (IOException e) {
            throw new NotificationStoreException("Cannot remove the temporary file " + temp, e);
        }
    }

    private static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new NotificationStoreException("Cannot delete " + file, e);
        }
    }
}
