package io.personalizeimport.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.personalizeimport.lambdas.config.ImportMode;
import io.personalizeimport.lambdas.ledger.FileEntry;
import io.personalizeimport.lambdas.ledger.FileStatus;
import io.personalizeimport.lambdas.ledger.Lane;
import io.personalizeimport.lambdas.ledger.Ledger;
import io.personalizeimport.local.dynamodb.LocalDynamoDb;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClientBuilder;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;

/** The ledger's conditional writes on DynamoDB Local, through the real SDK client: what makes a lane safe to share. */
class LedgerIntegrationTest {

    private static final String TABLE = "ledger-test";
    private static LocalDynamoDb dynamoDb;
    private static DynamoDbClient client;
    private static Ledger ledger;

    @BeforeAll
    static void start() {
        dynamoDb = LocalDynamoDb.builder().build().start();
        client = clientBuilder().build();
        io.personalizeimport.local.ledger.LedgerListing.createTable(client, TABLE);
        ledger = new Ledger(client, TABLE, Clock.systemUTC());
    }

    private static DynamoDbClientBuilder clientBuilder() {
        return DynamoDbClient.builder().endpointOverride(dynamoDb.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")));
    }

    @AfterAll
    static void stop() {
        client.close();
        dynamoDb.close();
    }

    private static String dataset() {
        return "arn:aws:personalize:us-east-1:000000000000:dataset/g-" + UUID.randomUUID() + "/USERS";
    }

    private static FileEntry file(String dataset, String key, String sequencer) {
        return new FileEntry(dataset, "users", "bucket", key, null, "etag-" + key, 10, sequencer,
                Instant.parse("2026-11-24T10:00:00Z"), ImportMode.FULL, FileStatus.PENDING, null, null, null, null, null);
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
        assertEquals(List.of("open#" + files.get(3).order()), openItems);
        assertEquals(List.of("users/d.csv"), ledger.files(dataset, FileStatus.IMPORTING).stream()
                .map(FileEntry::key).toList());
        assertTrue(ledger.files(dataset, FileStatus.PENDING).isEmpty());
        assertFalse(ledger.settle(files.get(1).withStatus(FileStatus.FAILED, "job-b", null, "late")));
        assertEquals(FileStatus.IMPORTED, ledger.file(dataset, Ledger.sortKey(files.get(1))).orElseThrow().status());
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
        boolean first = ledger.claim(seen, running("job-1", a), null, List.of(a));
        boolean second = ledger.claim(seen, running("job-2", a), null, List.of(a));

        // THEN one wins, and the lane names the winner until it is released by it (and only by it)
        assertTrue(first ^ second);
        assertEquals("job-1", ledger.lane(dataset).running().jobName());
        assertFalse(ledger.release(dataset, "job-2", null, null));
        assertTrue(ledger.release(dataset, "job-1", "users/a.csv", "job-1"));
        assertFalse(ledger.lane(dataset).isBusy());
        assertTrue(ledger.claim(ledger.lane(dataset), running("job-3", a), null, List.of(a)), "a released lane is free again");
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
        assertEquals(FileStatus.IMPORTED, stored.status());
        assertEquals("job-1", stored.jobName());
    }

    @Test
    void aFolder_shouldBeOpenedOnceUntilItsMarkerClosesIt() {
        String dataset = dataset();

        assertEquals("watch-1", ledger.openFolder(dataset, "exports/day/", "watch-1"));
        assertEquals("watch-1", ledger.openFolder(dataset, "exports/day/", "watch-2"), "a later part finds it open");
        ledger.closeFolder(dataset, "exports/day/");
        assertTrue(ledger.isFolderClosed(dataset, "exports/day/"));
        assertEquals("watch-3", ledger.openFolder(dataset, "exports/day/", "watch-3"), "a new export reopens it");
    }

    @Test
    void aFreeLane_shouldBeReadWithTheFilesThatWaitForItInOneQuery() {
        // GIVEN a lane that ran a FULL import, and three files: two wait, one is settled
        String dataset = dataset();
        FileEntry a = file(dataset, "users/a.csv", "01");
        FileEntry b = file(dataset, "users/b.csv", "02");
        FileEntry c = file(dataset, "users/c.csv", "03");
        List.of(a, b, c).forEach(ledger::record);
        assertTrue(ledger.claim(ledger.lane(dataset), running("job-a", a), new Lane.LastFull(a.order(), a.key()),
                List.of(a)));
        assertTrue(ledger.settle(a.withStatus(FileStatus.IMPORTED, "job-a", null, null)));
        assertTrue(ledger.release(dataset, "job-a", a.key(), "job-a"));
        assertTrue(ledger.settle(b.withStatus(FileStatus.SUPERSEDED, null, "users/c.csv", "newer")));

        // WHEN the lane is read for planning
        Ledger.LaneView view = ledger.laneView(dataset);

        // THEN it is free, remembers its FULL import, and the one waiting file comes whole, as its file item holds it
        assertFalse(view.lane().isBusy());
        assertEquals(new Lane.LastFull(a.order(), a.key()), view.lane().lastFull());
        assertEquals(List.of(ledger.file(dataset, Ledger.sortKey(c)).orElseThrow()), view.waiting());
    }

    @Test
    void aBusyLane_shouldBeReadWithoutTheFilesThatWaitForIt() {
        // GIVEN a lane held by an import while 60 files wait, more than one page of the lane's read
        String dataset = dataset();
        FileEntry first = file(dataset, "users/first.csv", "00");
        ledger.record(first);
        assertTrue(ledger.claim(ledger.lane(dataset), running("job-1", first), null, List.of(first)));
        for (int i = 1; i <= 60; i++) {
            ledger.record(file(dataset, "users/f" + i + ".csv", String.format("%03d", i)));
        }

        // WHEN it is read
        Ledger.LaneView view = ledger.laneView(dataset);

        // THEN it names the import that holds it and reads no waiting file; freed, it reads all 60 in lane order
        assertEquals("job-1", view.lane().running().jobName());
        assertEquals(List.of(), view.waiting());
        assertTrue(ledger.settle(first.withStatus(FileStatus.IMPORTED, "job-1", null, null)));
        assertTrue(ledger.release(dataset, "job-1", first.key(), "job-1"));
        List<FileEntry> waiting = ledger.laneView(dataset).waiting();
        assertEquals(60, waiting.size());
        assertEquals(waiting.stream().sorted(Comparator.comparing(FileEntry::order)).toList(), waiting);
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
                "sk", AttributeValue.fromS("open#" + old.order()));
        client.putItem(put -> put.tableName(TABLE).item(openKey));

        // WHEN the lane is read, and the old file is then claimed
        List<FileEntry> waiting = ledger.laneView(dataset).waiting();
        List<FileEntry> recorded = List.of(ledger.file(dataset, Ledger.sortKey(old)).orElseThrow(),
                ledger.file(dataset, Ledger.sortKey(current)).orElseThrow());
        assertTrue(ledger.claim(ledger.lane(dataset), running("job-1", old), null, List.of(old)));

        // THEN both files wait, the old one read from its file item; claimed, it is IMPORTING however it is read
        assertEquals(recorded, waiting);
        assertEquals(List.of("users/old.csv"), ledger.files(dataset, FileStatus.IMPORTING).stream()
                .map(FileEntry::key).toList());
        assertEquals(List.of("users/new.csv"), ledger.files(dataset, FileStatus.PENDING).stream()
                .map(FileEntry::key).toList());
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
        boolean stale = ledger.claim(seen, running("job-1", a, b), null, List.of(a, b));

        // THEN that claim writes nothing: the lane stays free and the other file waits; a claim of what waits now wins,
        // and its file imports with its job in the ledger and in its open item alike
        assertFalse(stale);
        assertFalse(ledger.lane(dataset).isBusy());
        assertEquals(FileStatus.PENDING, ledger.file(dataset, Ledger.sortKey(b)).orElseThrow().status());
        assertTrue(ledger.claim(ledger.lane(dataset), running("job-2", b), null, List.of(b)));
        FileEntry stored = ledger.file(dataset, Ledger.sortKey(b)).orElseThrow();
        assertEquals(FileStatus.IMPORTING, stored.status());
        assertEquals("job-2", stored.jobName());
        assertEquals(List.of(stored), ledger.files(dataset, FileStatus.IMPORTING));
        assertEquals(item(dataset, "file#" + b.order()).get("updatedAt"), item(dataset, "open#" + b.order())
                .get("updatedAt"), "the open item is a copy of its file item, to the time of its update");
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
        boolean claimed = ledger.claim(ledger.lane(dataset), running("job-1", files.toArray(FileEntry[]::new)), null,
                files);

        // THEN every one of them imports with that job, and none waits
        assertTrue(claimed);
        assertTrue(Ledger.FILES_WITH_CLAIM < files.size());
        List<FileEntry> importing = ledger.files(dataset, FileStatus.IMPORTING);
        assertEquals(120, importing.size());
        assertTrue(importing.stream().allMatch(file -> "job-1".equals(file.jobName())));
        assertEquals(List.of(), ledger.files(dataset, FileStatus.PENDING));
    }

    @Test
    void aFreeLaneWithManyWaitingFiles_shouldBeReadInTwoQueries() {
        // GIVEN a free lane that 60 files wait for, read through a client that counts its Query requests
        String dataset = dataset();
        for (int i = 0; i < 60; i++) {
            ledger.record(file(dataset, "users/f" + i + ".csv", String.format("%03d", i)));
        }
        AtomicInteger queries = new AtomicInteger();
        ExecutionInterceptor counter = new ExecutionInterceptor() {
            @Override
            public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
                if (context.request() instanceof QueryRequest) {
                    queries.incrementAndGet();
                }
            }
        };
        try (DynamoDbClient counting = clientBuilder()
                .overrideConfiguration(config -> config.addExecutionInterceptor(counter)).build()) {

            // WHEN the lane is read
            List<FileEntry> waiting = new Ledger(counting, TABLE, Clock.systemUTC()).laneView(dataset).waiting();

            // THEN a small first page, then the rest in one: not a page of 25 for every 25 files
            assertEquals(60, waiting.size());
            assertEquals(2, queries.get());
        }
    }
}
