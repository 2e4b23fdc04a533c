package io.personalizeimport.lambdas.lane;

import static io.personalizeimport.lambdas.lane.LaneWorld.CSV;
import static io.personalizeimport.lambdas.lane.LaneWorld.ENOUGH;
import static io.personalizeimport.lambdas.lane.LaneWorld.EVENTS;
import static io.personalizeimport.lambdas.lane.LaneWorld.ITEMS;
import static io.personalizeimport.lambdas.lane.LaneWorld.USERS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The region's import slots: a lane claims its next import only with a free slot and in its turn in line, ordered by
 * its oldest waiting file; a slot comes back when its import ends, and the lanes first in line then take it.
 */
class RegionAdmissionTest {

    @Test
    void aFullRegion_shouldPutTheLaneInLineAndStartItWhenTheSlotComesBack() {
        // GIVEN a pipeline that runs one import job at a time, running one
        LaneWorld world = new LaneWorld(1);
        world.upload("users/a.csv", CSV);

        // WHEN a file comes for another dataset
        UploadResult clicks = world.upload("clicks/all.csv", ENOUGH);

        // THEN it waits in its free lane, first in line, and no second job is created
        assertEquals("PENDING", clicks.outcome());
        assertEquals("waiting for an import slot of the region: 1st in line, 1 of 1 in use; the lane of " + EVENTS,
                clicks.detail());
        assertFalse(world.lane(EVENTS).isBusy());
        assertEquals(1, world.jobs.jobNames().size());
        assertEquals(List.of(EVENTS), world.ledger.region().line().stream().map(Region.Waiting::datasetArn).toList());

        // WHEN the running import ends
        world.finish(USERS, "ACTIVE");

        // THEN its slot goes to the lane in line, which leaves the line
        assertTrue(world.lane(EVENTS).isBusy());
        assertEquals(2, world.jobs.jobNames().size());
        assertEquals(List.of(EVENTS), world.ledger.region().slots().stream().map(Region.Slot::datasetArn).toList());
        assertEquals(List.of(), world.ledger.region().line());
        assertEquals(List.of("1 in use, 0 waiting"), world.events.slots());
    }

    @Test
    void lanesInLine_shouldTakeSlotsInTheOrderOfTheirOldestWaitingFileNotOfTheirTurnToAsk() {
        // GIVEN one slot, held; a clicks file written first but notified last, and a folder of items written after it
        LaneWorld world = new LaneWorld(1);
        world.upload("users/a.csv", CSV);
        Notification.Created clicks = world.written("clicks/all.csv", ENOUGH);
        world.upload("items/day1/part-0.csv", CSV);
        UploadResult items = world.upload("items/day1/_SUCCESS", "");
        assertEquals("PENDING", items.outcome(), items.detail());

        // WHEN the clicks file's notification comes
        UploadResult late = world.notify(clicks);

        // THEN its lane goes before the items' lane in line, since its file is older
        assertTrue(late.detail().startsWith("waiting for an import slot of the region: 1st in line"), late.detail());
        assertEquals(List.of(EVENTS, ITEMS), world.ledger.region().line().stream().map(Region.Waiting::datasetArn)
                .toList());

        // AND the slot goes to clicks when the users import ends, then to items when the clicks import ends
        world.finish(USERS, "ACTIVE");
        assertTrue(world.lane(EVENTS).isBusy());
        assertFalse(world.lane(ITEMS).isBusy());
        world.finish(EVENTS, "ACTIVE");
        assertTrue(world.lane(ITEMS).isBusy());
        assertEquals(3, world.jobs.jobNames().size());
    }

    @Test
    void aLaneInLine_shouldKeepItsPlaceWhenNewerFilesComeAndWriteItOnce() {
        // GIVEN one slot, held, and a clicks lane in line
        LaneWorld world = new LaneWorld(1);
        world.upload("users/a.csv", CSV);
        world.upload("clicks/day1.csv", ENOUGH);
        Region.Waiting first = world.ledger.region().waiting(EVENTS).orElseThrow();

        // WHEN a newer FULL file supersedes the waiting one, and another dataset's file comes in between
        world.upload("items/day1/part-0.csv", CSV);
        world.upload("items/day1/_SUCCESS", "");
        UploadResult newer = world.upload("clicks/day2.csv", ENOUGH);

        // THEN the clicks lane keeps its place before items, with no new write for its place
        assertTrue(newer.detail().startsWith("waiting for an import slot of the region: 1st in line"), newer.detail());
        assertEquals(first, world.ledger.region().waiting(EVENTS).orElseThrow());
        assertEquals(2, world.ledger.lineWrites(), "the clicks lane once, the items lane once");
    }

    @Test
    void aLaneInLineWithNothingLeftToImport_shouldLeaveTheLineWhenWokenAndPassTheSlotOn() {
        // GIVEN one slot, held; a clicks lane in line behind an items lane that no longer has anything to import
        LaneWorld world = new LaneWorld(1);
        world.upload("users/a.csv", CSV);
        world.ledger.await(ITEMS, world.clock.instant());
        world.upload("clicks/all.csv", ENOUGH);

        // WHEN the running import ends
        world.finish(USERS, "ACTIVE");

        // THEN the items lane leaves the line, and the clicks lane takes the slot
        assertFalse(world.lane(ITEMS).isBusy());
        assertTrue(world.lane(EVENTS).isBusy());
        assertEquals(List.of(), world.ledger.region().line());
    }

    @Test
    void aFreeSlotWithLanesBeforeThisOneInLine_shouldGoToThoseLanesFirst() {
        // GIVEN two slots, both held (one by an import whose end woke no one), and an items lane in line
        LaneWorld world = new LaneWorld(2);
        Region.Slot elsewhere = new Region.Slot(0, "arn:aws:personalize:us-east-1:123456789012:dataset/other/USERS",
                "other-job", world.clock.instant());
        world.ledger.holdSlot(elsewhere);
        world.upload("users/a.csv", CSV);
        world.upload("items/day1/part-0.csv", CSV);
        world.upload("items/day1/_SUCCESS", "");
        assertFalse(world.lane(ITEMS).isBusy());
        assertTrue(world.ledger.free(elsewhere));

        // WHEN a file comes for a third dataset
        UploadResult clicks = world.upload("clicks/all.csv", ENOUGH);

        // THEN the free slot goes to the items lane, first in line, and the clicks lane waits behind it
        assertTrue(world.lane(ITEMS).isBusy());
        assertFalse(world.lane(EVENTS).isBusy());
        assertEquals("waiting for an import slot of the region: 1st in line, 2 of 2 in use; the lane of " + EVENTS,
                clicks.detail());
    }

    @Test
    void aSlotThatNoLaneHolds_shouldBeFreedOnceItHadTimeToStartAndTheLineMoves() {
        // GIVEN the one slot held for a job no lane holds (a ledger edited by hand), and a users lane in line
        LaneWorld world = new LaneWorld(1);
        world.ledger.holdSlot(new Region.Slot(0, ITEMS, "items-gone", world.clock.instant()));
        UploadResult users = world.upload("users/a.csv", CSV);
        assertEquals("PENDING", users.outcome());

        // WHEN a minute later the line is woken: the slot is too young to be judged
        world.clock.advance(Duration.ofMinutes(1));
        world.lanes.wakeLine();
        assertFalse(world.lane(USERS).isBusy());

        // WHEN it is woken again once the slot had time to start its job
        world.clock.advance(Lanes.CHECK_AFTER);
        world.lanes.wakeLine();

        // THEN the slot is freed and the users lane takes it
        assertTrue(world.lane(USERS).isBusy());
        assertEquals(List.of(USERS), world.ledger.region().slots().stream().map(Region.Slot::datasetArn).toList());
    }

    @Test
    void heldInteractionsAndIdleLanes_shouldTakeNoSlotAndNoPlaceInLine() {
        LaneWorld world = new LaneWorld(1);

        Lanes.Advance held = world.lanes.advance(EVENTS);
        world.upload("events/a.csv", CSV);

        assertInstanceOf(Lanes.Advance.Idle.class, held);
        assertEquals(Region.empty(), world.ledger.region());
    }

    @Test
    void anImportThatEnds_shouldReturnItsSlotWithTheLane() {
        LaneWorld world = new LaneWorld();
        world.upload("users/a.csv", CSV);
        assertEquals(1, world.ledger.region().inUse());

        world.finish(USERS, "CREATE FAILED");

        assertEquals(0, world.ledger.region().inUse());
    }

    @Test
    void aPlaceInLine_shouldReadAsAnOrdinal() {
        assertEquals("waiting for an import slot of the region: 2nd in line, 5 of 5 in use", Region.describe(1, 5, 5));
        assertEquals("waiting for an import slot of the region: 3rd in line, 4 of 5 in use", Region.describe(2, 4, 5));
        assertEquals("waiting for an import slot of the region: 11th in line, 5 of 5 in use",
                Region.describe(10, 5, 5));
        assertEquals("waiting for an import slot of the region: 22nd in line, 5 of 5 in use",
                Region.describe(21, 5, 5));
    }
}
