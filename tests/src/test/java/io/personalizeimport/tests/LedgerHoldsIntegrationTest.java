package io.personalizeimport.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.personalizeimport.lambdas.config.PipelineConfig;
import io.personalizeimport.lambdas.config.RouteTable;
import io.personalizeimport.lambdas.domain.S3Object;
import io.personalizeimport.lambdas.events.ImportHeld;
import io.personalizeimport.lambdas.events.OutboxEvent;
import io.personalizeimport.lambdas.json.Json;
import io.personalizeimport.lambdas.lane.FileEntry;
import io.personalizeimport.lambdas.lane.Holds;
import io.personalizeimport.lambdas.lane.Lane;
import io.personalizeimport.lambdas.lane.LaneFile;
import io.personalizeimport.lambdas.lane.LanePlan;
import io.personalizeimport.lambdas.lane.LaneView;
import io.personalizeimport.lambdas.ledger.Ledger;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClientBuilder;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * A lane's hold of interactions files on DynamoDB Local, through the real SDK client: noted only on the lane as it was
 * read, ended by a claim, reported once with one event, and swept by the publish schedule with its Query alone.
 */
class LedgerHoldsIntegrationTest {

    private static final String TABLE = "ledger-holds-test";
    private static final String ROLE = "arn:aws:iam::000000000000:role/import";
    /** When the tests' first file was written; the route holds for an hour. */
    private static final Instant WRITTEN = Instant.parse("2026-12-01T10:00:00Z");
    private static LocalLedger local;
    private static DynamoDbClient client;
    private static Ledger ledger;

    private final String dataset = "arn:aws:personalize:us-east-1:000000000000:dataset/h-" + UUID.randomUUID()
            + "/INTERACTIONS";
    private final PipelineConfig config = new PipelineConfig("bucket", RouteTable.parse("""
            [{"name":"hourly","prefix":"hourly/","datasetArn":"%s","importMode":"INCREMENTAL","coalesce":true,
              "longestHold":"PT1H"}]""".formatted(dataset), ROLE), ROLE, true, "default");

    @BeforeAll
    static void start() {
        local = LocalLedger.start(TABLE);
        client = local.client();
        ledger = local.ledger();
    }

    private static DynamoDbClientBuilder clientBuilder() {
        return local.clientBuilder();
    }

    @AfterAll
    static void stop() {
        local.close();
    }

    /** A counted interactions file of the hourly route, recorded PENDING, written {@code minutes} after the first. */
    private FileEntry recorded(String name, long records, int minutes) {
        FileEntry file = FileEntry.pending(LaneFile.written(config.routes().byName("hourly").orElseThrow(),
                new S3Object("bucket", "hourly/" + name, null, "etag-" + name, 100),
                String.format("%016X", minutes + 1), WRITTEN.plus(Duration.ofMinutes(minutes)))).counted(records);
        assertTrue(ledger.record(file));
        return file;
    }

    /** The hold the lane's waiting files make, as an advance plans it from one read of the lane. */
    private LanePlan.Hold planned(LaneView view) {
        return LanePlan.of(view.waiting(), view.lane().lastFull(),
                name -> config.routes().byName(name).orElse(null)).hold();
    }

    private Map<String, AttributeValue> laneItem() {
        return client.getItem(get -> get.tableName(TABLE).consistentRead(true).key(Map.of(
                "pk", AttributeValue.fromS(Ledger.partition(dataset)), "sk", AttributeValue.fromS("lane")))).item();
    }

    private List<OutboxEvent> heldEvents() {
        return ledger.outbox(dataset).stream().filter(event -> event.detailType().equals(ImportHeld.DETAIL_TYPE))
                .toList();
    }

    private static OutboxEvent event(String dataset) {
        String id = UUID.randomUUID().toString().replace("-", "");
        return new OutboxEvent(id, ImportHeld.DETAIL_TYPE, dataset, "{\"eventId\":\"" + id + "\"}");
    }

    @Test
    void aHoldNotedOnTheLaneAsRead_shouldBeWrittenOnceAndANoteFromAnOlderReadRefused() {
        // GIVEN a free lane read with one 100-record file waiting, and the hold it makes
        recorded("1.csv", 100, 0);
        LaneView read = ledger.laneView(dataset);
        Lane.Holding holding = planned(read).holding();

        // WHEN the hold is noted on the lane as read, then noted again from that same, now older, read
        assertTrue(ledger.hold(read.lane(), holding));
        Map<String, AttributeValue> noted = laneItem();
        Lane.Holding other = new Lane.Holding(200, 1_000, holding.since(), holding.longestHold(), holding.first(),
                false);
        boolean again = ledger.hold(read.lane(), other);

        // THEN the lane holds the first note, written once, and the stale read changed nothing
        assertFalse(again, "a note from a read older than the lane's version");
        assertEquals(holding, ledger.lane(dataset).holding());
        assertEquals(read.lane().version() + 1, ledger.lane(dataset).version());
        assertEquals(noted, laneItem());
        assertEquals("waiting: 100 of 1,000 interactions", holding.describe(WRITTEN));
    }

    @Test
    void aClaim_shouldEndTheLanesHold() {
        // GIVEN a lane that holds two files
        FileEntry first = recorded("1.csv", 100, 0);
        FileEntry second = recorded("2.csv", 100, 1);
        LaneView read = ledger.laneView(dataset);
        assertTrue(ledger.hold(read.lane(), planned(read).holding()));

        // WHEN an operator's job claims the lane with them
        Lane held = ledger.lane(dataset);
        assertTrue(ledger.claim(held, new Lane.Running("job-1", "job-1", List.of(Ledger.sortKey(first),
                Ledger.sortKey(second)), Instant.now(), false, "{}"), List.of(first, second)));

        // THEN the lane item notes no hold
        assertNull(ledger.lane(dataset).holding());
        assertFalse(laneItem().containsKey("holding"), laneItem()::toString);
    }

    @Test
    void aHoldReportedTwice_shouldWriteOneEventAndRefuseANoteFromARead() {
        // GIVEN a noted hold, and the lane as an advance read it before the hold was reported
        recorded("1.csv", 100, 0);
        LaneView read = ledger.laneView(dataset);
        Lane.Holding holding = planned(read).holding();
        assertTrue(ledger.hold(read.lane(), holding));
        Lane beforeReport = ledger.lane(dataset);

        // WHEN it is reported twice, each with its event, and the older read notes it again with a new file counted
        boolean first = ledger.reportHold(dataset, holding, event(dataset));
        boolean second = ledger.reportHold(dataset, holding, event(dataset));
        boolean renoted = ledger.hold(beforeReport, new Lane.Holding(200, 1_000, holding.since(),
                holding.longestHold(), holding.first(), false));

        // THEN one report wrote its event; the second wrote nothing; the hold stays reported
        assertTrue(first);
        assertFalse(second, "a hold is reported once");
        assertEquals(1, heldEvents().size(), heldEvents()::toString);
        assertFalse(renoted, "a note from before the report would mark the hold unreported, and report it again");
        assertEquals(holding.asReported(), ledger.lane(dataset).holding());
    }

    @Test
    void aReportOfAnotherHold_shouldWriteNothing() {
        // GIVEN a lane that holds a file, noted
        recorded("1.csv", 100, 0);
        LaneView read = ledger.laneView(dataset);
        Lane.Holding holding = planned(read).holding();
        assertTrue(ledger.hold(read.lane(), holding));

        // WHEN a report names a hold that began with another file
        boolean reported = ledger.reportHold(dataset, new Lane.Holding(100, 1_000, holding.since(),
                holding.longestHold(), "file#another", false), event(dataset));

        // THEN nothing was written
        assertFalse(reported);
        assertEquals(List.of(), heldEvents());
        assertEquals(holding, ledger.lane(dataset).holding());
    }

    @Test
    void theSweepOfAHoldPastItsLongestHold_shouldReportItOnceByQueryAndTransactionAlone() {
        // GIVEN a lane that holds 340 interactions, noted while the hold was young, and an open item behind them written
        // before open items carried their file (a folder's part: it waits for its marker, outside the hold)
        recorded("1.csv", 300, 0);
        recorded("2.csv", 40, 5);
        LaneView read = ledger.laneView(dataset);
        assertTrue(ledger.hold(read.lane(), planned(read).holding()));
        client.putItem(put -> put.tableName(TABLE).item(Map.of(
                "pk", AttributeValue.fromS(Ledger.partition(dataset)), "sk", AttributeValue.fromS("open#~old"))));
        List<String> calls = new ArrayList<>();

        // WHEN the publish schedule sweeps the lane before the hour is up, after it, and once more
        boolean early;
        boolean due;
        boolean later;
        try (DynamoDbClient counting = countingClient(calls)) {
            Ledger publishLedger = new Ledger(counting, TABLE, Clock.systemUTC());
            early = new Holds(config, publishLedger, Clock.fixed(WRITTEN.plus(Duration.ofMinutes(59)),
                    ZoneOffset.UTC)).sweep(dataset);
            due = new Holds(config, publishLedger, Clock.fixed(WRITTEN.plus(Duration.ofHours(1)), ZoneOffset.UTC))
                    .sweep(dataset);
            later = new Holds(config, publishLedger, Clock.fixed(WRITTEN.plus(Duration.ofHours(2)), ZoneOffset.UTC))
                    .sweep(dataset);
        }

        // THEN the sweep when the hour was up reported the hold, once, naming its two files; the lane says so; and no
        // sweep read more than its Query, so the publish function needs no BatchGetItem
        assertFalse(early, "not past its hour");
        assertTrue(due);
        assertFalse(later, "reported once");
        List<OutboxEvent> events = heldEvents();
        assertEquals(1, events.size(), events::toString);
        ImportHeld held = Json.read(events.getFirst().detail(), ImportHeld.class);
        assertEquals(340, held.records());
        assertEquals(List.of("hourly/1.csv", "hourly/2.csv"), held.files().stream().map(file -> file.key()).toList());
        assertEquals("PT1H", held.longestHold());
        assertTrue(ledger.lane(dataset).holding().reported());
        assertTrue(ledger.lane(dataset).holding().describe(WRITTEN.plus(Duration.ofHours(2)))
                .startsWith("waiting past the longest hold (PT1H since "));
        assertEquals(List.of("Query", "Query", "TransactWriteItems", "Query"), calls);
    }

    /** A client of DynamoDB Local that adds the name of each operation it sends to {@code calls}. */
    private static DynamoDbClient countingClient(List<String> calls) {
        ExecutionInterceptor counter = new ExecutionInterceptor() {
            @Override
            public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
                calls.add(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME));
            }
        };
        return clientBuilder().overrideConfiguration(config -> config.addExecutionInterceptor(counter)).build();
    }
}
