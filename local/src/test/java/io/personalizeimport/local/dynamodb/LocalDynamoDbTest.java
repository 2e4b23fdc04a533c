package io.personalizeimport.local.dynamodb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/** DynamoDB Local on 127.0.0.1, through the real SDK v2 client. */
class LocalDynamoDbTest {

    private static final String TABLE = "ledger";
    private static final Map<String, AttributeValue> KEY = Map.of(
            "pk", AttributeValue.fromS("lane#arn:aws:personalize:us-east-1:000000000000:dataset/g/USERS"),
            "sk", AttributeValue.fromS("lane"));

    @TempDir
    Path dataDir;

    @Test
    void started_shouldListenOnLoopbackOnly() throws IOException {
        // GIVEN a started server
        try (LocalDynamoDb dynamoDb = LocalDynamoDb.builder().build().start()) {
            int port = dynamoDb.endpoint().getPort();

            // WHEN its endpoint is read and its port is tried on 127.0.0.1 and on a non-loopback address
            // THEN the endpoint is 127.0.0.1, which answers, and no other address does
            assertEquals("127.0.0.1", dynamoDb.endpoint().getHost());
            try (Socket loopback = new Socket(InetAddress.getLoopbackAddress(), port)) {
                assertTrue(loopback.isConnected());
            }
            Optional<InetAddress> external = nonLoopbackAddress();
            assumeTrue(external.isPresent(), "this machine has no non-loopback IPv4 address to try");
            try (Socket socket = new Socket()) {
                assertThrows(ConnectException.class,
                        () -> socket.connect(new InetSocketAddress(external.get(), port), 2_000));
            }
        }
    }

    @Test
    void item_shouldRoundTripThroughATable() {
        // GIVEN a table with the ledger's key schema
        try (LocalDynamoDb dynamoDb = LocalDynamoDb.builder().build().start();
                DynamoDbClient client = client(dynamoDb)) {
            createTable(client);

            // WHEN an item is put and read back
            client.putItem(request -> request.tableName(TABLE).item(item("v1")));
            Map<String, AttributeValue> read = client.getItem(request -> request.tableName(TABLE).key(KEY)
                    .consistentRead(true)).item();

            // THEN it is the same item
            assertEquals(item("v1"), read);
        }
    }

    @Test
    void requestUnits_shouldCountThePipelinesRequestsAsBilledAndLeaveAnObserversOut() {
        // GIVEN a table, and a client that marks its requests as an observer's
        try (LocalDynamoDb dynamoDb = LocalDynamoDb.builder().build().start();
                DynamoDbClient client = client(dynamoDb);
                DynamoDbClient observer = DynamoDbClient.builder().endpointOverride(dynamoDb.endpoint())
                        .region(Region.US_EAST_1).credentialsProvider(StaticCredentialsProvider.create(
                                AwsBasicCredentials.create("local", "secret")))
                        .overrideConfiguration(config -> config.putHeader(LocalDynamoDb.UNCOUNTED_HEADER, "test"))
                        .httpClient(UrlConnectionHttpClient.create()).build()) {
            createTable(client);
            RequestUnits before = dynamoDb.requestUnits();

            // WHEN the pipeline's client puts a small item and reads it consistently, and the observer reads it too
            client.putItem(request -> request.tableName(TABLE).item(item("v1")));
            client.getItem(request -> request.tableName(TABLE).key(KEY).consistentRead(true));
            observer.getItem(request -> request.tableName(TABLE).key(KEY).consistentRead(true));

            // THEN one write unit and one read unit are counted, the observer's read not, and it still got its answer
            RequestUnits counted = dynamoDb.requestUnits().since(before);
            assertEquals(1.0, counted.write(), 0.0001);
            assertEquals(1.0, counted.read(), 0.0001);
            assertEquals(item("v1"), observer.getItem(request -> request.tableName(TABLE).key(KEY)
                    .consistentRead(true)).item());
        }
    }

    @Test
    void restartOverTheSameDataDir_shouldKeepTablesAndItems() {
        // GIVEN a table and an item written by a server that has stopped
        try (LocalDynamoDb first = LocalDynamoDb.builder().dataDir(dataDir).build().start();
                DynamoDbClient client = client(first)) {
            createTable(client);
            client.putItem(request -> request.tableName(TABLE).item(item("kept")));
        }

        // WHEN another server starts over the same data directory
        try (LocalDynamoDb second = LocalDynamoDb.builder().dataDir(dataDir).build().start();
                DynamoDbClient client = client(second)) {

            // THEN the table and the item are there
            assertEquals(item("kept"), client.getItem(request -> request.tableName(TABLE).key(KEY)
                    .consistentRead(true)).item());
            assertTrue(Files.exists(dataDir.resolve("shared-local-instance.db")));
        }
    }

    @Test
    void closed_shouldLeaveNoBackgroundJobThreads() throws InterruptedException {
        // GIVEN a server whose database runs its background jobs (stream shard rollover, TTL deletion)
        try (LocalDynamoDb dynamoDb = LocalDynamoDb.builder().build().start();
                DynamoDbClient client = client(dynamoDb)) {
            createTable(client);
            client.updateTimeToLive(request -> request.tableName(TABLE)
                    .timeToLiveSpecification(ttl -> ttl.attributeName("expiresAt").enabled(true)));
            assertTrue(jobThreads() > 0, "background job threads while running");

            // WHEN it is closed
        }

        // THEN none of its job threads outlives it, to keep a JVM that has no other work from exiting
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (jobThreads() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertEquals(0, jobThreads());
    }

    private static long jobThreads() {
        return Thread.getAllStackTraces().entrySet().stream()
                .filter(thread -> thread.getKey().isAlive() && !thread.getKey().isDaemon())
                .filter(thread -> java.util.Arrays.stream(thread.getValue()).anyMatch(frame ->
                        frame.getClassName().startsWith("com.amazonaws.services.dynamodbv2.local.shared.jobs.")))
                .count();
    }

    @Test
    void portInUse_shouldFailToStartWithTheBindError() throws IOException {
        // GIVEN a port taken on 127.0.0.1
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            LocalDynamoDb dynamoDb = LocalDynamoDb.builder().port(taken.getLocalPort()).build();

            // WHEN the server starts on it
            IllegalStateException failure = assertThrows(IllegalStateException.class, dynamoDb::start);

            // THEN it fails, with the BindException among the causes, and holds nothing open
            assertNotNull(bindCause(failure), "a BindException cause");
            assertThrows(IllegalStateException.class, dynamoDb::endpoint);
        }
    }

    private static Throwable bindCause(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof BindException) {
                return cause;
            }
        }
        return null;
    }

    private static Optional<InetAddress> nonLoopbackAddress() throws SocketException {
        return NetworkInterface.networkInterfaces()
                .filter(network -> {
                    try {
                        return network.isUp() && !network.isLoopback();
                    } catch (SocketException e) {
                        return false;
                    }
                })
                .flatMap(NetworkInterface::inetAddresses)
                .filter(address -> address instanceof Inet4Address)
                .findFirst();
    }

    private static void createTable(DynamoDbClient client) {
        client.createTable(request -> request.tableName(TABLE)
                .keySchema(key -> key.attributeName("pk").keyType(KeyType.HASH),
                        key -> key.attributeName("sk").keyType(KeyType.RANGE))
                .attributeDefinitions(
                        attribute -> attribute.attributeName("pk").attributeType(ScalarAttributeType.S),
                        attribute -> attribute.attributeName("sk").attributeType(ScalarAttributeType.S))
                .billingMode(BillingMode.PAY_PER_REQUEST));
    }

    private static Map<String, AttributeValue> item(String version) {
        return Map.of("pk", KEY.get("pk"), "sk", KEY.get("sk"), "type", AttributeValue.fromS("lane"),
                "version", AttributeValue.fromN("3"), "note", AttributeValue.fromS(version),
                "running", AttributeValue.fromM(Map.of("files", AttributeValue.fromL(
                        java.util.List.of(AttributeValue.fromS("file#a"))), "started", AttributeValue.fromBool(true))));
    }

    static DynamoDbClient client(LocalDynamoDb dynamoDb) {
        return DynamoDbClient.builder().endpointOverride(dynamoDb.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "secret")))
                .httpClient(UrlConnectionHttpClient.create()).build();
    }
}
