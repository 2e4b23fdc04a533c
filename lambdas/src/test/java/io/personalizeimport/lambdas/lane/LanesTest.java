package io.personalizeimport.lambdas.lane;

import static io.personalizeimport.lambdas.lane.LaneWorld.CSV;
import static io.personalizeimport.lambdas.lane.LaneWorld.EVENTS;
import static io.personalizeimport.lambdas.lane.LaneWorld.USERS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.personalizeimport.lambdas.config.Route;
import io.personalizeimport.lambdas.domain.ImportOutcome;
import io.personalizeimport.lambdas.domain.MonitorInput;
import io.personalizeimport.lambdas.domain.S3Object;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The lane moved on: claimed once, started again when its start was lost, resumed when its execution ended. */
class LanesTest {

    private final LaneWorld world = new LaneWorld();

    @Test
    void anIdleLane_shouldChangeNothing() {
        assertInstanceOf(Lanes.Advance.Idle.class, world.lanes.advance(USERS));
        assertFalse(world.lane(USERS).isBusy());
    }

    @Test
    void twoFunctionsPlanningFromOneReading_shouldLetExactlyOneClaimTheLane() {
        // GIVEN a file recorded on a free lane, and another function that claims it between this one's read and claim
        Notification.Created written = world.written("users/a.csv", CSV);
        world.ledger.beforeNextClaim(() -> world.lanes.advance(USERS));
        Route users = world.config.routes().byName("users").orElseThrow();
        world.ledger.record(FileEntry.pending(LaneFile.written(users, new S3Object(LaneWorld.BUCKET, written.key(),
                null, written.eTag(), written.size()), written.sequencer(), written.eventTime())), null);

        // WHEN this function plans too
        Lanes.Advance advanced = world.lanes.advance(USERS);

        // THEN it finds the lane busy with the other's claim: one job, one execution
        assertInstanceOf(Lanes.Advance.Busy.class, advanced);
        assertEquals(1, world.jobs.jobNames().size());
        assertEquals(1, world.executions.names().size());
    }

    @Test
    void aClaimWhoseExecutionWasNeverStarted_shouldBeStartedAgainWithTheSameNameAndInput() {
        world.upload("users/a.csv", CSV);
        Lane held = world.lane(USERS);
        // The function that claimed crashed before it noted the start: the lane item says so.
        world.ledger.resume(USERS, held.running().executionName(),
                held.running().handedTo(held.running().executionName()));

        Lanes.Advance advanced = world.lanes.advance(USERS);

        assertInstanceOf(Lanes.Advance.Busy.class, advanced);
        assertEquals(2, world.executions.starts(), "started again");
        assertEquals(1, world.executions.names().size(), "and deduplicated by name");
        assertTrue(world.lane(USERS).running().started());
    }

    @Test
    void aLaneHeldByAnExecutionThatEnded_shouldResumeItsImportInANewExecution() {
        UploadResult first = world.upload("users/a.csv", CSV);
        world.executions.end(first.jobName(), "ABORTED");
        world.clock.advance(Lanes.CHECK_AFTER.plusSeconds(1));

        UploadResult second = world.upload("users/b.csv", CSV);

        String resumed = first.jobName() + "-resumed-1";
        assertEquals("PENDING", second.outcome());
        assertEquals(resumed, world.lane(USERS).running().executionName());
        assertEquals(first.jobName(), world.lane(USERS).running().jobName(), "the same job, followed to its end");
        assertEquals(List.of(first.jobName(), resumed), world.executions.names());
        assertEquals(world.executions.input(first.jobName(), MonitorInput.LaneImport.class),
                world.executions.input(resumed, MonitorInput.LaneImport.class));
    }

    @Test
    void aLaneHeldByARunningExecution_shouldBeAskedAboutAtMostOncePerInterval() {
        UploadResult first = world.upload("users/a.csv", CSV);
        world.clock.advance(Lanes.CHECK_AFTER.plusSeconds(1));
        world.upload("users/b.csv", CSV);
        world.executions.end(first.jobName(), "FAILED");

        world.upload("users/c.csv", CSV);

        assertEquals(first.jobName(), world.lane(USERS).running().executionName(),
                "not asked again within " + Lanes.CHECK_EVERY);
        world.clock.advance(Lanes.CHECK_EVERY);
        world.upload("users/d.csv", CSV);
        assertEquals(first.jobName() + "-resumed-1", world.lane(USERS).running().executionName());
    }

    @Test
    void aStatusChangeOfTheExecutionHoldingTheLane_shouldResumeItAtOnce() {
        UploadResult first = world.upload("users/a.csv", CSV);
        world.executions.end(first.jobName(), "TIMED_OUT");

        Releases.Recovered recovered = world.releases.recover(first.jobName(), "TIMED_OUT", USERS, null);

        assertEquals(first.jobName() + "-resumed-1", recovered.resumedIn());
        assertNull(world.releases.recover("someone-else", "FAILED", USERS, null).resumedIn());
        assertNull(world.releases.recover(first.jobName(), "FAILED", null, null).datasetArn());
    }

    @Test
    void resumedNames_shouldCountUp() {
        Lane.Running running = new Lane.Running("job", "job-resumed-4", List.of(), Instant.EPOCH, true, "{}");

        assertEquals("job-resumed-5", Lanes.resumedName(running));
        assertEquals("job-resumed-1", Lanes.resumedName(new Lane.Running("job", "job", List.of(), Instant.EPOCH, true,
                "{}")));
    }

    @Test
    void aJobPersonalizeCannotTakeYet_shouldStillHoldTheLaneForItsExecutionToCreate() {
        world.jobs.refuse(ImportOutcome.Reason.JOB_LIMIT);

        UploadResult result = world.upload("users/a.csv", CSV);

        assertEquals("IMPORTING", result.outcome());
        assertTrue(world.jobs.jobNames().isEmpty(), "created later by the execution's create task");
        assertEquals(List.of(result.jobName()), world.executions.names());
    }

    @Test
    void filesBeyondWhatTheClaimMoves_shouldBeReadBackFromTheLedger() {
        LaneWorld small = new LaneWorld(true, 1);
        small.upload("events/1.csv", LaneWorld.ENOUGH);
        small.upload("events/2.csv", LaneWorld.ENOUGH);
        small.upload("events/3.csv", LaneWorld.ENOUGH);

        small.finish(EVENTS, "ACTIVE");

        assertEquals(List.of("events/1.csv=IMPORTED", "events/2.csv=IMPORTING", "events/3.csv=IMPORTING"),
                small.ledger.statuses(EVENTS));
    }

    @Test
    void aBusyLaneWaitedOnForTooLong_shouldNotBeResumedWhileItsExecutionRuns() {
        UploadResult first = world.upload("users/a.csv", CSV);
        world.clock.advance(Duration.ofHours(5));

        world.upload("users/b.csv", CSV);

        assertEquals(first.jobName(), world.lane(USERS).running().executionName());
    }
}
