package io.personalizeimport.lambdas.lane;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.personalizeimport.lambdas.config.ImportMode;
import io.personalizeimport.lambdas.config.Route;
import io.personalizeimport.lambdas.domain.S3Object;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The lane's decisions, without any server: which waiting files are superseded and which the next job carries. */
class LanePlanTest {

    private static final String DATASET = "arn:aws:personalize:us-east-1:123456789012:dataset/g/INTERACTIONS";
    private static final Instant T0 = Instant.parse("2026-11-24T10:00:00Z");
    private static final Map<String, Route> ROUTES = Map.of(
            "full", route("full", ImportMode.FULL, false),
            "events", route("events", ImportMode.INCREMENTAL, true),
            "users", route("users", ImportMode.INCREMENTAL, false));

    private static Route route(String name, ImportMode mode, boolean coalesce) {
        return new Route(name, name + "/", DATASET, mode, "arn:aws:iam::123456789012:role/R", Map.of(), null,
                Route.Group.FILE, Route.DEFAULT_MARKER, Route.DEFAULT_MARKER_TIMEOUT, coalesce, null, Route.DEFAULT_LONGEST_HOLD);
    }

    private static FileEntry file(String route, String name, int secondsAfter, long size) {
        return FileEntry.pending(LaneFile.written(ROUTES.get(route),
                new S3Object("bucket", route + "/" + name, null, "e-" + name, size),
                String.format("%016X", secondsAfter), T0.plusSeconds(secondsAfter)));
    }

    private static LanePlan plan(Lane.LastFull lastFull, FileEntry... pending) {
        return LanePlan.of(List.of(pending), lastFull, ROUTES::get);
    }

    private static List<String> keys(List<FileEntry> files) {
        return files.stream().map(FileEntry::file).map(LaneFile::key).toList();
    }

    @Test
    void waitingFullFiles_shouldImportOnlyTheNewestAndLeaveTheOthersWaitingForItsVerdict() {
        LanePlan plan = plan(null, file("full", "a.csv", 1, 10), file("full", "b.csv", 2, 10), file("full", "c.csv", 3, 10));

        assertEquals(List.of("full/c.csv"), keys(plan.batch()));
        assertTrue(plan.superseded().isEmpty(), "a FULL import that has not succeeded replaced nothing yet");
    }

    @Test
    void aFullFileAfterIncrementalOnes_shouldImportFirstAndTheyWaitForItsVerdict() {
        LanePlan plan = plan(null, file("users", "u.csv", 1, 10), file("full", "f.csv", 2, 10));

        assertEquals(List.of("full/f.csv"), keys(plan.batch()));
        assertTrue(plan.superseded().isEmpty());
    }

    @Test
    void filesWaitingBehindAFullImportThatSucceeded_shouldBeSupersededByItOnTheNextPlan() {
        FileEntry older = file("full", "a.csv", 1, 10);
        FileEntry full = file("full", "b.csv", 2, 10);

        LanePlan plan = plan(new Lane.LastFull(full.file().order(), "full/b.csv"), older);

        assertEquals(List.of("full/a.csv"), keys(plan.superseded().stream().map(LanePlan.Superseded::file).toList()));
        assertEquals("full/b.csv", plan.superseded().getFirst().by());
        assertTrue(plan.batch().isEmpty());
    }

    @Test
    void incrementalFilesAfterTheNewestFull_shouldWaitForTheNextTurn() {
        LanePlan plan = plan(null, file("full", "f.csv", 1, 10), file("users", "u.csv", 2, 10));

        assertEquals(List.of("full/f.csv"), keys(plan.batch()));
        assertTrue(plan.superseded().isEmpty());
    }

    @Test
    void filesOlderThanTheLastFullImport_shouldBeSupersededByIt() {
        FileEntry late = file("users", "late.csv", 1, 10);
        FileEntry newer = file("users", "newer.csv", 9, 10);
        Lane.LastFull lastFull = new Lane.LastFull(file("full", "f.csv", 5, 10).file().order(), "full/f.csv");

        LanePlan plan = plan(lastFull, late, newer);

        assertEquals(List.of("users/late.csv"),
                keys(plan.superseded().stream().map(LanePlan.Superseded::file).toList()));
        assertEquals(List.of("users/newer.csv"), keys(plan.batch()));
    }

    @Test
    void nonCoalescingIncrementalFiles_shouldBeImportedOneAtATimeOldestFirst() {
        LanePlan plan = plan(null, file("users", "b.csv", 2, 10), file("users", "c.csv", 3, 10));

        assertEquals(List.of("users/b.csv"), keys(plan.batch()));
        assertTrue(!plan.isCoalesced());
    }

    @Test
    void coalescingFiles_shouldBeOneJobUpToTheFirstFileThatDoesNotCoalesce() {
        LanePlan plan = plan(null, file("events", "1.csv", 1, 10), file("events", "2.csv", 2, 10),
                file("users", "u.csv", 3, 10), file("events", "3.csv", 4, 10));

        assertEquals(List.of("events/1.csv", "events/2.csv"), keys(plan.batch()));
        assertTrue(plan.isCoalesced());
    }

    @Test
    void coalescedJob_shouldStopBeforeOneGigabyte() {
        long third = LanePlan.MAX_INCREMENTAL_BYTES / 3 + 1;
        LanePlan plan = plan(null, file("events", "1.csv", 1, third), file("events", "2.csv", 2, third),
                file("events", "3.csv", 3, third));

        assertEquals(2, plan.batch().size());
    }

    @Test
    void coalescedJob_shouldCarryAtMostTheFileLimit() {
        FileEntry[] many = new FileEntry[LanePlan.MAX_FILES + 7];
        for (int i = 0; i < many.length; i++) {
            many[i] = file("events", i + ".csv", i, 1);
        }

        assertEquals(LanePlan.MAX_FILES, plan(null, many).batch().size());
    }

    @Test
    void coalescingFilesWithLongKeys_shouldBeBoundedByTheBytesTheirTicketTakes() {
        // GIVEN 500 waiting files whose keys are near S3's longest (1,024 bytes)
        FileEntry[] many = new FileEntry[LanePlan.MAX_FILES];
        for (int i = 0; i < many.length; i++) {
            many[i] = file("events", "x".repeat(990) + i + ".csv", i, 1);
        }

        List<FileEntry> batch = plan(null, many).batch();

        // THEN the batch stops before its entries and keys pass the budget that keeps the lane item and the input small
        long ticket = batch.stream().mapToLong(entry -> LanePlan.ticketBytes(entry.file())).sum();
        assertTrue(batch.size() > 1 && batch.size() < LanePlan.MAX_FILES, "batch of " + batch.size());
        assertTrue(ticket <= LanePlan.MAX_TICKET_BYTES, "ticket of " + ticket + " bytes");
        assertTrue(ticket + LanePlan.ticketBytes(many[batch.size()].file()) > LanePlan.MAX_TICKET_BYTES,
                "the next file would not have fit");
    }

    @Test
    void partFilesOfAFolder_shouldNeverBePlannedOnTheirOwn() {
        FileEntry part = FileEntry.pending(LaneFile.written(ROUTES.get("full"),
                new S3Object("bucket", "full/export/part-0000.csv", null, "e", 10), "01", T0).inFolder("full/export/"));

        LanePlan plan = plan(null, part);

        assertTrue(plan.batch().isEmpty());
        assertTrue(plan.superseded().isEmpty());
    }

    @Test
    void sequencers_shouldOrderWritesOfTheSameMillisecond() {
        FileEntry first = FileEntry.pending(LaneFile.written(ROUTES.get("full"),
                new S3Object("bucket", "full/x.csv", null, "e1", 1), "0055AB", T0));
        FileEntry second = FileEntry.pending(LaneFile.written(ROUTES.get("full"),
                new S3Object("bucket", "full/x.csv", null, "e2", 1), "0055AB01", T0));

        assertTrue(first.file().order().compareTo(second.file().order()) < 0);
        assertEquals("e2", plan(null, first, second).batch().getFirst().file().eTag());
    }

    private static FileEntry counted(String name, int secondsAfter, long records) {
        return file("events", name, secondsAfter, 10).counted(records);
    }

    @Test
    void coalescingInteractionsBelowTheMinimum_shouldBeHeldWithNoJob() {
        LanePlan plan = plan(null, counted("1.csv", 1, 100), counted("2.csv", 2, 240));

        assertTrue(plan.batch().isEmpty(), "no job would hold 1,000 interactions");
        assertEquals(List.of("events/1.csv", "events/2.csv"), keys(plan.hold().files()));
        assertEquals(340, plan.hold().holding().records());
        assertEquals(T0.plusSeconds(1), plan.hold().holding().since());
        assertEquals(plan.hold().files().getFirst().file().sortKey(), plan.hold().holding().first());
    }

    @Test
    void coalescingInteractionsReachingTheMinimumTogether_shouldBeOneJob() {
        FileEntry[] ten = new FileEntry[10];
        for (int i = 0; i < ten.length; i++) {
            ten[i] = counted(i + ".csv", i, 100);
        }

        LanePlan plan = plan(null, ten);

        assertEquals(10, plan.batch().size());
        assertNull(plan.hold());
    }

    @Test
    void aFileCountedPastTheMinimum_shouldCountAsTheMinimumAndBeEnoughAlone() {
        LanePlan plan = plan(null, counted("big.csv", 1, LanePlan.MIN_INTERACTIONS));

        assertEquals(List.of("events/big.csv"), keys(plan.batch()));
        assertNull(plan.hold());
    }

    @Test
    void uncountedEntriesRecordedBeforeCounting_shouldCountAsEnough() {
        LanePlan plan = plan(null, counted("1.csv", 1, 10), file("events", "legacy.csv", 2, 10));

        assertEquals(List.of("events/1.csv", "events/legacy.csv"), keys(plan.batch()));
        assertNull(plan.hold());
    }

    @Test
    void aFileOfItsOwnBehindHeldFiles_shouldBeImportedWithoutWaitingForTheHold() {
        LanePlan plan = plan(null, counted("1.csv", 1, 10), counted("2.csv", 2, 10), file("users", "u.csv", 3, 10));

        assertEquals(List.of("users/u.csv"), keys(plan.batch()));
        assertEquals(List.of("events/1.csv", "events/2.csv"), keys(plan.hold().files()));
    }

    @Test
    void aFullFileBehindHeldFiles_shouldImportFirstAndTheHeldFilesWaitForItsVerdict() {
        LanePlan plan = plan(null, counted("1.csv", 1, 10), file("full", "f.csv", 2, 10));

        assertEquals(List.of("full/f.csv"), keys(plan.batch()));
        assertTrue(plan.superseded().isEmpty());
    }

    @Test
    void aBatchHeldAtTheFileLimit_shouldBeHeldWithNoTimeToWaitSinceItCannotGrow() {
        // GIVEN more near-empty interactions files than one job carries, 1 record each
        FileEntry[] many = new FileEntry[LanePlan.MAX_FILES + 3];
        for (int i = 0; i < many.length; i++) {
            many[i] = counted(i + ".csv", i, 1);
        }

        LanePlan plan = plan(null, many);

        // THEN the first 500 are held, with no longest hold: it is past at once, and says why
        assertTrue(plan.batch().isEmpty(), "no job would hold 1,000 interactions");
        assertEquals(LanePlan.MAX_FILES, plan.hold().files().size());
        Lane.Holding holding = plan.hold().holding();
        assertEquals(LanePlan.MAX_FILES, holding.records());
        assertTrue(holding.isFull());
        assertTrue(holding.isPast(holding.since()));
        assertEquals("waiting, cannot grow: 500 of 1,000 interactions in as many files as one import job carries",
                holding.describe(holding.since()));
    }

    @Test
    void aBatchHeldAtTheTicketLimit_shouldBeHeldWithNoTimeToWait() {
        FileEntry[] many = new FileEntry[LanePlan.MAX_FILES];
        for (int i = 0; i < many.length; i++) {
            many[i] = file("events", "x".repeat(990) + i + ".csv", i, 10).counted(1);
        }

        LanePlan.Hold hold = plan(null, many).hold();

        assertTrue(hold.files().size() < LanePlan.MAX_FILES, "held " + hold.files().size());
        assertTrue(hold.holding().isFull());
    }

    @Test
    void heldFilesThatStopAtAFileOfItsOwn_shouldWaitTheirLongestHoldSinceTheyCanGrowAfterIt() {
        LanePlan plan = plan(null, counted("1.csv", 1, 10), file("users", "u.csv", 2, 10), counted("3.csv", 3, 10));

        assertEquals(List.of("events/1.csv"), keys(plan.hold().files()));
        assertEquals(Route.DEFAULT_LONGEST_HOLD, plan.hold().holding().longestHold());
        assertTrue(!plan.hold().holding().isFull());
        assertEquals("waiting: 10 of 1,000 interactions", plan.hold().holding().describe(T0));
    }
}
