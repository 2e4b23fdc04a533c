package io.personalizeimport.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.personalizeimport.lambdas.config.ImportMode;
import io.personalizeimport.lambdas.config.Route;
import io.personalizeimport.lambdas.domain.S3Object;
import io.personalizeimport.lambdas.events.OutboxEvent;
import io.personalizeimport.lambdas.lane.FileEntry;
import io.personalizeimport.lambdas.lane.FileStatus;
import io.personalizeimport.lambdas.lane.Lane;
import io.personalizeimport.lambdas.lane.LaneFile;
import io.personalizeimport.lambdas.lane.LaneView;
import io.personalizeimport.lambdas.ledger.Ledger;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClientBuilder;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;

/** The ledger's conditional writes on DynamoDB Local, through the real SDK client: what makes a lane safe to share. */
class LedgerIntegrationTest {

    private static final String TABLE = "ledger-test";
    /** Items per Query page asked by a paging client, so that a few items take several pages. */
    private static final int SMALL_PAGE = 2;
    private static LocalLedger local;
    private static DynamoDbClient client;
    private static Ledger ledger;

    @BeforeAll
    static void start() {
        local = LocalLedger.start(TABLE);
        client = local.client();
        ledger = local.ledger();
    }

    private static DynamoDbClientBuilder clientBuilder() {
        return local.clientBuilder();
    }

    @AfterAll
    static void stop() {
        local.close();
    }

    private static String dataset() {
        return "arn:aws:personalize:us-east-1:000000000000:dataset/g-" + UUID.randomUUID() + "/USERS";
    }

    private static FileEntry file(String dataset, String key, String sequencer) {
        Route users = new Route("users", "users/", dataset, ImportMode.FULL, "arn:aws:iam::000000000000:role/import",
                Map.of(), null);
        return FileEntry.pending(LaneFile.written(users, new S3Object("bucket", key, null, "etag-" + key, 10),
                sequencer, Instant.parse("2026-11-24T10:00:00Z")));
    }

    private static Map<String, AttributeValue> item(String dataset, String sortKey) {
        return client.getItem(get -> get.tableName(TABLE).consistentRead(true).key(Map.of(
                "pk", AttributeValue.fromS(Ledger.partition(dataset)), "sk", AttributeValue.fromS(sortKey)))).item();
    }

    private static Lane.Running running(String job, FileEntry... files) {
        return new Lane.Running(job, job, Arrays.stream(files).map(Ledger::sortKey).toList(), Instant.now(),
                false, "{}");
    }

    @Test
    void theSameEventTwice_shouldBeRecordedOnceAndAReuploadAgain() {
        String dataset = dataset();

        assertTrue(ledger.record(file(dataset, "users/a.csv", "01")));
        assertFalse(ledger.record(file(dataset, "users/a.csv", "01")), "a duplicate delivery changes nothing");
        assertTrue(ledger.record(file(dataset, "users/a.csv", "02")), "a re-upload is a new write");
        assertEquals(2, ledger.files(dataset, FileStatus.PENDING).size());
    }

    @Test
    void settledFiles_shouldLeaveOnlyTheOpenOnesToReadWhenALaneIsPlanned() {
        // GIVEN four files of one dataset, of which three reach a final outcome and one is importing
        String dataset = dataset();
        List<FileEntry> files = List.of(file(dataset, "users/a.csv", "01"), file(dataset, "users/b.csv", "02"),
                file(dataset, "users/c.csv", "03"), file(dataset, "users/d.csv", "04"));
        files.forEach(ledger::record);
        assertTrue(ledger.settle(files.get(0).withStatus(FileStatus.SUPERSEDED, null, "users/b.csv", "newer")));
        assertTrue(ledger.settle(files.get(1).withStatus(FileStatus.IMPORTED, "job-b", null, null)));
        assertTrue(ledger.settle(files.get(2).withStatus(FileStatus.FAILED, "job-c", null, "bad rows")));
        assertTrue(ledger.settle(files.get(3).withStatus(FileStatus.IMPORTING, "job-d", null, null)));

        // WHEN the partition is read as DynamoDB holds it
        List<String> openItems = client.query(query -> query.tableName(TABLE).consistentRead(true)
                .keyConditionExpression("pk = :pk AND begins_with(sk, :open)")
                .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(Ledger.partition(dataset)),
                        ":open", AttributeValue.fromS("open#")))).items().stream()
                .map(item -> item.get("sk").s()).toList();

        // THEN only the importing file still has its open item, each final outcome removed its own with it, and a
        // second settlement of a final file changes nothing
        assertEquals(List.of("open#" + files.get(3).file().order()), openItems);
        assertEquals(List.of("users/d.csv"), ledger.files(dataset, FileStatus.IMPORTING).stream()
                .map(FileEntry::file).map(LaneFile::key).toList());
        assertTrue(ledger.files(dataset, FileStatus.PENDING).isEmpty());
        assertFalse(ledger.settle(files.get(1).withStatus(FileStatus.FAILED, "job-b", null, "late")));
        assertEquals(FileStatus.IMPORTED,
                ledger.file(dataset, Ledger.sortKey(files.get(1))).orElseThrow().standing().status());
        assertEquals(4, ledger.files(dataset).size());
    }

    @Test
    void twoClaimsFromOneReading_shouldLetExactlyOneWin() {
        // GIVEN two functions that both read the free lane
        String dataset = dataset();
        FileEntry a = file(dataset, "users/a.csv", "01");
        ledger.record(a);
        Lane seen = ledger.lane(dataset);

        // WHEN both claim it
        boolean first = ledger.claim(seen, running("job-1", a), List.of(a));
        boolean second = ledger.claim(seen, running("job-2", a), List.of(a));

        // THEN one wins, and the lane names the winner until it is released by it (and only by it)
        assertTrue(first ^ second);
        assertEquals("job-1", ledger.lane(dataset).running().jobName());
        assertFalse(ledger.release(dataset, "job-2", null, null));
        assertTrue(ledger.release(dataset, "job-1", "users/a.csv", "job-1"));
        assertFalse(ledger.lane(dataset).isBusy());
        assertTrue(ledger.claim(ledger.lane(dataset), running("job-3", a), List.of(a)), "a released lane is free again");
    }

    @Test
    void aSettledFile_shouldKeepItsFinalOutcome() {
        String dataset = dataset();
        FileEntry a = file(dataset, "users/a.csv", "01");
        ledger.record(a);

        assertTrue(ledger.settle(a.withStatus(FileStatus.IMPORTING, "job-1", null, null)));
        assertTrue(ledger.settle(a.withStatus(FileStatus.IMPORTED, "job-1", null, null)));
        assertFalse(ledger.settle(a.withStatus(FileStatus.FAILED, "job-1", null, "late retry")));

        FileEntry stored = ledger.file(dataset, Ledger.sortKey(a)).orElseThrow();
        assertEquals(FileStatus.IMPORTED, stored.standing().status());
        assertEquals("job-1", stored.standing().jobName());
    }

    @Test
    void aFolder_shouldBeOpenedOnceUntilItsMarkerClosesIt() {
        String dataset = dataset();

        assertEquals("watch-1", ledger.openFolder(dataset, "exports/day/", "watch-1"));
        assertEquals("watch-1", ledger.openFolder(dataset, "exports/day/", "watch-2"), "a later part finds it open");
        assertTrue(ledger.folderImport(dataset, "exports/day/").isEmpty());
        ledger.closeFolder(dataset, "exports/day/", "file#2026-12-01T10:00:00.000Z#01");
        assertTrue(ledger.isFolderClosed(dataset, "exports/day/"));
        assertEquals("watch-3", ledger.openFolder(dataset, "exports/day/", "watch-3"), "a new export reopens it");
        assertFalse(ledger.isFolderClosed(dataset, "exports/day/"));
        assertEquals(java.util.Optional.of("file#2026-12-01T10:00:00.000Z#01"),
                ledger.folderImport(dataset, "exports/day/"), "reopened, it still knows the import its marker started");
    }

    @Test
    void aFreeLane_shouldBeReadWithTheFilesThatWaitForItInOneQuery() {
        // GIVEN a lane that ran a FULL import, and three files: two wait, one is settled
        String dataset = dataset();
        FileEntry a = file(dataset, "users/a.csv", "01");
        FileEntry b = file(dataset, "users/b.csv", "02");
        FileEntry c = file(dataset, "users/c.csv", "03");
        List.of(a, b, c).forEach(ledger::record);
        assertTrue(ledger.claim(ledger.lane(dataset), running("job-a", a), List.of(a)));
        assertTrue(ledger.settle(a.withStatus(FileStatus.IMPORTED, "job-a", null, null)));
        assertTrue(ledger.release(dataset, "job-a", a.file().key(), "job-a",
                new Lane.LastFull(a.file().order(), a.file().key()), null, null));
        assertTrue(ledger.settle(b.withStatus(FileStatus.SUPERSEDED, null, "users/c.csv", "newer")));

        // WHEN the lane is read for planning
        LaneView view = ledger.laneView(dataset);

        // THEN it is free, remembers its FULL import, and the one waiting file comes whole, as its file item holds it
        assertFalse(view.lane().isBusy());
        assertEquals(new Lane.LastFull(a.file().order(), a.file().key()), view.lane().lastFull());
        assertEquals(List.of(ledger.file(dataset, Ledger.sortKey(c)).orElseThrow()), view.waiting());
    }

    @Test
    void aBusyLane_shouldBeReadWithoutTheFilesThatWaitForIt() {
        // GIVEN a lane held by an import while 60 files wait, more than one page of the lane's read
        String dataset = dataset();
        FileEntry first = file(dataset, "users/first.csv", "00");
        ledger.record(first);
        assertTrue(ledger.claim(ledger.lane(dataset), running("job-1", first), List.of(first)));
        for (int i = 1; i <= 60; i++) {
            ledger.record(file(dataset, "users/f" + i + ".csv", String.format("%03d", i)));
        }

        // WHEN it is read
        LaneView view = ledger.laneView(dataset);

        // THEN it names the import that holds it and reads no waiting file; freed, it reads all 60 in lane order
        assertEquals("job-1", view.lane().running().jobName());
        assertEquals(List.of(), view.waiting());
        assertTrue(ledger.settle(first.withStatus(FileStatus.IMPORTED, "job-1", null, null)));
        assertTrue(ledger.release(dataset, "job-1", first.file().key(), "job-1"));
        List<FileEntry> waiting = ledger.laneView(dataset).waiting();
        assertEquals(60, waiting.size());
        assertEquals(waiting.stream().sorted(Comparator.comparing(entry -> entry.file().order())).toList(), waiting);
    }

    @Test
    void openItemsWrittenBeforeTheyCarriedTheirFile_shouldStillBeReadThroughTheirFileItems() {
        // GIVEN a waiting file whose open item holds only its key, as the ledger wrote them before
        String dataset = dataset();
        FileEntry old = file(dataset, "users/old.csv", "01");
        FileEntry current = file(dataset, "users/new.csv", "02");
        ledger.record(old);
        ledger.record(current);
        Map<String, AttributeValue> openKey = Map.of("pk", AttributeValue.fromS(Ledger.partition(dataset)),
                "sk", AttributeValue.fromS("open#" + old.file().order()));
        client.putItem(put -> put.tableName(TABLE).item(openKey));

        // WHEN the lane is read, and the old file is then claimed
        List<FileEntry> waiting = ledger.laneView(dataset).waiting();
        List<FileEntry> recorded = List.of(ledger.file(dataset, Ledger.sortKey(old)).orElseThrow(),
                ledger.file(dataset, Ledger.sortKey(current)).orElseThrow());
        assertTrue(ledger.claim(ledger.lane(dataset), running("job-1", old), List.of(old)));

        // THEN both files wait, the old one read from its file item; claimed, it is IMPORTING however it is read
        assertEquals(recorded, waiting);
        assertEquals(List.of("users/old.csv"), ledger.files(dataset, FileStatus.IMPORTING).stream()
                .map(FileEntry::file).map(LaneFile::key).toList());
        assertEquals(List.of("users/new.csv"), ledger.files(dataset, FileStatus.PENDING).stream()
                .map(FileEntry::file).map(LaneFile::key).toList());
    }

    @Test
    void aClaim_shouldMoveItsFilesToImportingWithItOrWriteNothing() {
        // GIVEN a free lane with two waiting files, read by a function that plans to import both
        String dataset = dataset();
        FileEntry a = file(dataset, "users/a.csv", "01");
        FileEntry b = file(dataset, "users/b.csv", "02");
        ledger.record(a);
        ledger.record(b);
        Lane seen = ledger.lane(dataset);

        // WHEN another function settles one of them first, and then the claim is made
        assertTrue(ledger.settle(a.withStatus(FileStatus.SUPERSEDED, null, "users/z.csv", "newer")));
        boolean stale = ledger.claim(seen, running("job-1", a, b), List.of(a, b));

        // THEN that claim writes nothing: the lane stays free and the other file waits; a claim of what waits now wins,
        // and its file imports with its job in the ledger and in its open item alike
        assertFalse(stale);
        assertFalse(ledger.lane(dataset).isBusy());
        assertEquals(FileStatus.PENDING, ledger.file(dataset, Ledger.sortKey(b)).orElseThrow().standing().status());
        assertTrue(ledger.claim(ledger.lane(dataset), running("job-2", b), List.of(b)));
        FileEntry stored = ledger.file(dataset, Ledger.sortKey(b)).orElseThrow();
        assertEquals(FileStatus.IMPORTING, stored.standing().status());
        assertEquals("job-2", stored.standing().jobName());
        assertEquals(List.of(stored), ledger.files(dataset, FileStatus.IMPORTING));
        assertEquals(item(dataset, "file#" + b.file().order()).get("updatedAt"),
                item(dataset, "open#" + b.file().order()).get("updatedAt"),
                "the open item is a copy of its file item, to the time of its update");
    }

    @Test
    void aClaimOfMoreFilesThanOneTransactionHolds_shouldMoveThemAllToImporting() {
        // GIVEN 120 waiting files, more than the claim's transaction can move with it
        String dataset = dataset();
        List<FileEntry> files = new ArrayList<>();
        for (int i = 0; i < 120; i++) {
            FileEntry file = file(dataset, "users/f" + i + ".csv", String.format("%03d", i));
            ledger.record(file);
            files.add(file);
        }

        // WHEN one import claims the lane for all of them
        boolean claimed = ledger.claim(ledger.lane(dataset), running("job-1", files.toArray(FileEntry[]::new)), files);

        // THEN every one of them imports with that job, and none waits
        assertTrue(claimed);
        assertTrue(Ledger.FILES_WITH_CLAIM < files.size());
        List<FileEntry> importing = ledger.files(dataset, FileStatus.IMPORTING);
        assertEquals(120, importing.size());
        assertTrue(importing.stream().allMatch(file -> "job-1".equals(file.standing().jobName())));
        assertEquals(List.of(), ledger.files(dataset, FileStatus.PENDING));
    }

    @Test
    void aFreeLaneWithManyWaitingFiles_shouldBeReadInTwoQueries() {
        // GIVEN a free lane that 60 files wait for, read through a client that counts its requests
        String dataset = dataset();
        for (int i = 0; i < 60; i++) {
            ledger.record(file(dataset, "users/f" + i + ".csv", String.format("%03d", i)));
        }
        List<String> calls = new ArrayList<>();
        try (DynamoDbClient counting = countingClient(calls)) {

            // WHEN the lane is read
            List<FileEntry> waiting = new Ledger(counting, TABLE, Clock.systemUTC()).laneView(dataset).waiting();

            // THEN a small first page, then the rest in one: not a page of 25 for every 25 files
            assertEquals(60, waiting.size());
            assertEquals(List.of("Query", "Query"), calls);
        }
    }

    @Test
    void aNewFileOnAFreeLane_shouldCostTheTriggerFiveLedgerCalls() {
        // GIVEN a free lane, and a ledger whose client names each request it sends
        String dataset = dataset();
        FileEntry a = file(dataset, "users/a.csv", "01");
        List<String> calls = new ArrayList<>();
        try (DynamoDbClient counting = countingClient(calls)) {
            Ledger counted = new Ledger(counting, TABLE, Clock.systemUTC());

            // WHEN the trigger's steps for a new file run: record it, read the lane, claim it, mark the execution
            // started, and read the outbox to publish what waits
            assertTrue(counted.record(a));
            LaneView view = counted.laneView(dataset);
            assertEquals(List.of(a.file().key()), view.waiting().stream().map(FileEntry::file).map(LaneFile::key)
                    .toList());
            assertTrue(counted.claim(view.lane(), running("job-a", a), view.waiting()));
            assertTrue(counted.markStarted(dataset, "job-a"));
            assertEquals(List.of(), counted.outbox(dataset));

            // THEN each step is one request, of the kind it was before the ledger was split by concern
            assertEquals(List.of("TransactWriteItems", "Query", "TransactWriteItems", "UpdateItem", "Query"), calls);
        }
    }

    @Test
    void fileItemsOnMoreThanOnePage_shouldAllBeReadInLaneOrder() {
        // GIVEN five settled files, read through a client that asks for pages of two items
        String dataset = dataset();
        List<FileEntry> files = fiveFiles(dataset);
        files.forEach(file -> assertTrue(ledger.record(file)));
        files.forEach(file -> assertTrue(ledger.settle(file.withStatus(FileStatus.FAILED, "job", null, "bad"))));
        List<String> calls = new ArrayList<>();
        try (DynamoDbClient paging = countingClient(calls, SMALL_PAGE)) {
            Ledger small = new Ledger(paging, TABLE, Clock.systemUTC());

            // WHEN they are read, all of them and then by their final status, THEN each read follows its pages
            assertEquals(keys(files), keys(small.files(dataset)));
            assertTrue(calls.size() >= 3, "expected 3 pages or more, got " + calls);
            calls.clear();
            assertEquals(keys(files), keys(small.files(dataset, FileStatus.FAILED)));
            assertTrue(calls.size() >= 3, "expected 3 pages or more, got " + calls);
        }
    }

    @Test
    void openFilesOnMoreThanOnePage_shouldAllBeReadInLaneOrder() {
        // GIVEN five importing files, read through a client that asks for pages of two items
        String dataset = dataset();
        List<FileEntry> files = fiveFiles(dataset);
        files.forEach(file -> assertTrue(ledger.record(file)));
        files.forEach(file -> assertTrue(ledger.settle(file.withStatus(FileStatus.IMPORTING, "job", null, null))));
        List<String> calls = new ArrayList<>();
        try (DynamoDbClient paging = countingClient(calls, SMALL_PAGE)) {

            // WHEN the importing files are read
            List<FileEntry> importing = new Ledger(paging, TABLE, Clock.systemUTC()).files(dataset, FileStatus.IMPORTING);

            // THEN the read followed its pages to the last
            assertEquals(keys(files), keys(importing));
            assertTrue(calls.size() >= 3, "expected 3 pages or more, got " + calls);
        }
    }

    @Test
    void aFreeLaneWhoseWaitingFilesFillMoreThanOnePage_shouldBeReadWithAllOfThem() {
        // GIVEN a free lane that five files wait for, read through a client that asks for pages of two items
        String dataset = dataset();
        List<FileEntry> files = fiveFiles(dataset);
        files.forEach(file -> assertTrue(ledger.record(file)));
        List<String> calls = new ArrayList<>();
        try (DynamoDbClient paging = countingClient(calls, SMALL_PAGE)) {

            // WHEN the lane is read
            List<FileEntry> waiting = new Ledger(paging, TABLE, Clock.systemUTC()).laneView(dataset).waiting();

            // THEN the read followed its pages to the last
            assertEquals(keys(files), keys(waiting));
            assertTrue(calls.size() >= 3, "expected 3 pages or more, got " + calls);
        }
    }

    @Test
    void anOutboxOnMoreThanOnePage_shouldBeReadWholeAndEmptiedEventByEvent() {
        // GIVEN five unpublished events, read through a client that asks for pages of two items
        String dataset = dataset();
        List<OutboxEvent> events = new ArrayList<>();
        for (FileEntry file : fiveFiles(dataset)) {
            OutboxEvent event = event(dataset, "e-" + file.file().sequencer(),
                    "{\"key\":\"" + file.file().key() + "\"}");
            assertTrue(ledger.record(file, event));
            events.add(event);
        }
        List<String> calls = new ArrayList<>();
        try (DynamoDbClient paging = countingClient(calls, SMALL_PAGE)) {

            // WHEN the outbox is read
            List<OutboxEvent> waiting = new Ledger(paging, TABLE, Clock.systemUTC()).outbox(dataset);

            // THEN every event comes back as written, oldest first, over its pages; published, each leaves the outbox,
            // and publishing one twice changes nothing
            assertEquals(events, waiting);
            assertTrue(calls.size() >= 3, "expected 3 pages or more, got " + calls);
        }
        events.forEach(ledger::published);
        ledger.published(events.getFirst());
        assertEquals(List.of(), ledger.outbox(dataset));
    }

    @Test
    void aDuplicateRecordWithAnEvent_shouldWriteNeitherTheFileNorTheEventAgain() {
        // GIVEN a file recorded with its event
        String dataset = dataset();
        FileEntry a = file(dataset, "users/a.csv", "01").withStatus(FileStatus.REJECTED, null, null, "bad header");
        OutboxEvent first = event(dataset, "e-1", "{\"n\":1}");
        assertTrue(ledger.record(a, first));

        // WHEN the same event is delivered again, with an event of its own
        boolean again = ledger.record(a.withStatus(FileStatus.REJECTED, null, null, "other"),
                event(dataset, "e-2", "{\"n\":2}"));

        // THEN the transaction is cancelled on its condition: the file and the outbox are as the first record left them
        assertFalse(again);
        assertEquals("bad header", ledger.file(dataset, Ledger.sortKey(a)).orElseThrow().standing().reason());
        assertEquals(List.of(first), ledger.outbox(dataset));
    }

    @Test
    void aSecondSettlementWithAnEvent_shouldWriteNoEvent() {
        // GIVEN a file settled with its event
        String dataset = dataset();
        FileEntry a = file(dataset, "users/a.csv", "01");
        assertTrue(ledger.record(a));
        OutboxEvent first = event(dataset, "e-1", "{}");
        assertTrue(ledger.settle(a.withStatus(FileStatus.IMPORTED, "job-1", null, null), first));

        // WHEN a retried task settles it again with another event
        boolean again = ledger.settle(a.withStatus(FileStatus.FAILED, "job-1", null, "late"), event(dataset, "e-2", "{}"));

        // THEN nothing is written: the file keeps its outcome and only the first event waits
        assertFalse(again);
        assertEquals(FileStatus.IMPORTED, ledger.file(dataset, Ledger.sortKey(a)).orElseThrow().standing().status());
        assertEquals(List.of(first), ledger.outbox(dataset));
    }

    @Test
    void aReleaseByAnExecutionThatDoesNotHoldTheLane_shouldWriteNoEvent() {
        // GIVEN a lane held by job-1
        String dataset = dataset();
        FileEntry a = file(dataset, "users/a.csv", "01");
        assertTrue(ledger.record(a));
        assertTrue(ledger.claim(ledger.lane(dataset), running("job-1", a), List.of(a)));

        // WHEN another execution releases it, with the event of its import's end
        boolean released = ledger.release(dataset, "job-2", a.file().key(), "job-2", null, null, event(dataset, "e-2", "{}"));

        // THEN the transaction is cancelled on its condition: the lane stays with job-1 and no event waits; job-1's own
        // release frees it and writes its event
        assertFalse(released);
        assertEquals("job-1", ledger.lane(dataset).running().jobName());
        assertEquals(List.of(), ledger.outbox(dataset));
        OutboxEvent ended = event(dataset, "e-1", "{}");
        assertTrue(ledger.release(dataset, "job-1", a.file().key(), "job-1", null, null, ended));
        assertFalse(ledger.lane(dataset).isBusy());
        assertEquals(List.of(ended), ledger.outbox(dataset));
    }

    @Test
    void aRecordedFile_shouldHaveAnOpenItemThatCopiesItsFileItem() {
        // GIVEN a waiting file
        String dataset = dataset();
        FileEntry a = file(dataset, "users/a.csv", "01");

        // WHEN it is recorded
        assertTrue(ledger.record(a));

        // THEN its open item holds every attribute of its file item, to the time it was received
        Map<String, AttributeValue> fileItem = new HashMap<>(item(dataset, "file#" + a.file().order()));
        Map<String, AttributeValue> openItem = new HashMap<>(item(dataset, "open#" + a.file().order()));
        assertEquals("open#" + a.file().order(), openItem.remove("sk").s());
        assertEquals("open", openItem.remove("type").s());
        fileItem.remove("sk");
        assertEquals("file", fileItem.remove("type").s());
        assertEquals(fileItem, openItem);
    }

    private static List<FileEntry> fiveFiles(String dataset) {
        List<FileEntry> files = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            files.add(file(dataset, "users/f" + i + ".csv", String.format("%02d", i)));
        }
        return files;
    }

    private static List<String> keys(List<FileEntry> files) {
        return files.stream().map(FileEntry::file).map(LaneFile::key).toList();
    }

    private static OutboxEvent event(String dataset, String id, String detail) {
        return new OutboxEvent(id, "Test Event", dataset, detail);
    }

    /** A client of DynamoDB Local that adds the name of each operation it sends to {@code calls}. */
    private static DynamoDbClient countingClient(List<String> calls) {
        return countingClient(calls, null);
    }

    /**
     * A client of DynamoDB Local that adds the name of each operation it sends to {@code calls} and, unless
     * {@code pageLimit} is null, asks every Query for pages of at most that many items (DynamoDB Local answers a large
     * result in one page, where DynamoDB stops at 1 MB).
     */
    private static DynamoDbClient countingClient(List<String> calls, Integer pageLimit) {
        ExecutionInterceptor counter = new ExecutionInterceptor() {
            @Override
            public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
                calls.add(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME));
            }

            @Override
            public SdkRequest modifyRequest(Context.ModifyRequest context, ExecutionAttributes attributes) {
                return pageLimit != null && context.request() instanceof QueryRequest query
                        ? query.toBuilder().limit(pageLimit).build() : context.request();
            }
        };
        return clientBuilder().overrideConfiguration(config -> config.addExecutionInterceptor(counter)).build();
    }
}
