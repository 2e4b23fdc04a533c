package io.personalizeimport.local.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.personalizeimport.local.faults.Fault;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.EventBridgeException;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResponse;

/** The local EventBridge through the SDK's own EventBridge client, as the functions publish to it. */
class LocalEventBridgeTest {

    @TempDir
    Path dataDir;

    private LocalEventBridge events;
    private EventBridgeClient client;

    @BeforeEach
    void start() {
        events = LocalEventBridge.create(dataDir, 0, "us-east-1", "000000000000",
                Clock.fixed(Instant.parse("2026-11-24T12:00:00.250Z"), ZoneOffset.UTC)).start();
        client = EventBridgeClient.builder().endpointOverride(events.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("k", "s")))
                .overrideConfiguration(config -> config.retryStrategy(RetryMode.STANDARD))
                .httpClient(UrlConnectionHttpClient.create()).build();
    }

    @AfterEach
    void stop() {
        client.close();
        events.close();
    }

    private static PutEventsRequestEntry entry(String detail) {
        return PutEventsRequestEntry.builder().source("personalize-import").detailType("File Rejected")
                .eventBusName("imports").resources("arn:aws:personalize:us-east-1:000000000000:dataset/g/USERS")
                .detail(detail).build();
    }

    @Test
    void putEvents_shouldKeepEachEventAsARuleTargetReceivesIt() {
        // WHEN two entries are published in one request
        PutEventsResponse response = client.putEvents(request -> request.entries(entry("{\"reason\":\"one\"}"),
                entry("{\"reason\":\"two\"}")));

        // THEN both are accepted with their ids, and kept in order in EventBridge's delivered shape
        assertEquals(0, response.failedEntryCount());
        List<JsonNode> kept = events.events();
        assertEquals(2, kept.size());
        JsonNode first = kept.get(0);
        assertEquals(response.entries().get(0).eventId(), first.path("id").asText());
        assertEquals("File Rejected", first.path("detail-type").asText());
        assertEquals("personalize-import", first.path("source").asText());
        assertEquals("000000000000", first.path("account").asText());
        assertEquals("2026-11-24T12:00:00Z", first.path("time").asText());
        assertEquals("imports", first.path("event-bus-name").asText());
        assertEquals("one", first.path("detail").path("reason").asText());
        assertEquals("two", kept.get(1).path("detail").path("reason").asText());
        assertEquals(kept, LocalEventBridge.read(dataDir.resolve(LocalEventBridge.EVENTS_FILE)));
    }

    @Test
    void anEntryWhoseDetailIsNotAnObject_shouldFailAloneWithItsErrorCode() {
        PutEventsResponse response = client.putEvents(request -> request.entries(entry("[1]"), entry("{}")));

        assertEquals(1, response.failedEntryCount());
        assertEquals("InvalidArgument", response.entries().get(0).errorCode());
        assertTrue(response.entries().get(0).errorMessage().contains("JSON object"));
        assertEquals(1, events.events().size());
    }

    @Test
    void injectedFault_shouldBeAnsweredAsEventBridgeAnswersErrorsAndKeepNothing() {
        events.injectFault(Fault.error("PutEvents", "AccessDeniedException", 1));

        EventBridgeException error = assertThrows(EventBridgeException.class,
                () -> client.putEvents(request -> request.entries(entry("{}"))));

        assertEquals("AccessDeniedException", error.awsErrorDetails().errorCode());
        assertTrue(events.events().isEmpty());
    }
}
