package io.personalizeimport.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.personalizeimport.lambdas.config.ImportMode;
import io.personalizeimport.lambdas.config.Route;
import io.personalizeimport.lambdas.domain.S3Object;
import io.personalizeimport.lambdas.events.OutboxEvent;
import io.personalizeimport.lambdas.lane.FileEntry;
import io.personalizeimport.lambdas.lane.LaneFile;
import io.personalizeimport.lambdas.lane.OutboxRecords.Claim;
import io.personalizeimport.lambdas.ledger.Ledger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The outbox's claim, a conditional UpdateItem, on DynamoDB Local through the real SDK client. */
class LedgerOutboxIntegrationTest {

    private static final String TABLE = "ledger-outbox-test";
    private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");
    private static LocalLedger local;
    private static DynamoDbClient client;
    private static Ledger ledger;

    @BeforeAll
    static void start() {
        local = LocalLedger.start(TABLE);
        client = local.client();
        ledger = local.ledger();
    }

    @AfterAll
    static void stop() {
        local.close();
    }

    /** An event written with the outcome it reports: a file recorded in a fresh dataset's lane. */
    private static OutboxEvent written() {
        String dataset = "arn:aws:personalize:us-east-1:000000000000:dataset/g-" + UUID.randomUUID() + "/USERS";
        Route users = new Route("users", "users/", dataset, ImportMode.FULL, "arn:aws:iam::000000000000:role/import",
                Map.of(), null);
        FileEntry file = FileEntry.pending(LaneFile.written(users, new S3Object("bucket", "users/a.csv", null, "etag",
                10), "0A", NOW));
        OutboxEvent event = new OutboxEvent(UUID.randomUUID().toString().replace("-", ""), "File Rejected", dataset,
                "{\"key\":\"users/a.csv\"}");
        assertTrue(ledger.record(file, event));
        return event;
    }

    private static Map<String, AttributeValue> item(OutboxEvent event) {
        return client.getItem(get -> get.tableName(TABLE).consistentRead(true).key(Map.of(
                "pk", AttributeValue.fromS(Ledger.partition(event.datasetArn())),
                "sk", AttributeValue.fromS("outbox#" + event.eventId())))).item();
    }

    @Test
    void claimHeldByAnotherDrain_shouldRefuseUntilItExpires() {
        OutboxEvent event = written();
        Claim first = new Claim("first", NOW.plusSeconds(120));

        assertTrue(ledger.claim(event, first, NOW));
        assertFalse(ledger.claim(event, new Claim("second", NOW.plusSeconds(180)), NOW.plusSeconds(60)));
        assertFalse(ledger.claim(event, new Claim("second", NOW.plusSeconds(180)), NOW.plusSeconds(120)));
        assertTrue(ledger.claim(event, new Claim("third", NOW.plusSeconds(241)), NOW.plusMillis(120_001)));
        assertEquals("third", item(event).get("claimedBy").s());
        assertEquals(ledger.outbox(event.datasetArn()), List.of(event), "a claimed event is still in the outbox");
    }

    @Test
    void releasedClaim_shouldLetTheNextDrainClaimAtOnce() {
        OutboxEvent event = written();
        Claim failed = new Claim("failed", NOW.plusSeconds(120));
        assertTrue(ledger.claim(event, failed, NOW));

        ledger.release(event, failed);

        assertNull(item(event).get("claimedUntil"), () -> "the release left " + item(event));
        assertTrue(ledger.claim(event, new Claim("next", NOW.plusSeconds(120)), NOW));
    }

    @Test
    void releaseOfALostClaim_shouldLeaveTheNewHoldersClaim() {
        OutboxEvent event = written();
        Claim lost = new Claim("slow", NOW.plusSeconds(1));
        assertTrue(ledger.claim(event, lost, NOW));
        assertTrue(ledger.claim(event, new Claim("next", NOW.plusSeconds(120)), NOW.plusSeconds(2)));

        ledger.release(event, lost);

        assertEquals("next", item(event).get("claimedBy").s());
    }

    @Test
    void claimOfAPublishedEvent_shouldBeRefusedAndWriteNothing() {
        OutboxEvent event = written();
        ledger.published(event);

        assertFalse(ledger.claim(event, new Claim("late", NOW.plusSeconds(120)), NOW));
        assertEquals(Map.of(), item(event), "a refused claim must not create an item");
    }

    @Test
    void drainsClaimingAtOnce_shouldGiveEachEventToOneOfThem() throws Exception {
        // GIVEN ten events, and eight drains that claim all of them at the same moment
        List<OutboxEvent> events = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            events.add(written());
        }
        List<Callable<Integer>> drains = new ArrayList<>();
        for (int d = 0; d < 8; d++) {
            Claim claim = new Claim("drain-" + d, NOW.plusSeconds(120));
            drains.add(() -> (int) events.stream().filter(event -> ledger.claim(event, claim, NOW)).count());
        }

        // WHEN they run at once
        int claimed = 0;
        try (ExecutorService threads = Executors.newFixedThreadPool(drains.size())) {
            for (Future<Integer> won : threads.invokeAll(drains)) {
                claimed += won.get();
            }
        }

        // THEN each event was claimed exactly once
        assertEquals(events.size(), claimed);
    }
}
