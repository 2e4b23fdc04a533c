package io.personalizeimport.lambdas.lane;

import static io.personalizeimport.lambdas.lane.LaneWorld.CSV;
import static io.personalizeimport.lambdas.lane.LaneWorld.EVENTS;
import static io.personalizeimport.lambdas.lane.LaneWorld.ITEMS;
import static io.personalizeimport.lambdas.lane.LaneWorld.USERS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.personalizeimport.lambdas.config.Staging;
import io.personalizeimport.lambdas.domain.MonitorInput;
import io.personalizeimport.lambdas.events.FileRejected;
import io.personalizeimport.lambdas.events.FileSuperseded;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A notified upload's way into its lane: routed, filtered, checked, recorded, and the lane moved on. */
class UploadsTest {

    private final LaneWorld world = new LaneWorld();

    @Test
    void aFileOnAFreeLane_shouldStartItsImportAtOnce() {
        UploadResult result = world.upload("users/2026-12-01.csv", CSV);

        assertEquals("IMPORTING", result.outcome(), result::toString);
        assertEquals(List.of(result.jobName()), world.jobs.jobNames());
        assertEquals(List.of(result.jobName()), world.executions.names());
        assertEquals(world.executions.arn(result.jobName()), result.executionArn());
        assertEquals(result.jobName(), world.lane(USERS).running().executionName());
        assertTrue(world.lane(USERS).running().started(), "the claim's execution is marked as started");
    }

    @Test
    void theFileOfAFreeLane_shouldBeReadOnceForItsPreflightAndItsLaneCheck() {
        world.upload("users/once.csv", CSV);

        assertEquals(List.of("users/once.csv"), world.objects.reads());
    }

    @Test
    void aPreflightAndEarlyCreateThatCannotBeMade_shouldLeaveTheImportToItsExecution() {
        // GIVEN Personalize not answering, and a file whose header its preflight would refuse
        world.jobs.unavailable(true);

        UploadResult result = world.upload("users/unchecked.csv", "USER_ID\nu1\n");

        // THEN the file is not rejected on a check that was not made: its execution makes the check and the job
        assertEquals("IMPORTING", result.outcome(), result::toString);
        assertEquals(List.of(), world.jobs.jobNames(), "no job was created early");
        assertEquals(List.of(result.jobName()), world.executions.names());
    }

    @Test
    void aFileOnABusyLane_shouldWaitPendingBehindTheImportThatHoldsIt() {
        UploadResult first = world.upload("users/a.csv", CSV);

        UploadResult second = world.upload("users/b.csv", CSV);

        assertEquals("PENDING", second.outcome(), second::toString);
        assertEquals("waits in the lane of " + USERS, second.detail());
        assertNull(second.executionArn());
        assertEquals(List.of(first.jobName()), world.jobs.jobNames(), "no second job while the lane is busy");
    }

    @Test
    void aDuplicateDelivery_shouldRecordNothingTwiceAndStartNothingNew() {
        Notification.Created written = world.written("users/a.csv", CSV);
        UploadResult first = world.notify(written);

        UploadResult again = world.notify(written);

        assertEquals("DUPLICATE", again.outcome());
        assertEquals(first.jobName(), again.jobName());
        assertEquals(1, world.ledger.files(USERS).size());
        assertEquals(1, world.jobs.jobNames().size());
        assertEquals(1, world.executions.names().size());
    }

    @Test
    void shuffledDeliveries_shouldLeaveTheNewestFullFileAsTheDatasetsLastImport() {
        // GIVEN three writes of one day's users, whose events arrive newest first
        Notification.Created a = world.written("users/a.csv", CSV);
        Notification.Created b = world.written("users/b.csv", CSV);
        Notification.Created c = world.written("users/c.csv", CSV);

        // WHEN the newest imports first and the older ones arrive late
        UploadResult newest = world.notify(c);
        world.notify(a);
        world.notify(b);
        world.finish(USERS, "ACTIVE");

        // THEN the older files, which waited while the newest imported, never import over its data
        assertEquals("IMPORTING", newest.outcome());
        assertEquals(List.of("users/a.csv=SUPERSEDED", "users/b.csv=SUPERSEDED", "users/c.csv=IMPORTED"),
                world.ledger.statuses(USERS));
        assertEquals(List.of(newest.jobName()), world.jobs.jobNames());
        assertEquals(List.of("Dataset Import Succeeded", FileSuperseded.DETAIL_TYPE, FileSuperseded.DETAIL_TYPE),
                world.events.detailTypes());
    }

    @Test
    void aNewerFullFileWhoseImportFails_shouldLeaveTheOlderGoodFileToImportAfterIt() {
        // GIVEN a users file importing, and a good file and a newer one Personalize will refuse waiting behind it
        world.upload("users/a.csv", CSV);
        world.upload("users/good.csv", CSV);
        world.upload("users/bad.csv", CSV);
        world.finish(USERS, "ACTIVE");
        assertEquals(List.of("users/a.csv=IMPORTED", "users/good.csv=PENDING", "users/bad.csv=IMPORTING"),
                world.ledger.statuses(USERS), "the older file waits for the newer FULL's verdict, not superseded yet");

        // WHEN the newer FULL import fails
        world.finish(USERS, "CREATE FAILED");

        // THEN it replaced nothing: the good file imports next, and the dataset ends with it
        assertEquals(List.of("users/a.csv=IMPORTED", "users/good.csv=IMPORTING", "users/bad.csv=FAILED"),
                world.ledger.statuses(USERS));
        world.finish(USERS, "ACTIVE");
        assertEquals(List.of("users/a.csv=IMPORTED", "users/good.csv=IMPORTED", "users/bad.csv=FAILED"),
                world.ledger.statuses(USERS));
        assertEquals(new Lane.LastFull(world.ledger.files(USERS).get(1).file().order(), "users/good.csv"),
                world.lane(USERS).lastFull(), "only an import that succeeded replaced the dataset");
    }

    @Test
    void aFileWithTheWrongHeader_shouldBeRejectedWithItsOwnFailedExecutionAndEvent() {
        UploadResult result = world.upload("users/bad.csv", "USER,AGE\n1,2\n");

        assertEquals("REJECTED", result.outcome());
        assertEquals("Header is 'USER,AGE': expected " + InMemoryImportJobs.HEADER, result.detail());
        assertEquals(List.of("users/bad.csv=REJECTED"), world.ledger.statuses(USERS));
        assertEquals(List.of(FileRejected.DETAIL_TYPE), world.events.detailTypes());
        MonitorInput.RejectedFile input = world.executions.input(result.jobName(), MonitorInput.RejectedFile.class);
        assertEquals(result.detail(), input.rejection().reason());
        assertTrue(world.jobs.jobNames().isEmpty(), "no job is spent on a refused file");
        assertTrue(!world.lane(USERS).isBusy(), "a refused file never holds the lane");
    }

    @Test
    void aRejectedFileDeliveredTwice_shouldBeReportedOnce() {
        Notification.Created bad = world.written("users/bad.csv", "USER,AGE\n1,2\n");
        world.notify(bad);

        UploadResult again = world.notify(bad);

        assertEquals("DUPLICATE", again.outcome());
        assertEquals(1, world.events.published().size());
    }

    @Test
    void withPreflightOff_aFileShouldImportWithoutItsHeaderChecked() {
        LaneWorld unchecked = new LaneWorld(false, Integer.MAX_VALUE);

        UploadResult result = unchecked.upload("users/bad.csv", "USER,AGE\n1,2\n");

        assertEquals("IMPORTING", result.outcome());
    }

    @Test
    void keysThatAreNoImport_shouldBeSkippedWithTheReason() {
        assertEquals("key matches no route; routed prefixes: [users/, events/, items/, clicks/, people/, taps/]",
                world.upload("other/a.csv", CSV).detail());
        assertEquals("key does not end in .csv", world.upload("users/a.txt", CSV).detail());
        assertEquals("route 'items' imports whole folders: expected items/<folder>/<file>.csv and a _SUCCESS marker"
                + " last", world.upload("items/loose.csv", CSV).detail());
        assertEquals("record has no s3 bucket or object",
                world.notify(new Notification.Skipped(null, "record has no s3 bucket or object")).detail());
        assertTrue(world.ledger.files(USERS).isEmpty());
    }

    @Test
    void anEmptyFile_shouldBeRejectedInTheLedgerWithTheReason() {
        UploadResult result = world.upload("users/empty.csv", "");

        assertEquals("REJECTED", result.outcome(), result::toString);
        assertEquals(Notification.Created.EMPTY, result.detail());
        assertEquals(List.of("users/empty.csv=REJECTED"), world.ledger.statuses(USERS));
        assertTrue(world.events.detailTypes().contains(FileRejected.DETAIL_TYPE));
    }

    @Test
    void anEventWithSizeZeroForAnObjectThatHoldsData_shouldImportIt() {
        // Lambda's Java runtime reads an event without a size as size 0: the object itself says whether it is empty.
        world.objects.put(LaneWorld.BUCKET, "users/sized.csv", CSV);
        var sizeless = new Notification.Created(LaneWorld.BUCKET, "users/sized.csv", null, null, 0, "0B",
                Instant.parse("2026-12-01T10:00:00Z"));

        assertEquals("IMPORTING", world.notify(sizeless).outcome());
    }

    @Test
    void anEmptyPartOfAFolder_shouldBeSkippedAsItsFolderImportsWithoutIt() {
        assertEquals("object is empty (0 bytes): its folder imports without it",
                world.upload("items/day1/empty.csv", "").detail());
    }

    @Test
    void anObjectDeletedBeforeItCouldBeRead_shouldBeSkipped() {
        // An event without eTag or version names no write: the object is read for it, and it is gone.
        var unnamed = new Notification.Created(LaneWorld.BUCKET, "users/gone.csv", null, null, 10, "0A",
                Instant.parse("2026-12-01T10:00:00Z"));

        UploadResult result = world.notify(unnamed);

        assertEquals("SKIPPED", result.outcome());
        assertEquals("object no longer exists: deleted before it could be read", result.detail());
    }

    @Test
    void aWriteThatOverwritesAWaitingFile_shouldSupersedeItWhenItsTurnComes() {
        world.upload("users/a.csv", CSV);
        Notification.Created waiting = world.written("users/b.csv", CSV);
        world.notify(waiting);
        // The same key is written again before the lane frees; its own event comes later.
        Notification.Created newer = world.written("users/b.csv", CSV + "3,4,1700000001\n");

        world.finish(USERS, "ACTIVE");
        UploadResult result = world.notify(newer);

        assertEquals(List.of("users/a.csv=IMPORTED", "users/b.csv=SUPERSEDED", "users/b.csv=IMPORTING"),
                world.ledger.statuses(USERS));
        assertEquals("IMPORTING", result.outcome());
        String reason = world.ledger.files(USERS).get(1).standing().reason();
        assertTrue(reason.startsWith("overwritten before its turn by a newer write (eTag "), reason);
    }

    @Test
    void partsOfAFolder_shouldWaitForTheMarkerAndImportAsOneJobWhenItComes() {
        UploadResult first = world.upload("items/day1/part-0.csv", CSV);
        UploadResult second = world.upload("items/day1/part-1.csv", CSV);

        UploadResult marker = world.upload("items/day1/_SUCCESS", "");

        assertEquals("WAITING_FOR_MARKER", first.outcome());
        assertEquals("WAITING_FOR_MARKER", second.outcome());
        assertEquals(1, world.executions.names().stream().filter(name -> name.contains("watch")).count(),
                "one watch per folder: " + world.executions.names());
        assertEquals("IMPORTING", marker.outcome());
        assertEquals("items/day1/", marker.key());
        assertEquals("s3://" + LaneWorld.BUCKET + "/items/day1/",
                world.jobs.job(marker.jobName()).dataLocation());
        world.finish(ITEMS, "ACTIVE");
        assertEquals(List.of("items/day1/part-0.csv=IMPORTED", "items/day1/part-1.csv=IMPORTED",
                "items/day1/=IMPORTED"), world.ledger.statuses(ITEMS));
    }

    @Test
    void aPartWhoseEventCameAfterItsFoldersImport_shouldGetThatImportsOutcomeAndNoWatch() {
        // GIVEN a folder with two parts, whose second part's first delivery failed: the marker imported the folder
        world.upload("items/day1/part-0.csv", CSV);
        Notification.Created late = world.written("items/day1/part-1.csv", CSV);
        world.upload("items/day1/_SUCCESS", "");
        world.finish(ITEMS, "ACTIVE");
        long watches = world.executions.names().stream().filter(name -> name.contains("watch")).count();

        // WHEN the late part's event is delivered again
        UploadResult result = world.notify(late);

        // THEN it was in the folder when the folder's job read it: it gets that job's outcome, and no watch opens
        assertEquals("IMPORTED", result.outcome(), result::toString);
        assertEquals(List.of("items/day1/part-0.csv=IMPORTED", "items/day1/part-1.csv=IMPORTED",
                "items/day1/=IMPORTED"), world.ledger.statuses(ITEMS));
        assertEquals(watches, world.executions.names().stream().filter(name -> name.contains("watch")).count());
    }

    @Test
    void aPartWhoseEventCameWhileItsFolderImports_shouldGetTheImportsOutcomeWhenItEnds() {
        world.upload("items/day1/part-0.csv", CSV);
        Notification.Created late = world.written("items/day1/part-1.csv", CSV);
        world.upload("items/day1/_SUCCESS", "");

        UploadResult result = world.notify(late);
        world.finish(ITEMS, "CREATE FAILED");

        assertEquals("WAITING_FOR_FOLDER_IMPORT", result.outcome(), result::toString);
        assertEquals(List.of("items/day1/part-0.csv=FAILED", "items/day1/part-1.csv=FAILED",
                "items/day1/=FAILED"), world.ledger.statuses(ITEMS));
    }

    @Test
    void aPartWrittenAfterItsFoldersMarker_shouldWaitForANewMarkerWithAWatch() {
        world.upload("items/day1/part-0.csv", CSV);
        world.upload("items/day1/_SUCCESS", "");
        world.finish(ITEMS, "ACTIVE");

        UploadResult result = world.upload("items/day1/part-1.csv", CSV);

        assertEquals("WAITING_FOR_MARKER", result.outcome());
        assertEquals(2, world.executions.names().stream().filter(name -> name.contains("watch")).count());
    }

    @Test
    void incrementalFilesThatWaited_shouldBeClaimedTogetherForTheirStagingFolder() {
        UploadResult first = world.upload("events/1.csv", LaneWorld.ENOUGH);
        world.upload("events/2.csv", LaneWorld.interactions(500));
        world.upload("events/3.csv", LaneWorld.interactions(500));

        Endings.Finished finished = world.finish(EVENTS, "ACTIVE");

        String next = finished.released().next();
        assertNotNull(next, "the two waiting files start as the lane's next job");
        String location = ExecutionInputs.read(world.lane(EVENTS).running().input()).createRequest().dataLocation();
        assertEquals("s3://" + LaneWorld.BUCKET + "/" + Staging.PREFIX + next + "/",
                location);
        assertEquals(List.of(), world.objects.copies(), "its execution's create task stages them (BatchStagingTest)");
        assertEquals(List.of("events/1.csv=IMPORTED", "events/2.csv=IMPORTING", "events/3.csv=IMPORTING"),
                world.ledger.statuses(EVENTS));
        assertEquals(first.jobName(), world.jobs.jobNames().getFirst());
    }

    @Test
    void aFileTheStoreRefusesToRead_shouldBeRejectedAtOnceWithTheReason() {
        Notification.Created written = world.written("users/foreign-key.csv", CSV);
        world.objects.refuseReads(LaneWorld.BUCKET, "users/foreign-key.csv", "AccessDenied: KMS key not usable");

        UploadResult result = world.notify(written);

        assertEquals("REJECTED", result.outcome(), result::toString);
        assertTrue(result.detail().startsWith("s3://" + LaneWorld.BUCKET + "/users/foreign-key.csv cannot be read:"
                + " AccessDenied: KMS key not usable"), result.detail());
        assertEquals(List.of("users/foreign-key.csv=REJECTED"), world.ledger.statuses(USERS));
        assertEquals(List.of(), world.jobs.jobNames());
    }

    @Test
    void aWaitingFileThatBecameUnreadable_shouldBeRejectedAndTheFilesBehindItImport() {
        // GIVEN an import holding the events lane, and two files waiting; the first becomes unreadable meanwhile
        world.upload("events/1.csv", LaneWorld.ENOUGH);
        world.upload("events/2.csv", LaneWorld.ENOUGH);
        world.upload("events/3.csv", LaneWorld.ENOUGH);
        world.objects.refuseReads(LaneWorld.BUCKET, "events/2.csv", "InvalidObjectState: archived");

        // WHEN the lane frees up
        String next = world.finish(EVENTS, "ACTIVE").released().next();

        // THEN the unreadable file ends REJECTED with its reason and the file behind it imports
        assertNotNull(next, "the lane moved on");
        assertEquals(List.of("events/1.csv=IMPORTED", "events/2.csv=REJECTED", "events/3.csv=IMPORTING"),
                world.ledger.statuses(EVENTS));
        assertTrue(world.ledger.files(EVENTS).get(1).standing().reason().contains("InvalidObjectState: archived"));
        assertTrue(world.events.detailTypes().contains(FileRejected.DETAIL_TYPE), world.events.detailTypes()::toString);
    }

    @Test
    void aBurstOfFilesWithLongKeys_shouldStartAnExecutionWhoseInputAndLaneFitTheirLimits() {
        // GIVEN an import holding the events lane, and 300 files with keys near S3's longest waiting behind it
        world.upload("events/first.csv", LaneWorld.ENOUGH);
        for (int i = 0; i < 300; i++) {
            world.upload("events/" + "k".repeat(1000) + i + ".csv", LaneWorld.ENOUGH);
        }

        // WHEN the lane frees up
        String next = world.finish(EVENTS, "ACTIVE").released().next();

        // THEN the next execution's input stays under Step Functions' 256 KiB, and so does its lane's record
        String input = world.executions.inputText(next);
        assertTrue(input.getBytes(java.nio.charset.StandardCharsets.UTF_8).length < 256 * 1024,
                input.length() + " bytes");
        assertTrue(world.lane(EVENTS).running().entries().size() < 300, "the burst is split over several jobs");
    }

    private static String interactions(int rows) {
        return LaneWorld.interactions(rows);
    }

    @Test
    void aFullInteractionsFileBelowTheMinimum_shouldBeRejectedWithItsCountBeforeAnyJob() {
        UploadResult result = world.upload("clicks/hour.csv", interactions(340));

        assertEquals("REJECTED", result.outcome(), result::toString);
        assertTrue(result.detail().startsWith("s3://" + LaneWorld.BUCKET + "/clicks/hour.csv has 340 interaction(s):"
                + " Personalize imports at least 1000 per import job"), result.detail());
        assertEquals(List.of(), world.jobs.jobNames());
    }

    @Test
    void aFullInteractionsFileLargerThanItsPreflightRead_shouldBeCountedWhole() {
        // 1,000 records of about 75 bytes: more than the preflight's first bytes
        StringBuilder csv = new StringBuilder(InMemoryImportJobs.HEADER + "\n");
        for (int i = 0; i < 1_000; i++) {
            csv.append("user-with-a-rather-long-identifier-for-this-test-").append(i).append(",item-").append(i % 7).append(",")
                    .append(1_700_000_000 + i).append("\n");
        }
        assertTrue(csv.length() > ObjectHead.HEAD_BYTES);

        assertEquals("IMPORTING", world.upload("clicks/day.csv", csv.toString()).outcome());
    }

    @Test
    void smallInteractionFilesOfACoalescingRoute_shouldWaitForMoreRecordsRatherThanBeRejected() {
        UploadResult result = world.upload("events/hour.csv", interactions(100));

        assertEquals("PENDING", result.outcome(), result::toString);
        assertTrue(result.detail().startsWith("waiting: 100 of 1,000 interactions"), result.detail());
        assertEquals(List.of(), world.jobs.jobNames());
    }

    @Test
    void aLateOlderIncrementalUsersFile_shouldBeFollowedByTheNewerFilesAppliedAgain() {
        // GIVEN two INCREMENTAL users files, the newer one imported first: the older one's first delivery failed
        Notification.Created older = world.written("people/0601.csv", CSV);
        Notification.Created newer = world.written("people/0602.csv", CSV + "u2,i2,1700000100\n");
        String newerJob = world.notify(newer).jobName();
        world.finish(USERS, "ACTIVE");

        // WHEN the older file's retried delivery comes, and its import succeeds
        String lateJob = world.notify(older).jobName();
        String next = world.finish(USERS, "ACTIVE").released().next();

        // THEN the newer file is applied again after it, as an entry of its own, so its newer values win
        assertNotNull(next, "the newer file imports again");
        assertEquals("s3://" + LaneWorld.BUCKET + "/people/0602.csv", world.jobs.job(next).dataLocation());
        world.finish(USERS, "ACTIVE");
        assertEquals(List.of("people/0601.csv=IMPORTED", "people/0602.csv=IMPORTED", "people/0602.csv=IMPORTED"),
                world.ledger.statuses(USERS));
        assertEquals(List.of(newerJob, lateJob, next), world.jobs.jobNames());
        FileEntry again = world.ledger.files(USERS).get(1);
        assertEquals("applied again after the late file people/0601.csv, so its newer values win",
                again.standing().reason());
        assertTrue(!world.lane(USERS).isBusy(), "nothing is applied again after the file applied again");
    }

    @Test
    void anIncrementalUsersFileInOrder_shouldApplyNothingAgain() {
        world.upload("people/0601.csv", CSV);
        world.finish(USERS, "ACTIVE");
        world.upload("people/0602.csv", CSV);

        assertNull(world.finish(USERS, "ACTIVE").released().next());
        assertEquals(2, world.jobs.jobNames().size());
    }

    @Test
    void lateInteractions_shouldApplyNothingAgainSinceTheirRowsAddUp() {
        Notification.Created older = world.written("events/0601.csv", LaneWorld.ENOUGH);
        world.notify(world.written("events/0602.csv", LaneWorld.ENOUGH));
        world.finish(EVENTS, "ACTIVE");
        world.notify(older);

        assertNull(world.finish(EVENTS, "ACTIVE").released().next());
    }
}
