package io.personalizeimport.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.personalizeimport.lambdas.FunctionSettings;
import io.personalizeimport.lambdas.config.ImportMode;
import io.personalizeimport.lambdas.config.Route;
import io.personalizeimport.lambdas.domain.S3Object;
import io.personalizeimport.lambdas.events.FileRejected;
import io.personalizeimport.lambdas.events.OutboxEvent;
import io.personalizeimport.lambdas.lane.FileEntry;
import io.personalizeimport.lambdas.lane.FileStatus;
import io.personalizeimport.lambdas.lane.LaneFile;
import io.personalizeimport.lambdas.ledger.Ledger;
import io.personalizeimport.local.faults.Fault;
import io.personalizeimport.local.faults.FaultStats;
import io.personalizeimport.local.lambda.InvocationResult;
import io.personalizeimport.local.stack.LocalStack;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * An outcome event that its function could not publish is published by the scheduled publish function (every 3 s at
 * the tests' time scale), exactly once, though nothing else happens on its dataset; drains that run at once publish
 * each event once.
 */
class ScheduledPublishSystemTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final String PUBLISH = FunctionSettings.PUBLISH.functionName();

    private static LocalStack stack;
    private static Ledger ledger;

    @BeforeAll
    static void startStack() {
        stack = SharedStack.get();
        ledger = new Ledger(stack.dynamoDbClient(), LocalStack.LEDGER_TABLE, Clock.systemUTC());
    }

    @AfterEach
    void clearFaults() {
        stack.eventBridge().clearFaults();
    }

    /**
     * A file of the route's dataset recorded REJECTED with its File Rejected event in one transaction, as the trigger
     * records it: the outcome and its event, left in the outbox as by a function that failed or died before publishing.
     */
    private static OutboxEvent rejectedWithItsEvent(String routeName) {
        Route route = stack.routes().stream().filter(candidate -> candidate.name().equals(routeName)).findFirst()
                .orElseThrow();
        String key = route.prefix() + ConsoleSession.unique("scheduled") + ".csv";
        LaneFile file = LaneFile.written(route, new S3Object(LocalStack.BUCKET, key, null, "etag-" + key, 10),
                Long.toHexString(System.nanoTime()).toUpperCase(), Instant.now());
        String eventId = UUID.randomUUID().toString().replace("-", "");
        OutboxEvent event = new OutboxEvent(eventId, FileRejected.DETAIL_TYPE, route.datasetArn(), io.personalizeimport
                .lambdas.json.Json.write(Map.of("schemaVersion", "1", "eventId", eventId, "datasetArn",
                        route.datasetArn(), "file", Map.of("bucket", LocalStack.BUCKET, "key", key),
                        "reason", "a test's rejection")));
        FileEntry rejected = FileEntry.pending(file).withStatus(FileStatus.REJECTED, null, null, "a test's rejection");
        assertTrue(ledger.record(rejected, event));
        return event;
    }

    private static List<JsonNode> published(OutboxEvent event) {
        return stack.eventBridge().events().stream()
                .filter(published -> event.eventId().equals(published.path("detail").path("eventId").asText()))
                .toList();
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        Instant until = Instant.now().plus(TIMEOUT);
        while (!condition.getAsBoolean()) {
            assertTrue(Instant.now().isBefore(until), "waited " + TIMEOUT + " for " + what);
            Thread.sleep(100);
        }
    }

    @Test
    void outcomeWhosePublishFailed_shouldBePublishedByTheScheduleOnceEventBridgeAnswers() throws Exception {
        // GIVEN EventBridge refuses every PutEvents, and a file's outcome waits in the outbox with its event
        stack.eventBridge().injectFault(Fault.error("PutEvents", "InternalException", Fault.UNLIMITED));
        long runsBefore = stack.lambdaHost().stats(PUBLISH).invocations();
        OutboxEvent event = rejectedWithItsEvent("items");

        // WHEN the schedule runs the publish function while EventBridge refuses
        await("a scheduled run to meet the refusal", () -> stack.eventBridge().faults().stream()
                .mapToLong(FaultStats::injected).sum() > 0);

        // THEN nothing was published, and the event stays in the outbox, released for the next run
        assertEquals(List.of(), published(event));
        assertTrue(ledger.outbox(event.datasetArn()).contains(event), "the event left the outbox unpublished");

        // WHEN EventBridge answers again, and nothing but the schedule touches the dataset
        stack.eventBridge().clearFaults();
        await("the event to be published", () -> !published(event).isEmpty());

        // THEN a scheduled run published it, once, and it left the outbox
        Thread.sleep(Duration.ofSeconds(4).toMillis());
        List<JsonNode> events = published(event);
        assertEquals(1, events.size(), events::toString);
        assertEquals(FileRejected.DETAIL_TYPE, events.getFirst().path("detail-type").asText());
        assertEquals(List.of(event.datasetArn()), List.of(events.getFirst().path("resources").get(0).asText()));
        assertTrue(stack.lambdaHost().stats(PUBLISH).invocations() > runsBefore);
        assertTrue(!ledger.outbox(event.datasetArn()).contains(event), "a published event stayed in the outbox");
    }

    @Test
    void publishRunsAtOnce_shouldPublishEachEventOnce() throws Exception {
        // GIVEN outcomes of three datasets waiting in their outboxes
        List<OutboxEvent> events = new ArrayList<>();
        for (String route : List.of("users", "items", "interactions")) {
            for (int i = 0; i < 3; i++) {
                events.add(rejectedWithItsEvent(route));
            }
        }

        // WHEN the publish function runs six times at once, beside the schedule
        List<Callable<InvocationResult>> runs = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            runs.add(() -> stack.lambdaHost().invoke(PUBLISH, "{\"detail-type\":\"Scheduled Event\","
                    + "\"source\":\"aws.events\",\"detail\":{}}"));
        }
        try (ExecutorService threads = Executors.newFixedThreadPool(runs.size())) {
            for (Future<InvocationResult> run : threads.invokeAll(runs)) {
                assertTrue(!run.get().isFunctionError(), run.get()::payload);
            }
        }

        // THEN each event was published exactly once
        await("every event to be published", () -> events.stream().noneMatch(event -> published(event).isEmpty()));
        Thread.sleep(Duration.ofSeconds(4).toMillis());
        for (OutboxEvent event : events) {
            assertEquals(1, published(event).size(), () -> published(event).toString());
        }
    }
}
