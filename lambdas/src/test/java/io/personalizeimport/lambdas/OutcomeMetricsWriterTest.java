package io.personalizeimport.lambdas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.personalizeimport.lambdas.events.OutboxEvent;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The embedded-metric-format documents written for each published outcome. */
class OutcomeMetricsWriterTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static final String DATASET = "arn:aws:personalize:us-east-1:123456789012:dataset/shop/USERS";

    private final ByteArrayOutputStream log = new ByteArrayOutputStream();
    private final OutcomeMetricsWriter writer = new OutcomeMetricsWriter(new PrintStream(log, true,
            StandardCharsets.UTF_8), Clock.fixed(Instant.parse("2026-11-24T12:00:00Z"), ZoneOffset.UTC));

    private List<JsonNode> documents() throws Exception {
        List<JsonNode> documents = new java.util.ArrayList<>();
        for (String line : log.toString(StandardCharsets.UTF_8).lines().toList()) {
            documents.add(JSON.readTree(line));
        }
        return documents;
    }

    @Test
    void importThatSucceeded_shouldWriteItsCountDurationsAndPollsUnderTheDatasetDimensionAlone() throws Exception {
        writer.published(new OutboxEvent("e1", "Dataset Import Succeeded", DATASET,
                "{\"durationSeconds\":875,\"waitSeconds\":3,\"polls\":23,\"detectionSeconds\":40}"));

        JsonNode document = documents().getFirst();
        JsonNode directive = document.path("_aws").path("CloudWatchMetrics").get(0);
        assertEquals(1795521600000L, document.path("_aws").path("Timestamp").asLong());
        assertEquals("PersonalizeImport", directive.path("Namespace").asText());
        assertEquals("[[\"Dataset\"]]", directive.path("Dimensions").toString());
        assertEquals(DATASET, document.path("Dataset").asText());
        assertEquals(List.of("ImportsSucceeded", "Polls", "ImportDuration", "UploadToJob", "DetectionDelay"),
                directive.path("Metrics").findValuesAsText("Name"));
        assertEquals("Seconds", directive.path("Metrics").get(2).path("Unit").asText());
        assertEquals(1.0, document.path("ImportsSucceeded").asDouble());
        assertEquals(875.0, document.path("ImportDuration").asDouble());
        assertEquals(23.0, document.path("Polls").asDouble());
    }

    @Test
    void fileOutcomesWaitingFilesAndHolds_shouldEachBeOneCount() throws Exception {
        writer.published(new OutboxEvent("e2", "File Rejected", DATASET, "{}"));
        writer.published(new OutboxEvent("e3", "File Superseded", DATASET, "{}"));
        writer.published(new OutboxEvent("e4", "Dataset Import Failed", DATASET, "{\"error\":\"X\"}"));
        writer.waiting(DATASET, 7);
        writer.published(new OutboxEvent("e5", "Dataset Import Held", DATASET, "{\"records\":340}"));

        List<JsonNode> documents = documents();
        assertEquals(1.0, documents.get(0).path("FilesRejected").asDouble());
        assertEquals(1.0, documents.get(1).path("FilesSuperseded").asDouble());
        assertEquals(1.0, documents.get(2).path("ImportsFailed").asDouble());
        assertFalse(documents.get(2).has("ImportDuration"), "no figure that the outcome lacks");
        assertEquals(7.0, documents.get(3).path("FilesWaiting").asDouble());
        assertEquals(1.0, documents.get(4).path("ImportsHeld").asDouble());
    }

    @Test
    void theRegionsSlots_shouldBeOneSetWithoutADimension() throws Exception {
        writer.slots(5, 12);

        JsonNode document = documents().getFirst();
        JsonNode directive = document.path("_aws").path("CloudWatchMetrics").get(0);
        assertEquals("[[]]", directive.path("Dimensions").toString());
        assertFalse(document.has("Dataset"));
        assertEquals(List.of("ImportSlotsInUse", "LanesWaitingForSlot"), directive.path("Metrics")
                .findValuesAsText("Name"));
        assertEquals(5.0, document.path("ImportSlotsInUse").asDouble());
        assertEquals(12.0, document.path("LanesWaitingForSlot").asDouble());
    }
}
