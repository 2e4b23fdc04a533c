package io.personalizeimport.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.personalizeimport.lambdas.ledger.Ledger;
import io.personalizeimport.local.faults.Fault;
import io.personalizeimport.local.faults.FaultStats;
import io.personalizeimport.local.lambda.InvocationResult;
import io.personalizeimport.local.metrics.LocalMetrics;
import io.personalizeimport.local.stack.LocalStack;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Each outcome publishes exactly one event with the documented detail, on the local stack's EventBridge, which the
 * functions reach through the real SDK client: also when S3 events are delivered twice and shuffled, and when
 * EventBridge refuses PutEvents for a while.
 */
class OutcomeEventsSystemTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(90);

    private static LocalStack stack;
    private static S3Client s3;
    private static Ledger ledger;

    @BeforeAll
    static void startStack() {
        stack = SharedStack.get();
        s3 = stack.s3Client();
        ledger = new Ledger(stack.dynamoDbClient(), LocalStack.LEDGER_TABLE, Clock.systemUTC());
    }

    @AfterAll
    static void closeClients() {
        s3.close();
    }

    @AfterEach
    void clearFaults() {
        stack.eventBridge().clearFaults();
    }

    private static String upload(String key, String content) {
        s3.putObject(request -> request.bucket(LocalStack.BUCKET).key(key), RequestBody.fromString(content));
        return key;
    }

    /** The published events whose detail matches, once the wanted number arrived (or what there is at the timeout). */
    private static List<JsonNode> events(Predicate<JsonNode> about, int wanted) throws InterruptedException {
        Instant until = Instant.now().plus(Duration.ofSeconds(30));
        List<JsonNode> found;
        do {
            found = stack.eventBridge().events().stream().filter(event -> about.test(event.path("detail"))).toList();
            if (found.size() >= wanted) {
                // A repeat would come right after: look once more.
                Thread.sleep(500);
                return stack.eventBridge().events().stream().filter(event -> about.test(event.path("detail"))).toList();
            }
            Thread.sleep(100);
        } while (Instant.now().isBefore(until));
        return found;
    }

    private static Predicate<JsonNode> aboutKey(String key) {
        return detail -> key.equals(detail.path("file").path("key").asText())
                || detail.path("files").findValuesAsText("key").contains(key);
    }

    private static void assertCommonDetail(JsonNode event, String detailType, String datasetArn) {
        assertEquals(detailType, event.path("detail-type").asText(), event::toString);
        assertEquals("personalize-import", event.path("source").asText());
        assertEquals(List.of(datasetArn), List.of(event.path("resources").get(0).asText()));
        JsonNode detail = event.path("detail");
        assertEquals("1", detail.path("schemaVersion").asText());
        assertEquals(32, detail.path("eventId").asText().length(), detail::toString);
        assertEquals(datasetArn, detail.path("datasetArn").asText());
    }

    @Test
    void importThatSucceeded_shouldPublishOneEventWithItsJobFilesAndTimes() throws Exception {
        // GIVEN a users file, its S3 event delivered twice
        String key = upload("users/" + ConsoleSession.unique("event-ok") + ".csv", Csv.users(25));
        String event = S3Events.put(s3, LocalStack.BUCKET, key);
        JsonNode started = Lanes.trigger(stack, event).path("records").get(0);
        Lanes.trigger(stack, event);

        // WHEN its import ends
        Lanes.awaitIdle(ledger, stack.datasetArn("users"), TIMEOUT);

        // THEN one Dataset Import Succeeded names the job, the file, the mode and how long it all took
        List<JsonNode> published = events(aboutKey(key), 1);
        assertEquals(1, published.size(), published::toString);
        JsonNode ended = published.getFirst();
        assertCommonDetail(ended, "Dataset Import Succeeded", stack.datasetArn("users"));
        JsonNode detail = ended.path("detail");
        assertEquals(started.path("jobName").asText(), detail.path("jobName").asText());
        assertTrue(detail.path("jobArn").asText().endsWith(":dataset-import-job/" + detail.path("jobName").asText()));
        assertEquals("users", detail.path("route").asText());
        assertEquals("FULL", detail.path("importMode").asText());
        assertEquals("ACTIVE", detail.path("jobStatus").asText());
        assertEquals(1, detail.path("fileCount").asInt());
        assertEquals(LocalStack.BUCKET, detail.path("files").get(0).path("bucket").asText());
        assertTrue(detail.path("polls").asLong() >= 1, detail::toString);
        assertTrue(detail.path("durationSeconds").asLong() >= 0, detail::toString);
        assertTrue(detail.path("waitSeconds").asLong() >= 0, detail::toString);
        assertTrue(detail.path("executionArn").asText().endsWith(":" + detail.path("jobName").asText()));
        assertFalse(detail.has("error"), detail::toString);

        // AND the lane function wrote the import's metrics for the dataset in the embedded metric format
        List<LocalMetrics.Series> metrics = LocalMetrics.read(
                stack.dataDir().resolve("metrics").resolve(LocalMetrics.METRICS_FILE));
        for (String metric : List.of("ImportsSucceeded", "ImportDuration", "Polls", "UploadToJob", "DetectionDelay",
                "FilesWaiting")) {
            assertTrue(metrics.stream().anyMatch(series -> series.dataset().equals(stack.datasetArn("users"))
                    && series.metric().equals(metric) && !series.values().isEmpty()), metric + " in " + metrics);
        }
    }

    @Test
    void importThatFailed_shouldPublishOneEventWithTheErrorAndReason() throws Exception {
        String key = upload("items/" + ConsoleSession.unique("event-bad") + ".csv",
                Csv.withBadRowPastPreflight(Csv::items, "late-item,books,six," + Csv.T0));
        Lanes.trigger(stack, S3Events.put(s3, LocalStack.BUCKET, key));
        Lanes.awaitIdle(ledger, stack.datasetArn("items"), TIMEOUT);

        List<JsonNode> published = events(aboutKey(key), 1);
        assertEquals(1, published.size(), published::toString);
        assertCommonDetail(published.getFirst(), "Dataset Import Failed", stack.datasetArn("items"));
        JsonNode detail = published.getFirst().path("detail");
        assertEquals("DatasetImportJobFailed", detail.path("error").asText(), detail::toString);
        assertTrue(detail.path("reason").asText().contains("is not a valid float"), detail::toString);
        assertEquals("CREATE FAILED", detail.path("jobStatus").asText());
    }

    @Test
    void rejectedFileDeliveredTwice_shouldPublishOneEventWithTheReason() throws Exception {
        String key = upload("users/" + ConsoleSession.unique("event-rejected") + ".csv", "MEMBERSHIP,AGE\nsilver,30\n");
        String event = S3Events.put(s3, LocalStack.BUCKET, key);
        Lanes.trigger(stack, event);
        Lanes.trigger(stack, event);

        List<JsonNode> published = events(aboutKey(key), 1);
        assertEquals(1, published.size(), published::toString);
        assertCommonDetail(published.getFirst(), "File Rejected", stack.datasetArn("users"));
        JsonNode detail = published.getFirst().path("detail");
        assertTrue(detail.path("reason").asText().contains("USER_ID"), detail::toString);
        assertEquals(key, detail.path("file").path("key").asText());
        assertTrue(detail.path("executionArn").asText().startsWith("arn:aws:states:"), detail::toString);
    }

    @Test
    void filesSupersededUnderShuffledDuplicates_shouldPublishOneEventEachNamingTheirSuccessor() throws Exception {
        // GIVEN an import holding the users lane, then three newer files whose events arrive shuffled, each twice
        String run = ConsoleSession.unique("event-superseded");
        Lanes.trigger(stack, S3Events.put(s3, LocalStack.BUCKET, upload("users/" + run + "-0.csv", Csv.users(10))));
        List<String> keys = List.of(upload("users/" + run + "-1.csv", Csv.users(11)),
                upload("users/" + run + "-2.csv", Csv.users(12)), upload("users/" + run + "-3.csv", Csv.users(13)));
        List<String> deliveries = new ArrayList<>();
        for (String key : keys) {
            String event = S3Events.put(s3, LocalStack.BUCKET, key);
            deliveries.add(event);
            deliveries.add(event);
        }
        Collections.shuffle(deliveries, new Random(7));
        for (String delivery : deliveries) {
            Lanes.trigger(stack, delivery);
        }
        Lanes.awaitIdle(ledger, stack.datasetArn("users"), TIMEOUT);

        // THEN each of the two older files has exactly one event: File Superseded naming a newer file (or, when the
        // first import ended before its deliveries came, the import of its own), and the newest one import event
        for (String older : keys.subList(0, 2)) {
            List<JsonNode> published = events(aboutKey(older), 1);
            assertEquals(1, published.size(), published::toString);
            JsonNode only = published.getFirst();
            if (only.path("detail-type").asText().equals("File Superseded")) {
                assertCommonDetail(only, "File Superseded", stack.datasetArn("users"));
                assertTrue(keys.indexOf(only.path("detail").path("supersededBy").asText()) > keys.indexOf(older),
                        only::toString);
            } else {
                assertEquals("Dataset Import Succeeded", only.path("detail-type").asText(), only::toString);
            }
        }
        List<JsonNode> newest = events(aboutKey(keys.get(2)), 1);
        assertEquals(1, newest.size(), newest::toString);
        assertEquals("Dataset Import Succeeded", newest.getFirst().path("detail-type").asText());
    }

    @Test
    void eventBridgeRefusingForAWhile_shouldStillPublishEachOutcomeOnce() throws Exception {
        // GIVEN EventBridge throttles every PutEvents call until the fault is cleared
        Fault throttling = Fault.error("PutEvents", "ThrottlingException", Fault.UNLIMITED).withStatus(400);
        stack.eventBridge().injectFault(throttling);
        String rejectedKey = upload("users/" + ConsoleSession.unique("event-throttled-bad") + ".csv",
                "MEMBERSHIP,AGE\nsilver,30\n");
        String event = S3Events.put(s3, LocalStack.BUCKET, rejectedKey);

        // WHEN the trigger rejects a file and cannot publish, and Lambda delivers the event again once EventBridge
        // answers
        InvocationResult first = stack.lambdaHost().invoke("trigger", event);
        stack.eventBridge().clearFaults();
        InvocationResult retry = stack.lambdaHost().invoke("trigger", event);

        // THEN the first attempt failed (the outcome stayed recorded with its event), the retry published it, once
        assertTrue(first.isFunctionError(), first::payload);
        assertFalse(retry.isFunctionError(), retry::payload);
        assertEquals(1, events(aboutKey(rejectedKey), 1).size());

        // WHEN an import's release meets the same throttling until it has failed at least once
        stack.eventBridge().injectFault(throttling);
        String importedKey = upload("users/" + ConsoleSession.unique("event-throttled-ok") + ".csv", Csv.users(9));
        Lanes.trigger(stack, S3Events.put(s3, LocalStack.BUCKET, importedKey));
        Instant until = Instant.now().plus(TIMEOUT);
        while (stack.eventBridge().faults().stream().mapToLong(FaultStats::injected).sum() == 0
                && Instant.now().isBefore(until)) {
            Thread.sleep(50);
        }
        assertTrue(events(aboutKey(importedKey), 0).isEmpty(), "nothing published while EventBridge refuses");
        stack.eventBridge().clearFaults();
        Lanes.awaitIdle(ledger, stack.datasetArn("users"), TIMEOUT);

        // THEN the state machine's retry of the release task published the import's end, once
        List<JsonNode> imported = events(aboutKey(importedKey), 1);
        assertEquals(1, imported.size(), imported::toString);
        assertEquals("Dataset Import Succeeded", imported.getFirst().path("detail-type").asText());
    }
}
