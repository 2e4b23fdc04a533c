package io.personalizeimport.lambdas.lane;

import static io.personalizeimport.lambdas.lane.LaneWorld.CSV;
import static io.personalizeimport.lambdas.lane.LaneWorld.ITEMS;
import static io.personalizeimport.lambdas.lane.LaneWorld.USERS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.personalizeimport.lambdas.domain.MonitorInput;
import io.personalizeimport.lambdas.events.FileRejected;
import io.personalizeimport.lambdas.events.ImportEnded;
import io.personalizeimport.lambdas.json.Json;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The last task of every execution: its verdict, recorded on the files of its lane, and the lane released. */
class EndingsTest {

    private final LaneWorld world = new LaneWorld();

    @Test
    void anImportThatEndedActive_shouldImportItsFilesAndStartTheNextOne() {
        UploadResult first = world.upload("users/a.csv", CSV);
        world.upload("users/b.csv", CSV);

        Endings.Finished finished = world.finish(USERS, "ACTIVE");

        assertTrue(finished.verdict().isImported());
        assertEquals(FileStatus.IMPORTED, finished.released().outcome());
        assertEquals(List.of("users/a.csv"), finished.released().files());
        assertEquals(world.lane(USERS).running().jobName(), finished.released().next());
        assertTrue(finished.released().next().startsWith("users-b-"), finished.released().next());
        assertEquals(List.of("users/a.csv=IMPORTED", "users/b.csv=IMPORTING"), world.ledger.statuses(USERS));
        ImportEnded ended = Json.read(world.events.published().getFirst().detail(), ImportEnded.class);
        assertEquals(first.jobName(), ended.jobName());
        assertEquals("ACTIVE", ended.jobStatus());
        assertEquals(60L, ended.durationSeconds());
        assertEquals(3L, ended.polls());
        assertEquals(List.of(USERS + "=0"), world.events.waitingCounts());
    }

    private static final String DEADLINE = "io.personalizeimport.lambdas.errors.MonitorDeadlineExceededException";

    @Test
    void aWatchThatReachedItsDeadline_shouldHandTheLaneToANewWatchNotFailTheFiles() {
        // GIVEN an import whose job still runs when its execution's monitor deadline passes
        UploadResult first = world.upload("users/a.csv", CSV);

        // WHEN the execution's last task records that
        Endings.Finished finished = world.describeFailed(USERS, DEADLINE, "Import job still CREATE IN_PROGRESS");

        // THEN the execution says it gave up and who watches on; the file waits for the job's real end
        assertEquals("DatasetImportMonitorTimedOut", finished.verdict().error());
        assertTrue(finished.verdict().cause().endsWith("; the job may still finish: execution " + first.jobName()
                + "-resumed-1 watches it on and records its outcome"), finished.verdict().cause());
        assertNull(finished.released(), "the lane is not released while the job may run");
        assertEquals(List.of("users/a.csv=IMPORTING"), world.ledger.statuses(USERS));
        assertEquals(first.jobName() + "-resumed-1", world.lane(USERS).running().executionName());
        assertTrue(world.executions.names().contains(first.jobName() + "-resumed-1"));
        assertTrue(world.events.published().isEmpty(), "no outcome yet");

        // WHEN the job then ends ACTIVE under the new watch
        world.finish(USERS, "ACTIVE");

        // THEN the file's verdict is the job's
        assertEquals(List.of("users/a.csv=IMPORTED"), world.ledger.statuses(USERS));
    }

    @Test
    void aWatchHandedOnItsLastTime_shouldFailTheFilesSayingSo() {
        world.upload("users/a.csv", CSV);
        for (int handed = 0; handed < Lanes.MAX_HANDOVERS; handed++) {
            world.describeFailed(USERS, DEADLINE, "Import job still CREATE IN_PROGRESS");
        }

        Endings.Finished finished = world.describeFailed(USERS, DEADLINE, "Import job still CREATE IN_PROGRESS");

        assertEquals("DatasetImportMonitorTimedOut", finished.verdict().error());
        assertEquals(List.of("users/a.csv=FAILED"), world.ledger.statuses(USERS));
        assertFalse(world.lane(USERS).isBusy());
    }

    @Test
    void aDescribeThatPersonalizeRefuses_shouldFailTheFilesAtOnce() {
        world.upload("users/a.csv", CSV);

        Endings.Finished finished = world.describeFailed(USERS,
                "io.personalizeimport.lambdas.errors.ServiceRefusedException", "AccessDeniedException: not allowed");

        assertEquals("DatasetImportMonitorFailed", finished.verdict().error());
        assertEquals(List.of("users/a.csv=FAILED"), world.ledger.statuses(USERS));
    }

    @Test
    void anImportThatFailed_shouldFailItsFilesWithPersonalizesReason() {
        world.upload("users/a.csv", CSV);

        Endings.Finished finished = world.finish(USERS, "CREATE FAILED");

        assertEquals("DatasetImportJobFailed", finished.verdict().error());
        assertEquals("Input CSV is missing the following columns: [TIMESTAMP]", finished.verdict().cause());
        assertEquals(List.of("users/a.csv=FAILED"), world.ledger.statuses(USERS));
        assertEquals("DatasetImportJobFailed: Input CSV is missing the following columns: [TIMESTAMP]",
                world.ledger.files(USERS).getFirst().standing().reason());
        assertEquals(List.of(ImportEnded.FAILED), world.events.detailTypes());
        assertFalse(world.lane(USERS).isBusy());
    }

    @Test
    void aRetriedEnding_shouldRecordNothingTwice() {
        world.upload("users/a.csv", CSV);
        MonitorInput.LaneImport input = ExecutionInputs.read(world.lane(USERS).running().input());
        Ending ending = new Ending(input.createRequest().jobName(), new Ending.JobEnded("ACTIVE", null),
                new Ending.LaneClaim(input.lane(), null, input.createRequest().jobName()), Release.JobSeen.NONE);
        world.endings.end(ending);

        Endings.Finished again = world.endings.end(ending);

        assertTrue(again.verdict().isImported());
        assertEquals(1, world.events.published().size());
        assertEquals(List.of("users/a.csv=IMPORTED"), world.ledger.statuses(USERS));
    }

    @Test
    void aFileTheCreateTaskRejected_shouldEndRejectedWithItsOwnEvent() {
        world.upload("users/a.csv", CSV);
        MonitorInput.LaneImport input = ExecutionInputs.read(world.lane(USERS).running().input());

        Endings.Finished finished = world.endings.end(new Ending(input.createRequest().jobName(),
                new Ending.TaskFailed(Ending.Task.CREATE,
                        "io.personalizeimport.lambdas.errors.DatasetImportRejectedException", "Header is wrong"),
                new Ending.LaneClaim(input.lane(), null, input.createRequest().jobName()), null));

        assertEquals(Release.Verdict.REJECTED, finished.verdict().error());
        assertEquals(List.of("users/a.csv=REJECTED"), world.ledger.statuses(USERS));
        assertEquals(List.of(FileRejected.DETAIL_TYPE), world.events.detailTypes());
    }

    @Test
    void anOperatorsExecutionThatEndedBeforeItHeldTheLane_shouldSettleTheFilesItPlaced() {
        world.upload("users/a.csv", CSV);
        world.objects.put(LaneWorld.BUCKET, "users/mine.csv", CSV);
        MonitorInput placed = world.operatorImports.place(new OperatorRequest.ForObject(LaneWorld.BUCKET,
                "users/mine.csv"), "console-run", null);

        Endings.Finished finished = world.endings.end(new Ending("console-run",
                new Ending.TaskFailed(Ending.Task.DESCRIBE, "States.Timeout", null),
                new Ending.LaneClaim(null, new Release.Asked(null, "users/mine.csv"), null), null));

        assertInstanceOf(MonitorInput.QueuedImport.class, placed);
        assertEquals("DatasetImportMonitorFailed", finished.verdict().error());
        assertEquals(List.of("users/mine.csv"), finished.released().files());
        assertEquals(List.of("users/a.csv=IMPORTING", "users/mine.csv=FAILED"), world.ledger.statuses(USERS));
    }

    @Test
    void aQueuedImport_shouldSucceedWithoutReleasingAnything() {
        UploadResult first = world.upload("users/a.csv", CSV);

        Endings.Finished finished = world.endings.end(new Ending("console-run", new Ending.Queued("users/b.csv",
                USERS, first.jobName(), "users-b"), new Ending.LaneClaim(null, new Release.Asked(USERS, null), null),
                null));

        assertTrue(finished.verdict().isImported());
        assertNull(finished.released());
        assertEquals(first.jobName(), world.lane(USERS).running().executionName());
    }

    @Test
    void aFolderWhoseMarkerNeverCame_shouldFailNamingTheFolderAndWhatToWrite() {
        world.upload("items/day1/part-0.csv", CSV);
        world.upload("items/day1/part-1.csv", CSV);
        MonitorInput.WatchedFolder watch = world.executions.input(world.executions.names().getFirst(),
                MonitorInput.WatchedFolder.class);

        Endings.Finished finished = world.endings.end(new Ending("watch", new Ending.FolderWaited(watch.folderWatch()),
                null, null));

        assertEquals("DatasetFolderIncomplete", finished.verdict().error());
        assertEquals("Folder s3://" + LaneWorld.BUCKET + "/items/day1/ of route 'items' has 2 part file(s) waiting"
                + " but no _SUCCESS marker PT1H after its first part: it is not imported half; write s3://"
                + LaneWorld.BUCKET + "/items/day1/_SUCCESS to import it whole", finished.verdict().cause());
        assertNull(finished.released());
    }

    @Test
    void aFolderWhoseMarkerCame_shouldSucceed() {
        world.upload("items/day1/part-0.csv", CSV);
        MonitorInput.WatchedFolder watch = world.executions.input(world.executions.names().getFirst(),
                MonitorInput.WatchedFolder.class);
        world.upload("items/day1/_SUCCESS", "");

        Endings.Finished finished = world.endings.end(new Ending("watch", new Ending.FolderWaited(watch.folderWatch()),
                null, null));

        assertTrue(finished.verdict().isImported());
        assertTrue(world.lane(ITEMS).isBusy(), "the folder imports in the marker's execution");
    }

    @Test
    void aFolderSupersededByANewerOne_shouldTakeItsPartFilesWithIt() {
        // GIVEN a folder importing, and two more complete folders waiting behind it
        world.upload("items/day1/part-0.csv", CSV);
        world.upload("items/day1/_SUCCESS", "");
        world.upload("items/day2/part-0.csv", CSV);
        world.upload("items/day2/part-1.csv", CSV);
        world.upload("items/day2/_SUCCESS", "");
        world.upload("items/day3/part-0.csv", CSV);
        world.upload("items/day3/_SUCCESS", "");

        // WHEN each import ends in turn, until the lane is idle
        while (world.lane(ITEMS).isBusy()) {
            world.finish(ITEMS, "ACTIVE");
        }

        // THEN the newest folder imported, day2 and its parts were superseded by it, and no part waits for good
        assertEquals(List.of(), world.ledger.files(ITEMS, FileStatus.PENDING));
        List<FileEntry> superseded = world.ledger.files(ITEMS, FileStatus.SUPERSEDED);
        assertEquals(List.of("items/day2/", "items/day2/part-0.csv", "items/day2/part-1.csv"), superseded.stream()
                .map(entry -> entry.file().key()).sorted().toList());
        assertTrue(superseded.stream().allMatch(entry -> "items/day3/".equals(entry.standing().supersededBy())));
    }

    @Test
    void aRejectionByTheTrigger_shouldFailWithoutALane() {
        Endings.Finished finished = world.endings.end(new Ending("users-bad", new Ending.Rejected("Header is wrong"),
                null, null));

        assertEquals(new Release.Verdict(Release.Verdict.REJECTED, "Header is wrong"), finished.verdict());
        assertNull(finished.released());
    }
}
