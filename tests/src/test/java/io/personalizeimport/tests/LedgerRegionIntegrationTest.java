package io.personalizeimport.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.personalizeimport.lambdas.config.ImportMode;
import io.personalizeimport.lambdas.config.Route;
import io.personalizeimport.lambdas.domain.S3Object;
import io.personalizeimport.lambdas.lane.FileEntry;
import io.personalizeimport.lambdas.lane.FileStatus;
import io.personalizeimport.lambdas.lane.Lane;
import io.personalizeimport.lambdas.lane.LaneFile;
import io.personalizeimport.lambdas.lane.Region;
import io.personalizeimport.lambdas.ledger.Ledger;
import io.personalizeimport.local.ledger.LedgerFile;
import io.personalizeimport.local.ledger.LedgerListing;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The region's import slots on DynamoDB Local, through the real SDK client: taken only in a lane's claim and only while
 * free, returned in its release, freed by hand only while the same job holds them, and a line read in order.
 */
class LedgerRegionIntegrationTest {

    private static final Instant WRITTEN = Instant.parse("2026-12-07T10:00:00Z");
    private static LocalLedger local;

    @BeforeAll
    static void start() {
        local = LocalLedger.start("ledger-region-test");
    }

    @AfterAll
    static void stop() {
        local.close();
    }

    /** A ledger on a table of its own, so that each test has its own region. */
    private static Ledger freshLedger() {
        String table = "region-" + UUID.randomUUID();
        LedgerListing.createTable(local.client(), table);
        return new Ledger(local.client(), table, Clock.systemUTC());
    }

    private static String dataset(String name) {
        return "arn:aws:personalize:us-east-1:000000000000:dataset/" + name + "-" + UUID.randomUUID() + "/USERS";
    }

    private static FileEntry recorded(Ledger ledger, String dataset) {
        Route users = new Route("users", "users/", dataset, ImportMode.FULL, "arn:aws:iam::000000000000:role/import",
                Map.of(), null);
        FileEntry file = FileEntry.pending(LaneFile.written(users, new S3Object("bucket", "users/a.csv", null, "etag",
                10), "01", WRITTEN));
        assertTrue(ledger.record(file));
        return file;
    }

    private static Lane.Running running(String job, FileEntry file, int slot) {
        return new Lane.Running(job, job, List.of(Ledger.sortKey(file)), WRITTEN.plusSeconds(60), false, "{}", slot);
    }

    @Test
    void aClaimWithASlot_shouldTakeTheSlotAndLeaveTheLineInItsOneTransaction() {
        Ledger ledger = freshLedger();
        String dataset = dataset("a");
        FileEntry file = recorded(ledger, dataset);
        ledger.await(dataset, WRITTEN);

        assertTrue(ledger.claim(Lane.free(dataset), running("job-a", file, 3), List.of(file)));

        assertEquals(new Region(List.of(new Region.Slot(3, dataset, "job-a", WRITTEN.plusSeconds(60))), List.of()),
                ledger.region());
        assertEquals(3, ledger.lane(dataset).running().slot());
    }

    @Test
    void aClaimOfASlotAnotherLaneHolds_shouldFailAndWriteNothing() {
        Ledger ledger = freshLedger();
        String first = dataset("first");
        String second = dataset("second");
        FileEntry firstFile = recorded(ledger, first);
        FileEntry secondFile = recorded(ledger, second);
        assertTrue(ledger.claim(Lane.free(first), running("job-1", firstFile, 0), List.of(firstFile)));

        assertFalse(ledger.claim(Lane.free(second), running("job-2", secondFile, 0), List.of(secondFile)));

        assertFalse(ledger.lane(second).isBusy());
        assertEquals(FileStatus.PENDING, ledger.file(second, Ledger.sortKey(secondFile)).orElseThrow().standing()
                .status());
        assertEquals(List.of(first), ledger.region().slots().stream().map(Region.Slot::datasetArn).toList());
    }

    @Test
    void aRelease_shouldReturnTheSlotWithTheLane() {
        Ledger ledger = freshLedger();
        String dataset = dataset("r");
        FileEntry file = recorded(ledger, dataset);
        assertTrue(ledger.claim(Lane.free(dataset), running("job-r", file, 1), List.of(file)));

        assertTrue(ledger.release(dataset, "job-r", "users/a.csv", "job-r"));

        assertEquals(Region.empty(), ledger.region());
        assertFalse(ledger.lane(dataset).isBusy());
    }

    @Test
    void freeingASlotByHand_shouldFreeItOnlyWhileTheSameJobHoldsIt() {
        Ledger ledger = freshLedger();
        String dataset = dataset("f");
        FileEntry file = recorded(ledger, dataset);
        assertTrue(ledger.claim(Lane.free(dataset), running("job-f", file, 2), List.of(file)));
        Region.Slot held = ledger.region().slots().getFirst();

        assertFalse(ledger.free(new Region.Slot(2, dataset, "another-job", held.claimedAt())));
        assertTrue(ledger.free(held));
        assertFalse(ledger.free(held), "already free");
        assertEquals(0, ledger.region().inUse());
    }

    @Test
    void theLine_shouldReadOldestWaitingFileFirstAndMoveWhenALaneWaitsAgain() {
        Ledger ledger = freshLedger();
        String a = dataset("a");
        String b = dataset("b");

        ledger.await(b, WRITTEN.plusSeconds(20));
        ledger.await(a, WRITTEN.plusSeconds(10));
        assertEquals(List.of(a, b), line(ledger));

        ledger.await(b, WRITTEN);
        assertEquals(List.of(b, a), line(ledger));

        ledger.leave(b);
        assertEquals(List.of(a), line(ledger));
    }

    @Test
    void eightLanesClaimingFiveSlotsAtOnce_shouldLeaveFiveClaimedOnFiveSlotsAndNoErrors() throws Exception {
        // GIVEN eight datasets with a file each, and a region of five slots
        Ledger ledger = freshLedger();
        List<String> datasets = new ArrayList<>();
        List<FileEntry> files = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            datasets.add(dataset("c" + i));
            files.add(recorded(ledger, datasets.getLast()));
        }

        // WHEN each lane claims at once, reading the region and taking a free slot until it wins or none is left
        List<Future<Boolean>> claims = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
            for (int i = 0; i < 8; i++) {
                String dataset = datasets.get(i);
                FileEntry file = files.get(i);
                claims.add(pool.submit(() -> {
                    while (true) {
                        Integer slot = ledger.region().freeSlot(5, dataset).orElse(null);
                        if (slot == null) {
                            return false;
                        }
                        if (ledger.claim(Lane.free(dataset), running("job-" + slot + "-" + dataset.hashCode(), file,
                                slot), List.of(file))) {
                            return true;
                        }
                    }
                }));
            }
        }

        // THEN exactly five lanes hold the five slots, one each
        int claimed = 0;
        for (Future<Boolean> claim : claims) {
            claimed += claim.get() ? 1 : 0;
        }
        Region region = ledger.region();
        assertEquals(5, claimed);
        assertEquals(List.of(0, 1, 2, 3, 4), region.slots().stream().map(Region.Slot::number).sorted().toList());
        assertEquals(5, datasets.stream().filter(dataset -> ledger.lane(dataset).isBusy()).count());
        for (Region.Slot slot : region.slots()) {
            assertEquals(slot.number(), ledger.lane(slot.datasetArn()).running().slot());
        }
    }

    @Test
    void theFilesView_shouldSayAWaitingLanesPlaceInLineForASlot() {
        // GIVEN a slot held by one lane, and the files of two more lanes in line behind it
        String table = "region-" + UUID.randomUUID();
        LedgerListing.createTable(local.client(), table);
        Ledger ledger = new Ledger(local.client(), table, Clock.systemUTC());
        String running = dataset("running");
        String first = dataset("first");
        String second = dataset("second");
        FileEntry runningFile = recorded(ledger, running);
        assertTrue(ledger.claim(Lane.free(running), running("job-run", runningFile, 0), List.of(runningFile)));
        recorded(ledger, first);
        recorded(ledger, second);
        ledger.await(second, WRITTEN.plusSeconds(5));
        ledger.await(first, WRITTEN);

        // WHEN local/run files lists them
        List<LedgerFile> files = LedgerListing.files(local.client(), table, null);

        // THEN each waiting file says its lane's place, and the importing one says nothing of it
        assertEquals("waiting for an import slot of the region: 1st in line, 1 in use", waitingOf(files, first));
        assertEquals("waiting for an import slot of the region: 2nd in line, 1 in use", waitingOf(files, second));
        assertEquals(null, waitingOf(files, running));
    }

    private static String waitingOf(List<LedgerFile> files, String dataset) {
        return files.stream().filter(file -> file.datasetArn().equals(dataset)).findFirst().orElseThrow().waiting();
    }

    private static List<String> line(Ledger ledger) {
        return ledger.region().line().stream().map(Region.Waiting::datasetArn).toList();
    }
}
