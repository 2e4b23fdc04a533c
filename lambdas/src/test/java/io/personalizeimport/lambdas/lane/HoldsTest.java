package io.personalizeimport.lambdas.lane;

import static io.personalizeimport.lambdas.lane.LaneWorld.EVENTS;
import static io.personalizeimport.lambdas.lane.LaneWorld.interactions;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.personalizeimport.lambdas.events.ImportHeld;
import io.personalizeimport.lambdas.events.OutboxEvent;
import io.personalizeimport.lambdas.json.Json;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Small interactions files of a coalescing route wait until together they hold Personalize's 1,000 records per job
 * (issue 19: a job of one 100-row file failed after its full run), and a hold past its longest hold is reported once.
 */
class HoldsTest {

    private final LaneWorld world = new LaneWorld();

    private long heldEvents() {
        return world.ledger.outbox(EVENTS).stream().filter(event -> event.detailType().equals(ImportHeld.DETAIL_TYPE))
                .count() + world.events.detailTypes().stream().filter(ImportHeld.DETAIL_TYPE::equals).count();
    }

    @Test
    void oneHundredRowFile_shouldWaitCountedInsteadOfStartingAJobThatFails() {
        UploadResult result = world.upload("events/hour-01.csv", interactions(100));

        assertEquals("PENDING", result.outcome(), result::toString);
        assertEquals(List.of(), world.jobs.jobNames(), "no job is spent on 100 interactions");
        assertEquals(100L, world.ledger.files(EVENTS).getFirst().records());
        Lane.Holding holding = world.lane(EVENTS).holding();
        assertEquals(100, holding.records());
        assertEquals("waiting: 100 of 1,000 interactions", holding.describe(world.clock.instant()));
    }

    @Test
    void tenHundredRowFiles_shouldBeOneJobOfAllTenWhenTheTenthArrives() {
        for (int i = 1; i <= 9; i++) {
            Lanes.Advance.Holding held = assertInstanceOf(Lanes.Advance.Holding.class, advanceAfter(i));
            assertEquals(100L * i, held.records());
            assertEquals(1_000, held.minimum());
        }

        UploadResult tenth = world.upload("events/hour-10.csv", interactions(100));

        assertEquals("IMPORTING", tenth.outcome(), tenth::toString);
        assertEquals(10, world.lane(EVENTS).running().entries().size(), "one import claims the ten files");
        assertEquals(List.of(), world.jobs.jobNames(), "its create task stages them and creates the job");
        assertNull(world.lane(EVENTS).holding(), "the claim ends the hold");
        assertEquals(10, world.ledger.statuses(EVENTS).stream().filter(s -> s.endsWith("=IMPORTING")).count());
    }

    private Lanes.Advance advanceAfter(int hour) {
        world.upload(String.format("events/hour-%02d.csv", hour), interactions(100));
        return world.lanes.advance(EVENTS);
    }

    @Test
    void aDuplicateDelivery_shouldWriteTheHoldNoSecondTime() {
        Notification.Created written = world.written("events/a.csv", interactions(100));
        world.notify(written);
        int writes = world.ledger.holdWrites();

        world.notify(written);

        assertEquals(writes, world.ledger.holdWrites());
    }

    @Test
    void anUncountedEntryRecordedBeforeCounting_shouldImportAsHoldingEnough() {
        world.upload("events/new.csv", interactions(10));
        Notification.Created legacy = world.written("events/legacy.csv", interactions(10));
        world.ledger.record(FileEntry.pending(LaneFile.written(world.config.routes().byName("events").orElseThrow(),
                legacy.object(), legacy.sequencer(), legacy.eventTime())), null);

        assertInstanceOf(Lanes.Advance.Started.class, world.lanes.advance(EVENTS));
        assertEquals(List.of("events/new.csv=IMPORTING", "events/legacy.csv=IMPORTING"), world.ledger.statuses(EVENTS));
    }

    @Test
    void aFileOfItsOwnBehindHeldFiles_shouldImportWhileTheyKeepWaiting() {
        world.upload("events/1.csv", interactions(100));
        world.upload("events/2.csv", interactions(100));

        UploadResult own = world.upload("taps/t.csv", LaneWorld.ENOUGH);

        assertEquals("IMPORTING", own.outcome(), own::toString);
        world.finish(EVENTS, "ACTIVE");
        assertEquals(List.of("events/1.csv=PENDING", "events/2.csv=PENDING", "taps/t.csv=IMPORTED"),
                world.ledger.statuses(EVENTS));
        assertEquals(200, world.lane(EVENTS).holding().records(), "the lane holds them again once free");
    }

    @Test
    void aFullFileBehindHeldFiles_shouldImportAndTheHeldFilesWaitForItsVerdict() {
        world.upload("events/1.csv", interactions(100));
        UploadResult full = world.upload("clicks/all.csv", LaneWorld.ENOUGH);
        assertEquals("IMPORTING", full.outcome(), full::toString);

        world.finish(EVENTS, "CREATE FAILED");

        assertEquals(List.of("events/1.csv=PENDING", "clicks/all.csv=FAILED"), world.ledger.statuses(EVENTS));
        assertEquals(100, world.lane(EVENTS).holding().records(), "a failed FULL replaced nothing: they wait on");
        assertEquals(1, world.jobs.jobNames().size());
    }

    @Test
    void aHoldPastItsLongestHold_shouldBeReportedOnceAndItsFilesKeepWaiting() {
        world.upload("events/1.csv", interactions(340));
        Holds holds = new Holds(world.config, world.ledger, world.clock);
        assertFalse(holds.sweep(EVENTS), "not yet past its 24 hours");

        world.clock.advance(Duration.ofHours(24));
        assertTrue(holds.sweep(EVENTS));
        assertFalse(holds.sweep(EVENTS), "reported once");
        world.upload("events/2.csv", interactions(10));

        assertEquals(1, heldEvents());
        OutboxEvent event = world.ledger.outbox(EVENTS).stream()
                .filter(each -> each.detailType().equals(ImportHeld.DETAIL_TYPE)).findFirst()
                .orElseGet(() -> world.events.published().stream()
                        .filter(each -> each.detailType().equals(ImportHeld.DETAIL_TYPE)).findFirst().orElseThrow());
        ImportHeld held = Json.read(event.detail(), ImportHeld.class);
        assertEquals(340, held.records());
        assertEquals(List.of("events/1.csv"), held.files().stream().map(file -> file.key()).toList());
        assertEquals("PT24H", held.longestHold());
        assertEquals(List.of("events/1.csv=PENDING", "events/2.csv=PENDING"), world.ledger.statuses(EVENTS));
        Lane.Holding holding = world.lane(EVENTS).holding();
        assertTrue(holding.reported(), "a file that joins the hold keeps it reported");
        assertEquals(350, holding.records());
        assertTrue(holding.describe(world.clock.instant()).startsWith("waiting past the longest hold (PT24H since "),
                holding.describe(world.clock.instant()));
    }

    @Test
    void aHoldThatOutlastsItsLongestHold_shouldBeReportedByTheNextFileToo() {
        world.upload("events/1.csv", interactions(10));
        world.clock.advance(Duration.ofHours(25));

        world.upload("events/2.csv", interactions(10));

        assertEquals(1, heldEvents());
    }

    @Test
    void aNewHoldAfterAnImport_shouldBeReportedAgainWhenItOutlastsItsLongestHold() {
        Holds holds = new Holds(world.config, world.ledger, world.clock);
        world.upload("events/1.csv", interactions(10));
        world.clock.advance(Duration.ofHours(25));
        assertTrue(holds.sweep(EVENTS));
        world.upload("events/2.csv", LaneWorld.ENOUGH);
        world.finish(EVENTS, "ACTIVE");
        world.upload("events/3.csv", interactions(10));
        world.clock.advance(Duration.ofHours(25));

        assertTrue(holds.sweep(EVENTS));
        assertEquals(2, heldEvents());
        assertNotNull(world.lane(EVENTS).holding());
    }

    @Test
    void moreNearEmptyFilesThanOneJobCarries_shouldBeReportedAtOnceAsUnableToGrow() {
        // GIVEN 500 one-record interactions files, as many as one job carries, held
        for (int i = 0; i < LanePlan.MAX_FILES; i++) {
            world.upload(String.format("events/tiny-%03d.csv", i), interactions(1));
        }
        assertEquals(0, heldEvents(), "500 files could still be one job, if they held 1,000");

        // WHEN one more arrives, which no job of theirs can carry
        UploadResult next = world.upload("events/tiny-500.csv", interactions(1));

        // THEN no job ran, and the hold was reported at once, saying why waiting cannot help
        assertEquals("PENDING", next.outcome(), next::toString);
        assertEquals(List.of(), world.jobs.jobNames());
        assertEquals(1, heldEvents());
        ImportHeld held = Json.read(world.ledger.outbox(EVENTS).stream()
                .filter(each -> each.detailType().equals(ImportHeld.DETAIL_TYPE)).findFirst()
                .orElseGet(() -> world.events.published().stream()
                        .filter(each -> each.detailType().equals(ImportHeld.DETAIL_TYPE)).findFirst().orElseThrow())
                .detail(), ImportHeld.class);
        assertEquals(LanePlan.MAX_FILES, held.fileCount());
        assertEquals(500, held.records());
        assertEquals("PT0S", held.longestHold());
        assertTrue(held.reason().startsWith("500 files of route events hold 500 of the 1,000 interactions"),
                held.reason());
        assertTrue(held.reason().contains("they cannot grow"), held.reason());
        assertTrue(world.lane(EVENTS).holding().reported());
    }
}
