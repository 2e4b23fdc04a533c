package io.personalizeimport.local.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.personalizeimport.lambdas.config.DeletionRoute;
import io.personalizeimport.lambdas.config.ImportMode;
import io.personalizeimport.lambdas.config.Route;
import io.personalizeimport.lambdas.domain.S3Object;
import io.personalizeimport.lambdas.lane.FileEntry;
import io.personalizeimport.lambdas.lane.FileStatus;
import io.personalizeimport.lambdas.lane.Lane;
import io.personalizeimport.lambdas.lane.LaneFile;
import io.personalizeimport.lambdas.ledger.Ledger;
import io.personalizeimport.lambdas.ledger.LedgerTable;
import io.personalizeimport.local.dynamodb.LocalDynamoDb;
import io.personalizeimport.local.ledger.LedgerListing;
import io.personalizeimport.local.stack.LocalStack;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * {@code local/run files} against DynamoDB Local holding a ledger written by the functions' own {@link Ledger}, found
 * through the stack file as every command finds the running stack.
 */
class FilesCommandTest {

    private static final String USERS = LocalStack.demoDatasetArn("USERS");
    private static final String INTERACTIONS = LocalStack.demoDatasetArn("INTERACTIONS");

    @TempDir
    Path dataDir;

    private LocalDynamoDb dynamoDb;
    private DynamoDbClient client;

    @BeforeEach
    void startLedger() throws IOException {
        dynamoDb = LocalDynamoDb.builder().build().start();
        client = DynamoDbClient.builder().endpointOverride(dynamoDb.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("key", "secret")))
                .httpClient(UrlConnectionHttpClient.create()).build();
        LedgerListing.createTable(client, LocalStack.LEDGER_TABLE);
        new StackFile(ProcessHandle.current().pid(), Map.of("dynamodb", dynamoDb.endpoint()),
                LocalStack.BUCKET, dataDir.resolve("s3"), "arn:aws:states:us-east-1:000000000000:stateMachine:x",
                LocalStack.REGION, "key", "secret",
                List.of(new StackFile.RouteInfo("people", "people/", USERS, null),
                        new StackFile.RouteInfo("clicks", "clicks/", INTERACTIONS, null))).write(dataDir);
    }

    @AfterEach
    void stopLedger() {
        client.close();
        dynamoDb.close();
    }

    @Test
    void ledgerWithFilesOfTwoDatasets_shouldListThemInLaneOrderWithStatusJobAndWhy() {
        // GIVEN two lanes: users with a superseded, an imported and a rejected file; interactions with one importing
        putLane(USERS);
        putFile(USERS, "2026-11-24T08:00:02.000Z", "0A", "people/b.csv", "IMPORTED", "people-b-job", null, null);
        putFile(USERS, "2026-11-24T08:00:01.000Z", "09", "people/a.csv", "SUPERSEDED", null, "people/b.csv", null);
        putFile(USERS, "2026-11-24T08:00:03.000Z", "0B", "people/c.csv", "REJECTED", null, null,
                "Input CSV is missing the following columns: [USER_ID]");
        putFile(INTERACTIONS, "2026-11-24T07:59:00.000Z", "01", "clicks/x.csv", "IMPORTING", "clicks-x-job", null, null);

        // WHEN files are listed
        List<String> lines = run("files");

        // THEN a header, then each dataset's files in the order of their S3 events, with status, job and why
        assertEquals(5, lines.size(), String.join("\n", lines));
        assertTrue(lines.get(0).matches("DATASET +KEY +STATUS +JOB +DETAIL"), lines.get(0));
        assertTrue(lines.get(1).matches("personalize-import-demo/INTERACTIONS +clicks/x.csv +IMPORTING +clicks-x-job"),
                lines.get(1));
        assertTrue(lines.get(2).matches(
                "personalize-import-demo/USERS +people/a.csv +SUPERSEDED +- +superseded by people/b.csv"), lines.get(2));
        assertTrue(lines.get(3).matches("personalize-import-demo/USERS +people/b.csv +IMPORTED +people-b-job"),
                lines.get(3));
        assertTrue(lines.get(4).matches("personalize-import-demo/USERS +people/c.csv +REJECTED +- +"
                + "Input CSV is missing the following columns: \\[USER_ID]"), lines.get(4));
    }

    @ParameterizedTest
    @ValueSource(strings = {"people", "USERS", "users", "personalize-import-demo/USERS",
        "arn:aws:personalize:us-east-1:000000000000:dataset/personalize-import-demo/USERS"})
    void datasetOption_shouldListOnlyThatDatasetsFiles(String dataset) {
        // GIVEN files in two datasets
        putFile(USERS, "2026-11-24T08:00:01.000Z", "09", "people/a.csv", "PENDING", null, null, null);
        putFile(INTERACTIONS, "2026-11-24T07:59:00.000Z", "01", "clicks/x.csv", "IMPORTING", "clicks-x-job", null, null);

        // WHEN files are listed for the users dataset, named by route, type, group/TYPE or ARN
        List<String> lines = run("files", "--dataset", dataset);

        // THEN only its file is listed
        assertEquals(2, lines.size(), String.join("\n", lines));
        assertTrue(lines.get(1).startsWith("personalize-import-demo/USERS  people/a.csv  PENDING"), lines.get(1));
    }

    @Test
    void jsonOption_shouldGiveEveryAttributeOfEachFile() throws IOException {
        // GIVEN a file item with its optional attributes
        putFile(USERS, "2026-11-24T08:00:01.000Z", "09", "people/a.csv", "FAILED", "people-a-job", null,
                "Insufficient privileges for accessing data in Amazon S3");

        // WHEN files are listed as JSON
        JsonNode files = Cli.MAPPER.readTree(String.join("\n", run("files", "--json")));

        // THEN each attribute of the item is there, and absent ones are left out
        assertEquals(1, files.size());
        JsonNode file = files.get(0);
        assertEquals(USERS, file.path("datasetArn").asText());
        // The sequencer right-padded with zeros, as S3 sequencers are compared
        assertEquals("2026-11-24T08:00:01.000Z#09" + "0".repeat(30) + "#" + LocalStack.BUCKET + "/people/a.csv",
                file.path("order").asText());
        assertEquals("people", file.path("route").asText());
        assertEquals("FAILED", file.path("status").asText());
        assertEquals("people-a-job", file.path("jobName").asText());
        assertEquals(1234, file.path("size").asLong());
        assertEquals("Insufficient privileges for accessing data in Amazon S3", file.path("reason").asText());
        assertTrue(file.path("supersededBy").isMissingNode());
    }

    @Test
    void aDeletedListOfUsers_shouldShowItsGroupAndTheRecordsDeleted() {
        // GIVEN a list of users deleted from the demo group, recorded as the functions record it
        String group = LocalStack.datasetGroupArn(LocalStack.DATASET_GROUP);
        DeletionRoute forget = new DeletionRoute("forget", "forget/", group, "arn:aws:iam::000000000000:role/import",
                Map.of());
        FileEntry list = FileEntry.pending(LaneFile.deletion(forget, new S3Object(LocalStack.BUCKET,
                "forget/list.csv", null, "etag", 20), "0C", Instant.parse("2026-12-07T09:00:00Z")))
                .withStatus(FileStatus.DELETED, "forget-list-job", null, null).counted(82);
        new Ledger(client, LocalStack.LEDGER_TABLE, Clock.systemUTC()).record(list);

        // WHEN files are listed
        List<String> lines = run("files");

        // THEN the list shows under its group, DELETED, with the records its job removed
        assertTrue(lines.get(1).matches("personalize-import-demo \\(group\\) +forget/list.csv +DELETED +forget-list-job"
                + " +82 records deleted"), lines.get(1));
    }

    @Test
    void emptyLedger_shouldSaySo() {
        assertEquals(List.of("No files in the import ledger yet."), run("files"));
    }

    @Test
    void unknownDataset_shouldBeAUsageError() {
        UsageException error = assertThrows(UsageException.class, () -> run("files", "--dataset", "ACTIONS"));

        assertTrue(error.getMessage().contains("--dataset 'ACTIONS' names no dataset"), error.getMessage());
        assertEquals(Cli.USAGE, Commands.run(new String[] {"files", "--dataset", "ACTIONS", "--data-dir",
            dataDir.toString()}));
    }

    @Test
    void noRunningStack_shouldExitOne(@TempDir Path empty) {
        assertEquals(Cli.FAILED, Commands.run(new String[] {"files", "--data-dir", empty.toString()}));
    }

    @Test
    void stackWithoutDynamoDb_shouldExitOneSayingToRestartIt(@TempDir Path older) throws IOException {
        // GIVEN the stack file of a stack started before the ledger existed
        new StackFile(ProcessHandle.current().pid(), Map.of("s3", URI.create("http://127.0.0.1:1")), LocalStack.BUCKET,
                older.resolve("s3"), "arn", LocalStack.REGION, "key", "secret", List.of()).write(older);

        // WHEN files are listed THEN it fails, saying why
        CommandFailedException error = assertThrows(CommandFailedException.class,
                () -> FilesCommand.run(new String[] {"--data-dir", older.toString()}, System.out));
        assertTrue(error.getMessage().contains("has no DynamoDB endpoint"), error.getMessage());
    }

    private List<String> run(String... argv) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        String[] withDataDir = java.util.stream.Stream.concat(java.util.Arrays.stream(argv).skip(1),
                java.util.stream.Stream.of("--data-dir", dataDir.toString())).toArray(String[]::new);
        int exit = FilesCommand.run(withDataDir, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        assertEquals(Cli.OK, exit);
        return bytes.toString(StandardCharsets.UTF_8).lines().toList();
    }

    /** A lane item, as claiming and releasing leave it: free, after some imports. */
    private void putLane(String datasetArn) {
        client.putItem(request -> request.tableName(LocalStack.LEDGER_TABLE).item(Map.of(
                LedgerTable.PARTITION_KEY, AttributeValue.fromS(Ledger.partition(datasetArn)),
                LedgerTable.SORT_KEY, AttributeValue.fromS("lane"),
                "datasetArn", AttributeValue.fromS(datasetArn),
                "version", AttributeValue.fromN("4"))));
    }

    @Test
    void heldInteractionsFiles_shouldSayHowManyRecordsTheyWaitFor() {
        // GIVEN two small counted files that the free interactions lane holds, as the functions record and note them
        Ledger ledger = new Ledger(client, LocalStack.LEDGER_TABLE, Clock.systemUTC());
        Route events = new Route("clicks", "clicks/", INTERACTIONS, ImportMode.INCREMENTAL,
                "arn:aws:iam::000000000000:role/import", Map.of(), null, Route.Group.FILE, Route.DEFAULT_MARKER,
                Route.DEFAULT_MARKER_TIMEOUT, true, null, Route.DEFAULT_LONGEST_HOLD);
        FileEntry first = FileEntry.pending(LaneFile.written(events, new S3Object(LocalStack.BUCKET, "clicks/1.csv",
                null, "\"01\"", 900), "01", Instant.now())).counted(100);
        assertTrue(ledger.record(first));
        assertTrue(ledger.record(FileEntry.pending(LaneFile.written(events, new S3Object(LocalStack.BUCKET,
                "clicks/2.csv", null, "\"02\"", 2000), "02", Instant.now())).counted(240)));
        assertTrue(ledger.hold(ledger.lane(INTERACTIONS), new Lane.Holding(340, 1_000, first.file().eventTime(),
                Route.DEFAULT_LONGEST_HOLD, first.file().sortKey(), false)));

        // WHEN the files are listed
        List<String> lines = run("files", "--dataset", "clicks");

        // THEN each held file says what it waits for
        assertEquals(3, lines.size(), lines::toString);
        assertTrue(lines.get(1).endsWith("waiting: 340 of 1,000 interactions"), lines.get(1));
        assertTrue(lines.get(2).endsWith("waiting: 340 of 1,000 interactions"), lines.get(2));
    }

    /** A file as the functions record and settle it. */
    private void putFile(String datasetArn, String eventTime, String sequencer, String key, String status,
            String jobName, String supersededBy, String reason) {
        Ledger ledger = new Ledger(client, LocalStack.LEDGER_TABLE, Clock.systemUTC());
        String name = key.substring(0, key.indexOf('/'));
        Route route = new Route(name, name + "/", datasetArn, ImportMode.FULL, "arn:aws:iam::000000000000:role/import",
                Map.of(), null);
        FileEntry entry = FileEntry.pending(LaneFile.written(route,
                new S3Object(LocalStack.BUCKET, key, null, "\"0123\"", 1234), sequencer, Instant.parse(eventTime)));
        assertTrue(ledger.record(entry));
        if (!status.equals("PENDING")) {
            assertTrue(ledger.settle(entry.withStatus(FileStatus.valueOf(status), jobName, supersededBy, reason)));
        }
    }
}
