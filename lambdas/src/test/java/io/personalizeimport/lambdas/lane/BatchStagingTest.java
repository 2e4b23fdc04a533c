package io.personalizeimport.lambdas.lane;

import static io.personalizeimport.lambdas.lane.LaneWorld.BUCKET;
import static io.personalizeimport.lambdas.lane.LaneWorld.CSV;
import static io.personalizeimport.lambdas.lane.LaneWorld.EVENTS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.personalizeimport.lambdas.config.Staging;
import io.personalizeimport.lambdas.domain.MonitorInput;
import io.personalizeimport.lambdas.json.Json;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A coalesced batch staged by its execution's create task: bounded per call, resumed from what its folder holds. */
class BatchStagingTest {

    /** A running import holds the events lane while {@code count} more files wait; its release claims them as a batch. */
    private static MonitorInput.LaneImport batchOf(LaneWorld world, int count) {
        world.upload("events/0.csv", LaneWorld.ENOUGH);
        for (int i = 1; i <= count; i++) {
            world.upload("events/" + i + ".csv", LaneWorld.ENOUGH);
        }
        world.finish(EVENTS, "ACTIVE");
        return ExecutionInputs.read(world.lane(EVENTS).running().input());
    }

    private static MonitorInput.LaneImport create(LaneWorld world, MonitorInput.LaneImport input) {
        return world.operatorImports.create(input.createRequest(), input.source(), input.lane(), null);
    }

    private static String folder(MonitorInput.LaneImport input) {
        return Staging.PREFIX + input.createRequest().jobName() + "/";
    }

    @Test
    void aBatchClaimedWhileEveryCopyWouldFail_shouldStillClaimItsLaneAndStartItsExecution() {
        // GIVEN copies that fail (before the fix the claim copied, so it never happened and every retry copied again)
        LaneWorld world = new LaneWorld();
        world.objects.duringEachCopy(() -> {
            throw new InMemoryImportJobs.Unavailable("CopyObject");
        });

        // WHEN a burst of files waits behind a running import, which then ends
        MonitorInput.LaneImport input = batchOf(world, 3);

        // THEN the batch holds the lane with its execution started, and nothing was copied nor any job created early
        assertEquals(3, input.lane().entries().size());
        assertEquals("s3://" + BUCKET + "/" + folder(input), input.createRequest().dataLocation());
        assertTrue(world.executions.names().contains(input.createRequest().jobName()));
        assertEquals(List.of(), world.objects.copies());
        assertFalse(world.jobs.jobNames().contains(input.createRequest().jobName()), "created by its create task");
    }

    @Test
    void aCreateTaskCappedPerCall_shouldStageInRoundsResumingFromTheFolderThenCreateTheJob() {
        LaneWorld world = new LaneWorld(true, Integer.MAX_VALUE, new BatchStaging.Limits(8, Duration.ofSeconds(40), 2));
        MonitorInput.LaneImport input = batchOf(world, 6);
        // A copy an earlier attempt made before it failed counts as staged.
        world.objects.put(BUCKET, BatchStaging.copyKey(folder(input), 0, "events/1.csv"), CSV);

        MonitorInput.LaneImport first = create(world, input);
        MonitorInput.LaneImport second = create(world, first);
        MonitorInput.LaneImport third = create(world, second);

        assertEquals(new MonitorInput.Staging(3, 6, null), first.staging());
        assertEquals(new MonitorInput.Staging(5, 6, null), second.staging());
        assertNull(third.staging(), "all staged: the job is created");
        assertEquals(input.createRequest().dataLocation(), world.jobs.job(input.createRequest().jobName())
                .dataLocation());
        assertEquals(5, world.objects.copies().size(), "each missing file copied once: " + world.objects.copies());
        assertEquals(6, world.objects.keys(BUCKET, folder(input)).size());
    }

    @Test
    void slowCopies_shouldStopBeginningWhenTheBudgetIsSpentAndLeaveTheJobToTheNextCall() {
        LaneWorld world = new LaneWorld(true, Integer.MAX_VALUE,
                new BatchStaging.Limits(1, Duration.ofSeconds(40), 500));
        MonitorInput.LaneImport input = batchOf(world, 4);
        world.objects.duringEachCopy(() -> world.clock.advance(Duration.ofSeconds(30)));

        MonitorInput.LaneImport first = create(world, input);

        // Copies began at 0 and 30 s of the call, none at 60 s.
        assertEquals(new MonitorInput.Staging(2, 4, null), first.staging());
        MonitorInput.LaneImport second = create(world, first);
        assertEquals(new MonitorInput.Staging(4, 4, null), second.staging(),
                "the last copy ended past the budget: the job is left to a call with time for it");
        assertFalse(world.jobs.jobNames().contains(input.createRequest().jobName()));
        assertNull(create(world, second).staging());
        assertTrue(world.jobs.jobNames().contains(input.createRequest().jobName()));
    }

    @Test
    void manyFiles_shouldBeCopiedSeveralAtOnceButNeverMoreThanTheLimit() {
        LaneWorld world = new LaneWorld(true, Integer.MAX_VALUE,
                new BatchStaging.Limits(3, Duration.ofSeconds(40), 500));
        MonitorInput.LaneImport input = batchOf(world, 12);
        world.objects.duringEachCopy(() -> {
            try {
                Thread.sleep(30);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        });

        assertNull(create(world, input).staging());

        assertEquals(3, world.objects.mostCopiesAtOnce());
        assertEquals(12, world.objects.copies().size());
    }

    @Test
    void aCopyFailingPartWay_shouldFailTheCallAndTheRetryShouldCopyOnlyWhatIsMissing() {
        LaneWorld world = new LaneWorld(true, Integer.MAX_VALUE,
                new BatchStaging.Limits(1, Duration.ofSeconds(40), 500));
        MonitorInput.LaneImport input = batchOf(world, 4);
        AtomicInteger calls = new AtomicInteger();
        world.objects.duringEachCopy(() -> {
            if (calls.incrementAndGet() == 3) {
                throw new InMemoryImportJobs.Unavailable("CopyObject");
            }
        });

        assertThrows(InMemoryImportJobs.Unavailable.class, () -> create(world, input));
        assertEquals(2, world.objects.copies().size());
        assertNull(create(world, input).staging());

        List<String> copied = new ArrayList<>(world.objects.copies().stream().map(c -> c.split(" -> ")[0]).toList());
        assertEquals(List.of("events/1.csv", "events/2.csv", "events/3.csv", "events/4.csv"), copied);
    }

    @Test
    void theProgress_shouldBeInTheTasksOutputAndOmittedOnceTheJobExists() {
        LaneWorld world = new LaneWorld(true, Integer.MAX_VALUE, new BatchStaging.Limits(8, Duration.ofSeconds(40), 1));
        MonitorInput.LaneImport input = batchOf(world, 2);

        String partial = Json.write(create(world, input));

        assertTrue(partial.contains("\"staging\":{\"staged\":1,\"files\":2}"), partial);
        assertFalse(Json.write(create(world, input)).contains("\"staging\""));
    }

    @Test
    void aFileThatCannotBeCopied_shouldEndRejectedAndTheOthersImportInTheLanesNextBatch() {
        // GIVEN a batch of three whose second file may no longer be read
        LaneWorld world = new LaneWorld();
        MonitorInput.LaneImport input = batchOf(world, 3);
        world.objects.refuseReads(BUCKET, "events/2.csv", "AccessDenied: Access Denied");

        // WHEN its create task stages it, and its execution records the verdict
        MonitorInput.LaneImport staged = create(world, input);
        MonitorInput.Unreadable unreadable = staged.staging().unreadable();
        assertNotNull(unreadable);
        assertEquals("events/2.csv", unreadable.file());
        Endings.Finished finished = world.endings.end(new Ending(input.createRequest().jobName(),
                new Ending.Unstageable(unreadable.entry(), unreadable.file(), unreadable.reason()),
                new Ending.LaneClaim(input.lane(), null, input.createRequest().jobName()), Release.JobSeen.NONE));

        // THEN that file is REJECTED with the reason, the verdict says what happened, and the two others are claimed anew
        assertEquals(Release.Verdict.REJECTED, finished.verdict().error());
        assertTrue(finished.verdict().cause().startsWith("s3://" + BUCKET + "/events/2.csv cannot be read: AccessDenied"),
                finished.verdict().cause());
        assertTrue(finished.verdict().cause().endsWith("events/2.csv is REJECTED, no job was created, and the batch's"
                + " other 2 files wait in the lane for its next import"), finished.verdict().cause());
        String next = finished.released().next();
        assertNotNull(next);
        assertNotEquals(input.createRequest().jobName(), next);
        assertEquals(List.of("events/0.csv=IMPORTED", "events/1.csv=IMPORTING", "events/2.csv=REJECTED",
                "events/3.csv=IMPORTING"), world.ledger.statuses(EVENTS));
        assertEquals(2, ExecutionInputs.read(world.lane(EVENTS).running().input()).lane().entries().size());
        assertTrue(world.events.published().stream().anyMatch(event -> event.detailType().equals("File Rejected")
                && event.detail().contains("events/2.csv") && event.detail().contains("AccessDenied")),
                world.events.published()::toString);
    }

    @Test
    void theOneFileLeftOfABatch_shouldImportAloneUnderItsOwnJobAndARetriedVerdictShouldMoveNothing() {
        LaneWorld world = new LaneWorld();
        MonitorInput.LaneImport input = batchOf(world, 2);
        world.objects.delete(BUCKET, "events/1.csv");
        MonitorInput.Unreadable unreadable = create(world, input).staging().unreadable();
        Ending ending = new Ending(input.createRequest().jobName(),
                new Ending.Unstageable(unreadable.entry(), unreadable.file(), unreadable.reason()),
                new Ending.LaneClaim(input.lane(), null, input.createRequest().jobName()), Release.JobSeen.NONE);

        String next = world.endings.end(ending).released().next();
        world.endings.end(ending);

        assertTrue(next.startsWith("events-"), next);
        assertNotEquals(input.createRequest().jobName(), next);
        assertEquals("s3://" + BUCKET + "/events/2.csv", world.jobs.job(next).dataLocation());
        assertEquals(List.of("events/0.csv=IMPORTED", "events/1.csv=REJECTED", "events/2.csv=IMPORTING"),
                world.ledger.statuses(EVENTS));
        assertEquals(next, world.lane(EVENTS).running().executionName(), "the retry released nothing");
    }
}
