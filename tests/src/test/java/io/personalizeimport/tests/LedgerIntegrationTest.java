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
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** The ledger's conditional writes on DynamoDB Local, through the real SDK client: what makes a lane safe to share. */
class LedgerIntegrationTest {

    private static final String TABLE = "ledger-test";
    private static LocalDynamoDb dynamoDb;
    private static DynamoDbClient client;
    private static Ledger ledger;

    @BeforeAll
    static void start() {
        dynamoDb = LocalDynamoDb.builder().build().start();
        client = DynamoDbClient.builder().endpointOverride(dynamoDb.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .build();
        io.personalizeimport.local.ledger.LedgerListing.createTable(client, TABLE);
        ledger = new Ledger(client, TABLE, Clock.systemUTC());
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

    private static Lane.Running running(String job, FileEntry file) {
        return new Lane.Running(job, job, List.of(Ledger.sortKey(file)), Instant.now(), false, "{}");
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
    void twoClaimsFromOneReading_shouldLetExactlyOneWin() {
        // GIVEN two functions that both read the free lane
        String dataset = dataset();
        FileEntry a = file(dataset, "users/a.csv", "01");
        ledger.record(a);
        Lane seen = ledger.lane(dataset);

        // WHEN both claim it
        boolean first = ledger.claim(seen, running("job-1", a), null);
        boolean second = ledger.claim(seen, running("job-2", a), null);

        // THEN one wins, and the lane names the winner until it is released by it (and only by it)
        assertTrue(first ^ second);
        assertEquals("job-1", ledger.lane(dataset).running().jobName());
        assertFalse(ledger.release(dataset, "job-2", null, null));
        assertTrue(ledger.release(dataset, "job-1", "users/a.csv", "job-1"));
        assertFalse(ledger.lane(dataset).isBusy());
        assertTrue(ledger.claim(ledger.lane(dataset), running("job-3", a), null), "a released lane is free again");
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
}
