package io.personalizeimport.lambdas.lane;

import static io.personalizeimport.lambdas.lane.LaneWorld.CSV;
import static io.personalizeimport.lambdas.lane.LaneWorld.GROUP;
import static io.personalizeimport.lambdas.lane.LaneWorld.USERS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.personalizeimport.lambdas.domain.MonitorInput;
import io.personalizeimport.lambdas.errors.InvalidImportRequestException;
import io.personalizeimport.lambdas.json.Json;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A dataset group's deletions ordered with its datasets' imports by when the data was written: what was written before
 * a list of users imports before its deletion, what was written after waits for its end, and no deletion runs while an
 * import of the group does.
 */
class DeletionsTest {

    private static final String USER_IDS = "USER_ID\nu1\nu2\n";

    private final LaneWorld world = LaneWorld.withDeletions();

    @Test
    void aDeletion_shouldWaitForTheImportsWrittenBeforeItAndHoldBackThoseWrittenAfter() {
        // GIVEN users a.csv importing, b.csv waiting, then a list of users to delete, then c.csv
        world.upload("users/a.csv", CSV);
        world.upload("users/b.csv", CSV);
        FileEntry deletion = world.requestDeletion("forget/2026-12-07.csv", USER_IDS);
        world.upload("users/c.csv", CSV);

        // WHEN the deletion lane is moved on: the import of a.csv runs
        Deletions.Advance first = world.deletions.advance(GROUP);

        // THEN the deletion waits for it
        assertEquals(new Deletions.Advance.WaitingForImport(USERS, world.lane(USERS).running().jobName(), null),
                first);

        // WHEN a.csv's import ends: b.csv, written before the list, imports next; c.csv, written after it, does not
        world.finish(USERS, "ACTIVE");
        assertEquals(List.of("users/a.csv=IMPORTED", "users/b.csv=IMPORTING", "users/c.csv=PENDING"),
                world.ledger.statuses(USERS));
        assertInstanceOf(Deletions.Advance.WaitingForImport.class, world.deletions.advance(GROUP));

        // WHEN b.csv's import ends
        world.finish(USERS, "ACTIVE");

        // THEN c.csv waits behind the deletion, which the release of b.csv's lane started
        assertEquals(List.of("users/a.csv=IMPORTED", "users/b.csv=IMPORTED", "users/c.csv=PENDING"),
                world.ledger.statuses(USERS));
        Lane.Running deleting = assertInstanceOf(Deletions.Advance.Busy.class, world.deletions.advance(GROUP))
                .running();
        assertEquals(FileStatus.DELETING, world.ledger.file(GROUP, deletion.file().sortKey()).orElseThrow()
                .standing().status());
        assertTrue(world.executions.names().contains(deleting.executionName()));

        // AND while it runs, the users lane starts nothing
        assertEquals(new Lanes.Advance.BehindDeletion(deleting.jobName(), null), world.lanes.advance(USERS));
        assertFalse(world.lane(USERS).isBusy());
    }

    @Test
    void aFileWrittenAfterAWaitingDeletion_shouldSayItWaitsBehindIt() {
        FileEntry deletion = world.requestDeletion("forget/list.csv", USER_IDS);
        world.upload("users/a.csv", CSV);

        Lanes.Advance advanced = world.lanes.advance(USERS);

        assertEquals(new Lanes.Advance.BehindDeletion(null, deletion.file().key()), advanced);
        assertEquals(List.of("users/a.csv=PENDING"), world.ledger.statuses(USERS));
    }

    @Test
    void anImportClaimThatADeletionStartGotAheadOf_shouldFailAndLeaveTheFileWaiting() {
        // GIVEN a list of users written before a users file, but told of late: while the file's lane plans its import
        Notification.Created list = world.written("forget/list.csv", USER_IDS);
        Notification.Created users = world.written("users/a.csv", CSV);
        world.ledger.beforeNextClaim(() -> {
            world.recordDeletion(list);
            world.deletions.advance(GROUP);
        });

        // WHEN the file's lane is moved on; the list is recorded and its deletion starts between its read and claim
        UploadResult result = world.notify(users);

        // THEN the file does not import while the deletion runs, and says so
        assertTrue(world.lane(GROUP).isBusy());
        assertFalse(world.lane(USERS).isBusy());
        assertEquals(List.of("users/a.csv=PENDING"), world.ledger.statuses(USERS));
        assertEquals("PENDING", result.outcome());
    }

    @Test
    void aDeletionStartThatAnImportClaimGotAheadOf_shouldFailAndWaitForThatImport() {
        // GIVEN a users file written before a list of users, told of only while the deletion lane plans
        Notification.Created users = world.written("users/a.csv", CSV);
        world.requestDeletion("forget/list.csv", USER_IDS);
        world.ledger.beforeNextClaim(() -> world.notify(users));

        // WHEN the deletion lane is moved on, and the file is recorded and claims its lane between its read and claim
        Deletions.Advance advanced = world.deletions.advance(GROUP);

        // THEN the deletion waits for the import that got ahead
        assertInstanceOf(Deletions.Advance.WaitingForImport.class, advanced);
        assertTrue(world.lane(USERS).isBusy());
        assertFalse(world.lane(GROUP).isBusy());
    }

    @Test
    void interactionsHeldForMoreRecords_shouldNotHoldADeletionUp() {
        world.upload("events/a.csv", CSV);
        assertTrue(world.lane(LaneWorld.EVENTS).holding() != null);
        world.requestDeletion("forget/list.csv", USER_IDS);

        assertInstanceOf(Deletions.Advance.Started.class, world.deletions.advance(GROUP));
    }

    @Test
    void aGroupWithNothingToDelete_shouldBeIdle() {
        assertEquals(new Deletions.Advance.Idle(), world.deletions.advance(GROUP));
    }

    @Test
    void aListOfUsersUploaded_shouldBeRecordedInItsGroupsLaneAndStartWhenNothingGoesFirst() {
        UploadResult result = world.upload("forget/list.csv", USER_IDS);

        assertEquals("DELETING", result.outcome(), result.detail());
        assertEquals(GROUP, result.datasetArn());
        assertTrue(world.lane(GROUP).isBusy());
    }

    @Test
    void aListUploadedBehindAnImportOfItsGroup_shouldSayWhatItWaitsFor() {
        UploadResult users = world.upload("users/a.csv", CSV);

        UploadResult result = world.upload("forget/list.csv", USER_IDS);

        assertEquals("PENDING", result.outcome());
        assertEquals("waits for the import " + users.jobName() + " of " + USERS, result.detail());
    }

    @Test
    void badLists_shouldBeRejectedBeforeAnyJobNamingWhatIsWrong() {
        world.deletionJobs.missingGroups.add(GROUP);
        assertEquals("Dataset group " + GROUP + " does not exist", world.upload("forget/a.csv", USER_IDS).detail());
        world.deletionJobs.missingGroups.clear();

        assertEquals("The file's header is [USER, ITEM_ID]: expected a USER_ID column listing the users to delete",
                world.upload("forget/b.csv", "USER,ITEM_ID\nu1,i1\n").detail());
        assertEquals(Notification.Created.EMPTY, world.upload("forget/c.csv", "").detail());
        assertEquals(List.of("forget/a.csv=REJECTED", "forget/b.csv=REJECTED", "forget/c.csv=REJECTED"),
                world.ledger.statuses(GROUP));
        assertFalse(world.lane(GROUP).isBusy());
        assertEquals(List.of("File Rejected", "File Rejected", "File Rejected"), world.events.detailTypes());
    }

    @Test
    void aDeletionThatCompleted_shouldRecordItsCountReportItAndLetTheImportsWrittenAfterItGo() {
        // GIVEN a deletion running, and a users file written after its list waiting for it
        FileEntry list = world.requestDeletion("forget/list.csv", USER_IDS);
        world.deletions.advance(GROUP);
        world.upload("users/c.csv", CSV);
        assertFalse(world.lane(USERS).isBusy());

        // WHEN its job completes, having removed 7 records
        FileStatus outcome = world.finishDeletion(new DeletionEnds.Verdict("COMPLETED", 7L, null, null));

        // THEN the list is DELETED with its count, one event says so, the lane is free and c.csv imports
        assertEquals(FileStatus.DELETED, outcome);
        FileEntry deleted = world.ledger.file(GROUP, list.file().sortKey()).orElseThrow();
        assertEquals(FileStatus.DELETED, deleted.standing().status());
        assertEquals(7L, deleted.records());
        assertFalse(world.lane(GROUP).isBusy());
        assertEquals(List.of("users/c.csv=IMPORTING"), world.ledger.statuses(USERS));
        assertEquals(List.of("Data Deletion Succeeded"), world.events.detailTypes());
    }

    @Test
    void aDeletionThatFailed_shouldSayWhyAndStillLetTheImportsGo() {
        world.requestDeletion("forget/list.csv", USER_IDS);
        world.deletions.advance(GROUP);
        world.upload("users/c.csv", CSV);

        FileStatus outcome = world.finishDeletion(new DeletionEnds.Verdict("FAILED", null, "DataDeletionJobFailed",
                "Access denied to s3://data-bucket/forget/list.csv"));

        assertEquals(FileStatus.FAILED, outcome);
        assertEquals(List.of("forget/list.csv=FAILED"), world.ledger.statuses(GROUP));
        assertEquals(List.of("users/c.csv=IMPORTING"), world.ledger.statuses(USERS));
        assertEquals(List.of("Data Deletion Failed"), world.events.detailTypes());
    }

    @Test
    void anImportThatEnds_shouldStartTheDeletionThatWaitedForIt() {
        world.upload("users/a.csv", CSV);
        world.requestDeletion("forget/list.csv", USER_IDS);
        world.deletions.advance(GROUP);
        assertFalse(world.lane(GROUP).isBusy());

        world.finish(USERS, "ACTIVE");

        assertTrue(world.lane(GROUP).isBusy(), "the release moved the group's deletion lane on");
    }

    @Test
    void theCreateTask_shouldCreateTheJobOnceAndFindItAgainWhenRetried() {
        world.requestDeletion("forget/list.csv", USER_IDS);
        Lane.Running running = assertInstanceOf(Deletions.Advance.Started.class, world.deletions.advance(GROUP))
                .running();
        MonitorInput.LaneDeletion input = Json.read(running.input(), MonitorInput.LaneDeletion.class);

        MonitorInput.LaneDeletion created = world.deletions.create(input);
        MonitorInput.LaneDeletion again = world.deletions.create(input);

        assertEquals(input.deletionRequest().jobArn(), created.dataDeletionJobArn());
        assertEquals(created, again);
        assertEquals(java.util.Set.of(running.jobName()), world.deletionJobs.names());
    }

    @Test
    void aJobOfTheNameCreatedBeforeTheClaim_shouldBeRefusedAsAnEarlierDeletions() {
        world.requestDeletion("forget/list.csv", USER_IDS);
        Lane.Running running = assertInstanceOf(Deletions.Advance.Started.class, world.deletions.advance(GROUP))
                .running();
        MonitorInput.LaneDeletion input = Json.read(running.input(), MonitorInput.LaneDeletion.class);
        world.deletionJobs.createdElsewhere(input.deletionRequest(), input.lane().claimedAt().minusSeconds(3600));

        var refused = assertThrows(InvalidImportRequestException.class, () -> world.deletions.create(input));

        assertTrue(refused.getMessage().startsWith("Data deletion job " + running.jobName() + " already exists:"
                + " Personalize created it at "), refused.getMessage());
    }

    @Test
    void aWatchThatGaveUpWhileTheJobMayStillRun_shouldHandTheListToANewExecutionAndKeepItDeleting() {
        FileEntry list = world.requestDeletion("forget/list.csv", USER_IDS);
        world.deletions.advance(GROUP);
        world.upload("users/c.csv", CSV);
        Lane.Running running = world.lane(GROUP).running();

        DeletionEnds.Verdict verdict = world.deletionEnds.finish(running.executionName(),
                Json.read(running.input(), MonitorInput.LaneDeletion.class), new Ending.TaskFailed(Ending.Task.DESCRIBE,
                        "io.personalizeimport.lambdas.errors.MonitorDeadlineExceededException",
                        "Data deletion job is still IN_PROGRESS after 2880 minutes"), null);

        assertEquals("DataDeletionMonitorTimedOut", verdict.error());
        assertTrue(verdict.cause().endsWith("the job may still finish: execution " + running.jobName()
                + "-resumed-1 watches it on and records its outcome"), verdict.cause());
        assertEquals(running.jobName() + "-resumed-1", world.lane(GROUP).running().executionName());
        assertTrue(world.executions.names().contains(running.jobName() + "-resumed-1"));
        assertEquals(FileStatus.DELETING, world.ledger.file(GROUP, list.file().sortKey()).orElseThrow().standing()
                .status());
        assertEquals(List.of("users/c.csv=PENDING"), world.ledger.statuses(USERS));
        assertEquals(List.of(), world.events.detailTypes());
    }

    @Test
    void aFinishedExecution_shouldBeJudgedByWhatItSawLast() {
        FileEntry list = world.requestDeletion("forget/list.csv", USER_IDS);
        world.deletions.advance(GROUP);
        Lane.Running running = world.lane(GROUP).running();
        MonitorInput.LaneDeletion input = Json.read(running.input(), MonitorInput.LaneDeletion.class);

        DeletionEnds.Verdict verdict = world.deletionEnds.finish(running.executionName(), input,
                new Ending.JobEnded("COMPLETED", null), 40L);

        assertTrue(verdict.deleted());
        assertEquals(40L, world.ledger.file(GROUP, list.file().sortKey()).orElseThrow().records());
        assertEquals(new Release.Verdict("DataDeletionRequestInvalid", "no such role"),
                Verdicts.ofDeletion(new Ending.TaskFailed(Ending.Task.CREATE,
                        "io.personalizeimport.lambdas.errors.InvalidImportRequestException", "no such role")));
        assertEquals(new Release.Verdict("DataDeletionMonitorFailed", "The describe function failed on every attempt"
                + " until the monitor deadline, last with Lambda.Unknown"), Verdicts.ofDeletion(new Ending.TaskFailed(
                        Ending.Task.DESCRIBE, "Lambda.Unknown", "{}")));
    }

    @Test
    void anOperatorsRequest_shouldPlaceTheListAsWrittenWhenTheExecutionStartedAndNameTheExecutionItRunsIn() {
        // GIVEN an import of the group running, and a list uploaded earlier
        UploadResult users = world.upload("users/a.csv", CSV);
        world.objects.put(LaneWorld.BUCKET, "forget/by-hand.csv", USER_IDS);
        java.time.Instant started = world.clock.instant().plusSeconds(5);

        // WHEN an operator starts an execution for it by hand
        MonitorInput.QueuedImport queued = operatorDeletions().request(world.config.routes().deletions().getFirst(),
                LaneWorld.BUCKET, "forget/by-hand.csv", "by-hand-1", started);

        // THEN the list waits in the group's lane, placed at the execution's start, and the result says for what
        assertEquals(GROUP, queued.queued().datasetArn());
        assertEquals("waits for the import " + users.jobName() + " of " + USERS, queued.queued().waitingFor());
        FileEntry list = world.ledger.files(GROUP).getFirst();
        assertEquals(FileStatus.PENDING, list.standing().status());
        assertEquals(started, list.file().eventTime());

        // AND once the import ends, the deletion runs as the execution the result named
        world.finish(USERS, "ACTIVE");
        assertEquals(queued.queued().jobName(), world.lane(GROUP).running().executionName());
    }

    @Test
    void anOperatorsRequestOfABadListOrAnotherBucket_shouldBeRefusedSayingWhy() {
        world.objects.put(LaneWorld.BUCKET, "forget/bad.csv", "USER,ITEM_ID\nu1,i1\n");
        DeletionUploads uploads = operatorDeletions();
        var route = world.config.routes().deletions().getFirst();

        var rejected = assertThrows(io.personalizeimport.lambdas.errors.DatasetImportRejectedException.class,
                () -> uploads.request(route, LaneWorld.BUCKET, "forget/bad.csv", "x", world.clock.instant()));
        var elsewhere = assertThrows(InvalidImportRequestException.class,
                () -> uploads.request(route, "other-bucket", "forget/bad.csv", "x", world.clock.instant()));
        var missing = assertThrows(InvalidImportRequestException.class,
                () -> uploads.request(route, LaneWorld.BUCKET, "forget/none.csv", "x", world.clock.instant()));

        assertEquals("The file's header is [USER, ITEM_ID]: expected a USER_ID column listing the users to delete",
                rejected.getMessage());
        assertEquals("Bucket 'other-bucket' is not the pipeline's bucket: expected " + LaneWorld.BUCKET,
                elsewhere.getMessage());
        assertTrue(missing.getMessage().startsWith("Object s3://" + LaneWorld.BUCKET + "/forget/none.csv does not"
                + " exist"), missing.getMessage());
    }

    private DeletionUploads operatorDeletions() {
        return new DeletionUploads(world.ledger, world.objects, world.deletions, new Settlements(world.ledger),
                world.events);
    }
}
