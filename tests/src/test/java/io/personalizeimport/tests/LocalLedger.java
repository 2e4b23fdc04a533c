package io.personalizeimport.tests;

import io.personalizeimport.lambdas.ledger.Ledger;
import io.personalizeimport.local.dynamodb.LocalDynamoDb;
import io.personalizeimport.local.ledger.LedgerListing;
import java.time.Clock;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClientBuilder;

/**
 * DynamoDB Local with one ledger table, the real SDK client of it and the ledger on that client: what the ledger's
 * integration tests share.
 */
final class LocalLedger implements AutoCloseable {

    private final LocalDynamoDb dynamoDb;
    private final DynamoDbClient client;
    private final Ledger ledger;

    private LocalLedger(LocalDynamoDb dynamoDb, String table) {
        this.dynamoDb = dynamoDb;
        this.client = clientBuilder().build();
        LedgerListing.createTable(client, table);
        this.ledger = new Ledger(client, table, Clock.systemUTC());
    }

    /** Starts DynamoDB Local and creates {@code table} as the stack creates the ledger's. */
    static LocalLedger start(String table) {
        return new LocalLedger(LocalDynamoDb.builder().build().start(), table);
    }

    /** A builder of clients of this DynamoDB Local, for a test that wants a client of its own (paging, counting). */
    DynamoDbClientBuilder clientBuilder() {
        return DynamoDbClient.builder().endpointOverride(dynamoDb.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")));
    }

    DynamoDbClient client() {
        return client;
    }

    Ledger ledger() {
        return ledger;
    }

    @Override
    public void close() {
        client.close();
        dynamoDb.close();
    }
}
