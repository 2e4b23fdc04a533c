package io.personalizeimport.lambdas.lane;

import static io.personalizeimport.lambdas.lane.LaneWorld.BUCKET;
import static io.personalizeimport.lambdas.lane.LaneWorld.ENOUGH;
import static io.personalizeimport.lambdas.lane.LaneWorld.EVENTS;
import static io.personalizeimport.lambdas.lane.LaneWorld.GROUP;
import static io.personalizeimport.lambdas.lane.LaneWorld.USERS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.personalizeimport.lambdas.domain.MonitorInput;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A file written before a list of users whose deletion ended imports without those users' rows, whenever it imports:
 * held for more interactions, or told of late (docs/forgetting-users.md, "A list written at T applies to data written
 * before T").
 */
class DeletedUsersImportTest {

    private static final String HEADER = InMemoryImportJobs.HEADER;

    private final LaneWorld world = LaneWorld.withDeletions();

    /** Writes a list of users and runs its deletion to COMPLETED: the list is DELETED. */
    private FileEntry deleted(String key, String userIds) {
        FileEntry list = world.requestDeletion(key, userIds);
        assertInstanceOf(Deletions.Advance.Started.class, world.deletions.advance(GROUP));
        assertEquals(FileStatus.DELETED, world.finishDeletion(new DeletionEnds.Verdict("COMPLETED", 2L, null, null)));
        return list;
    }

    private MonitorInput.LaneImport running(String datasetArn) {
        return ExecutionInputs.read(world.lane(datasetArn).running().input());
    }

    /** The execution's create task, called until its import is staged and its job created. */
    private MonitorInput.LaneImport create(MonitorInput.LaneImport input) {
        MonitorInput.LaneImport created = world.operatorImports.create(input.createRequest(), input.source(),
                input.lane(), null);
        assertNull(created.staging(), "staged in one call, and the job created");
        return created;
    }

    private String staged(MonitorInput.LaneImport input, int index, String key) {
        return world.objects.content(BUCKET, BatchStaging.copyKey(BatchStaging.folder(input.createRequest().jobName()),
                index, key));
    }

    private String stagingFolder(MonitorInput.LaneImport input) {
        return "s3://" + BUCKET + "/" + BatchStaging.folder(input.createRequest().jobName());
    }

    private FileEntry entry(String datasetArn, String key) {
        return world.ledger.files(datasetArn, FileStatus.PENDING).stream().filter(e -> e.file().key().equals(key))
                .findFirst().or(() -> world.ledger.files(datasetArn, FileStatus.IMPORTING).stream()
                        .filter(e -> e.file().key().equals(key)).findFirst())
                .or(() -> world.ledger.files(datasetArn, FileStatus.IMPORTED).stream()
                        .filter(e -> e.file().key().equals(key)).findFirst())
                .or(() -> world.ledger.files(datasetArn, FileStatus.REJECTED).stream()
                        .filter(e -> e.file().key().equals(key)).findFirst())
                .orElseThrow();
    }

    @Test
    void aHeldInteractionsFileWrittenBeforeADeletedList_shouldImportWithoutItsUsersRowsWhileALaterFileKeepsThem() {
        // GIVEN interactions of u1 and u2 held for more records, then a list of users naming u1, deleted meanwhile
        world.upload("events/a.csv", HEADER + "\nu1,i1,1700000000\nu2,i2,1700000001\nu1,i3,1700000002\n");
        assertNotNull(world.lane(EVENTS).holding());
        deleted("forget/list.csv", "USER_ID\nu1\n");
        assertFalse(world.lane(EVENTS).isBusy(), "still held");

        // WHEN a file written after the list, in which u1 came back, joins the held one in a batch that imports
        assertTrue(ENOUGH.contains("\nu1,i1,"));
        world.upload("events/b.csv", ENOUGH);
        MonitorInput.LaneImport input = running(EVENTS);
        create(input);

        // THEN the held file's copy lacks u1's rows, the later file's copy keeps them, and the job reads those copies
        assertEquals(List.of("events/a.csv", "events/b.csv"), input.lane().files());
        assertEquals(HEADER + "\nu2,i2,1700000001\n", staged(input, 0, "events/a.csv"));
        assertEquals(ENOUGH, staged(input, 1, "events/b.csv"));
        assertEquals(stagingFolder(input), world.jobs.job(input.createRequest().jobName()).dataLocation());
        assertEquals(List.of("events/b.csv -> " + BatchStaging.copyKey(BatchStaging.folder(
                input.createRequest().jobName()), 1, "events/b.csv")), world.objects.copies(), "copied whole");
    }

    @Test
    void aFolderWrittenBeforeADeletedList_shouldImportFromStagingWithoutTheListsUsersRows() {
        // GIVEN a folder of two parts and its marker written before a list naming u1, told of once it was DELETED
        Notification.Created a = world.written("exports/day1/a.csv", HEADER + "\nu1,i1,1\nu2,i2,2\n");
        Notification.Created b = world.written("exports/day1/b.csv", HEADER + "\nu3,i3,3\n");
        Notification.Created marker = world.written("exports/day1/_SUCCESS", "");
        deleted("forget/list.csv", "USER_ID\nu1\n");

        // WHEN its parts and marker are told of, and its execution's create task runs
        world.notify(a);
        world.notify(b);
        world.notify(marker);
        MonitorInput.LaneImport input = running(USERS);
        assertEquals(List.of("exports/day1/"), input.lane().files());
        String jobName = input.createRequest().jobName();
        assertFalse(world.jobs.jobNames().contains(jobName), "no job created before its parts are staged");
        create(input);

        // THEN its job reads the staging folder, where the part with u1 lacks u1's rows and the other is as it was
        assertEquals(stagingFolder(input), world.jobs.job(jobName).dataLocation());
        String folder = BatchStaging.folder(jobName);
        assertEquals(HEADER + "\nu2,i2,2\n", world.objects.content(BUCKET, folder + "a.csv"));
        assertEquals(HEADER + "\nu3,i3,3\n", world.objects.content(BUCKET, folder + "b.csv"));
        assertEquals(Set.of(folder + "a.csv", folder + "b.csv"), world.objects.keys(BUCKET, folder));
        world.finish(USERS, "ACTIVE");
        assertEquals(FileStatus.IMPORTED, entry(USERS, "exports/day1/a.csv").standing().status());
        assertEquals("1 row of users deleted by forget/list.csv left out of its import: the file was written before"
                + " that list and imported after the deletion", entry(USERS, "exports/day1/a.csv").standing().reason());
        assertEquals(FileStatus.IMPORTED, entry(USERS, "exports/day1/b.csv").standing().status());
    }

    @Test
    void aFolderWhosePartsPrecedeADeletedListButWhoseMarkerFollowsIt_shouldLeaveOutThoseUsersRows() {
        // GIVEN a part written before a list naming u1, and written again before it; the list DELETED
        Notification.Created first = world.written("exports/day3/a.csv", HEADER + "\nu1,i1,1\n");
        Notification.Created again = world.written("exports/day3/a.csv", HEADER + "\nu1,i1,1\nu4,i4,4\n");
        deleted("forget/list.csv", "USER_ID\nu1\n");

        // WHEN both writes are told of, and the folder's marker is written after the list
        world.notify(first);
        world.notify(again);
        world.upload("exports/day3/_SUCCESS", "");
        MonitorInput.LaneImport input = running(USERS);
        create(input);

        // THEN the folder's copy holds the part's newest write, without u1's rows
        String folder = BatchStaging.folder(input.createRequest().jobName());
        assertEquals(Set.of(folder + "a.csv"), world.objects.keys(BUCKET, folder));
        assertEquals(HEADER + "\nu4,i4,4\n", world.objects.content(BUCKET, folder + "a.csv"));
    }

    @Test
    void aFolderWrittenAfterEveryDeletedList_shouldImportFromItsOwnLocationAsBefore() {
        // GIVEN a DELETED list naming u1
        deleted("forget/list.csv", "USER_ID\nu1\n");

        // WHEN a folder written after it, in which u1 comes back, imports
        world.upload("exports/day2/a.csv", HEADER + "\nu1,i1,1\n");
        world.upload("exports/day2/_SUCCESS", "");

        // THEN its job reads the folder itself, created at once, and nothing is staged
        MonitorInput.LaneImport input = running(USERS);
        assertEquals("s3://" + BUCKET + "/exports/day2/", input.createRequest().dataLocation());
        assertEquals("s3://" + BUCKET + "/exports/day2/",
                world.jobs.job(input.createRequest().jobName()).dataLocation());
        assertEquals(List.of(), world.objects.puts());
        assertEquals(List.of(), world.objects.copies());
    }

    @Test
    void aHeldBatchWithTooFewInteractionsOnceDeletedUsersAreLeftOut_shouldWaitAgainCountingWhatItKeeps() {
        // GIVEN 3 held interactions, 2 of u1, then a list naming u1, DELETED; then 998 written after the list
        world.upload("events/a.csv", HEADER + "\nu1,i1,1\nu2,i2,2\nu1,i3,3\n");
        deleted("forget/list.csv", "USER_ID\nu1\n");
        world.upload("events/b.csv", LaneWorld.interactions(998));
        MonitorInput.LaneImport input = running(EVENTS);

        // WHEN the batch of 1,001 counted is staged, and keeps 999
        MonitorInput.LaneImport staged = world.operatorImports.create(input.createRequest(), input.source(),
                input.lane(), null);

        // THEN no job is created, and the execution's end returns both files to the lane, none rejected, counting 999
        MonitorInput.Unreadable waiting = staged.staging().unreadable();
        assertNotNull(waiting);
        String reason = "waiting: 999 of 1,000 interactions once the rows of users deleted after the files were"
                + " written are left out; no job imports fewer, so the files wait in the lane for more";
        assertEquals(reason, waiting.reason());
        assertFalse(world.jobs.jobNames().contains(input.createRequest().jobName()));
        Endings.Finished finished = world.endings.end(new Ending(input.createRequest().jobName(),
                new Ending.Unstageable(waiting.entry(), waiting.file(), waiting.reason()),
                new Ending.LaneClaim(input.lane(), null, input.createRequest().jobName()), Release.JobSeen.NONE));
        assertEquals(FileStatus.PENDING, finished.released().outcome());
        assertTrue(finished.verdict().isImported(), "the execution succeeds: nothing failed, the files wait for more");
        assertEquals(List.of("events/a.csv=PENDING", "events/b.csv=PENDING"), world.ledger.statuses(EVENTS));
        assertEquals(1L, entry(EVENTS, "events/a.csv").records());
        assertEquals(reason, entry(EVENTS, "events/a.csv").standing().reason());
        assertEquals(reason, entry(EVENTS, "events/b.csv").standing().reason());
        assertFalse(world.lane(EVENTS).isBusy());
        assertEquals(999L, world.lane(EVENTS).holding().records());

        // AND one more interaction, written after the list, makes the batch that imports without u1's rows
        world.upload("events/c.csv", HEADER + "\nu9,i9,9\n");
        MonitorInput.LaneImport next = running(EVENTS);
        assertEquals(List.of("events/a.csv", "events/b.csv", "events/c.csv"), next.lane().files());
        create(next);
        assertEquals(HEADER + "\nu2,i2,2\n", staged(next, 0, "events/a.csv"));
        assertEquals(stagingFolder(next), world.jobs.job(next.createRequest().jobName()).dataLocation());
    }

    @Test
    void aUsersFileToldOfAfterTheDeletionOfAListWrittenAfterIt_shouldImportFilteredThroughStaging() {
        // GIVEN a users file written before a list naming u1, told of only once the list was DELETED
        Notification.Created users = world.written("users/a.csv", HEADER + "\nu1,i1,1700000000\nu2,i2,1700000001\n");
        deleted("forget/list.csv", "USER_ID\nu1\n");

        // WHEN it is told of, and its execution's create task runs
        world.notify(users);
        MonitorInput.LaneImport input = running(USERS);
        String jobName = input.createRequest().jobName();
        assertFalse(world.jobs.jobNames().contains(jobName), "no job created before its file is staged");
        create(input);

        // THEN its one file imports from the staging folder, without u1
        assertEquals(List.of("users/a.csv"), input.lane().files());
        assertEquals(stagingFolder(input), input.createRequest().dataLocation());
        assertEquals(stagingFolder(input), world.jobs.job(jobName).dataLocation());
        assertEquals(HEADER + "\nu2,i2,1700000001\n", staged(input, 0, "users/a.csv"));
        assertEquals(List.of(), world.objects.copies());
    }

    @Test
    void aFileWrittenAfterEveryDeletedList_shouldImportExactlyAsBefore() {
        // GIVEN a DELETED list naming u1
        deleted("forget/list.csv", "USER_ID\nu1\n");

        // WHEN a users file written after it, in which u1 comes back, is uploaded
        world.upload("users/b.csv", HEADER + "\nu1,i1,1700000000\n");

        // THEN its job reads the file itself, created at once as before, and nothing is staged
        MonitorInput.LaneImport input = running(USERS);
        assertEquals("s3://" + BUCKET + "/users/b.csv", input.createRequest().dataLocation());
        assertEquals("s3://" + BUCKET + "/users/b.csv",
                world.jobs.job(input.createRequest().jobName()).dataLocation());
        assertEquals(List.of(), world.objects.puts());
        assertEquals(List.of(), world.objects.copies());
    }

    @Test
    void quotedFieldsAndAUserIdColumnNotFirst_shouldLeaveOutExactlyTheRowsOfTheListsUsers() {
        // GIVEN a users file whose user_id column is second, with quoted commas, quotes and line breaks, written
        // before a list naming u1 and, quoted, u3
        String csv = "NAME,user_id,AGE\r\n"
                + "\"Smith, \"\"Jo\"\"\",u1,30\r\n"
                + "\"two\nlines, u1\",u2,40\r\n"
                + "\"back\\\"slash, u1\",\"u3\",50\r\n"
                + "\r\n"
                + "\"says u1, really\",u5,70\r\n"
                + "last,u4,60";
        LaneWorld world = LaneWorld.withDeletions(false);
        Notification.Created users = world.written("people/a.csv", csv);
        world.requestDeletion("forget/list.csv", "USER_ID\nu1\n\"u3\"\n");
        world.deletions.advance(GROUP);
        world.finishDeletion(new DeletionEnds.Verdict("COMPLETED", 2L, null, null));

        // WHEN it imports
        world.notify(users);
        MonitorInput.LaneImport input = ExecutionInputs.read(world.lane(USERS).running().input());
        world.operatorImports.create(input.createRequest(), input.source(), input.lane(), null);

        // THEN only u1's and u3's rows are left out; every other byte stays
        assertEquals("NAME,user_id,AGE\r\n"
                + "\"two\nlines, u1\",u2,40\r\n"
                + "\r\n"
                + "\"says u1, really\",u5,70\r\n"
                + "last,u4,60", world.objects.content(BUCKET, BatchStaging.copyKey(BatchStaging.folder(
                        input.createRequest().jobName()), 0, "people/a.csv")));
    }

    @Test
    void rowsLeftOut_shouldBeCountedByListOnTheFilesRecordThroughItsImport() {
        // GIVEN a users file written before two lists: u1 in both, u2 in the second
        Notification.Created users = world.written("people/a.csv", HEADER + "\nu1,i,1\nu2,i,2\nu3,i,3\nu1,i,4\n");
        deleted("forget/1.csv", "USER_ID\nu1\n");
        deleted("forget/2.csv", "USER_ID\nu2\nu1\n");

        // WHEN it is staged and its import ends ACTIVE
        world.notify(users);
        create(running(USERS));
        String staging = entry(USERS, "people/a.csv").standing().reason();
        world.finish(USERS, "ACTIVE");

        // THEN its record says how many rows of whose list were left out, each row counted once, by the oldest list
        String reason = "2 rows of users deleted by forget/1.csv, 1 row of users deleted by forget/2.csv left out of"
                + " its import: the file was written before those lists and imported after the deletion";
        assertEquals(reason, staging);
        FileEntry imported = entry(USERS, "people/a.csv");
        assertEquals(FileStatus.IMPORTED, imported.standing().status());
        assertEquals(reason, imported.standing().reason());
    }

    @Test
    void aFileBetweenTwoDeletedLists_shouldLeaveOutOnlyTheUsersOfTheListWrittenAfterIt() {
        deleted("forget/1.csv", "USER_ID\nu1\n");
        Notification.Created users = world.written("people/a.csv", HEADER + "\nu1,i,1\nu2,i,2\n");
        deleted("forget/2.csv", "USER_ID\nu2\n");

        world.notify(users);
        MonitorInput.LaneImport input = running(USERS);
        create(input);

        assertEquals(HEADER + "\nu1,i,1\n", staged(input, 0, "people/a.csv"), "u1 came back after the first list");
    }

    @Test
    void listsTooLargeToReadInOneCall_shouldRejectTheFileSayingWhyRatherThanImportIt() {
        // GIVEN a users file written before a list told of as larger than a create task reads
        Notification.Created users = world.written("people/a.csv", HEADER + "\nu1,i,1\n");
        Notification.Created list = world.written("forget/big.csv", "USER_ID\nu1\n");
        world.recordDeletion(new Notification.Created(list.bucket(), list.key(), null, list.eTag(),
                FilteredCopies.MAX_LIST_BYTES + 1, list.sequencer(), list.eventTime()));
        world.deletions.advance(GROUP);
        world.finishDeletion(new DeletionEnds.Verdict("COMPLETED", 1L, null, null));

        // WHEN it imports
        world.notify(users);
        MonitorInput.LaneImport input = running(USERS);
        MonitorInput.LaneImport staged = world.operatorImports.create(input.createRequest(), input.source(),
                input.lane(), null);

        // THEN no job is created, and the file ends REJECTED with the bound in its reason
        MonitorInput.Unreadable unreadable = staged.staging().unreadable();
        assertNotNull(unreadable);
        assertEquals("s3://" + BUCKET + "/people/a.csv cannot be staged: it must import without the rows of the users"
                + " deleted since it was written, by forget/big.csv, whose " + (FilteredCopies.MAX_LIST_BYTES + 1)
                + " bytes are more than the " + FilteredCopies.MAX_LIST_BYTES + " bytes of user ids one create task"
                + " reads (expected its rows of those users left out by hand, then the file uploaded again)",
                unreadable.reason());
        assertFalse(world.jobs.jobNames().contains(input.createRequest().jobName()));
        world.endings.end(new Ending(input.createRequest().jobName(), new Ending.Unstageable(unreadable.entry(),
                unreadable.file(), unreadable.reason()), new Ending.LaneClaim(input.lane(), null,
                input.createRequest().jobName()), Release.JobSeen.NONE));
        assertEquals(List.of("people/a.csv=REJECTED"), world.ledger.statuses(USERS));
        assertFalse(world.lane(USERS).isBusy());
    }

    @Test
    void aDeletedListThatCanNoLongerBeRead_shouldRejectTheFileRatherThanImportItsUsers() {
        Notification.Created users = world.written("people/a.csv", HEADER + "\nu1,i,1\n");
        deleted("forget/list.csv", "USER_ID\nu1\n");
        world.objects.delete(BUCKET, "forget/list.csv");

        world.notify(users);
        MonitorInput.LaneImport input = running(USERS);
        MonitorInput.Unreadable unreadable = world.operatorImports.create(input.createRequest(), input.source(),
                input.lane(), null).staging().unreadable();

        assertNotNull(unreadable);
        assertTrue(unreadable.reason().startsWith("s3://" + BUCKET + "/people/a.csv cannot be staged: it must import"
                + " without the rows of the users deleted since it was written, by forget/list.csv, and s3://" + BUCKET
                + "/forget/list.csv cannot be read: NoSuchKey"), unreadable.reason());
        assertFalse(world.jobs.jobNames().contains(input.createRequest().jobName()));
    }

    @Test
    void aFileToFilterThatIsGone_shouldBeRejectedAsAFileThatCannotBeCopied() {
        Notification.Created users = world.written("people/a.csv", HEADER + "\nu1,i,1\n");
        deleted("forget/list.csv", "USER_ID\nu1\n");

        world.notify(users);
        world.objects.refuseReads(BUCKET, "people/a.csv", "AccessDenied: Access Denied");
        MonitorInput.LaneImport input = running(USERS);
        MonitorInput.Unreadable unreadable = world.operatorImports.create(input.createRequest(), input.source(),
                input.lane(), null).staging().unreadable();

        assertEquals("people/a.csv", unreadable.file());
        assertTrue(unreadable.reason().startsWith("s3://" + BUCKET + "/people/a.csv cannot be read: AccessDenied"),
                unreadable.reason());
    }

    @Test
    void aDatasetWhoseRecordsNameNoUser_shouldReadNoListOfUsers() {
        assertFalse(DeletedLists.namesUsers(LaneWorld.ITEMS));
        assertTrue(DeletedLists.namesUsers("arn:aws:personalize:us-east-1:123456789012:dataset/shop/ACTION_INTERACTIONS"));
        assertEquals(DeletedLists.NONE, DeletedLists.of(LaneWorld.ITEMS, group -> {
            throw new AssertionError("no list is read for " + group);
        }));
        assertEquals(GROUP, DeletedLists.groupOf(USERS));
    }
}
