package io.personalizeimport.local.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.personalizeimport.lambdas.FunctionSettings;
import io.personalizeimport.lambdas.ledger.LedgerTable;
import io.personalizeimport.local.RepositoryRoot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveDescription;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveStatus;
import software.amazon.awssdk.services.personalize.PersonalizeClient;

/**
 * The whole local stack with its ledger: DynamoDB Local started before the functions, the table made as the layout
 * says, the functions pointed at it, and the table and the seeded schemas across restarts over one data directory.
 * Needs {@code lambdas/target/function.jar} and the npm tooling, as {@code local/run} does.
 */
class LocalStackLedgerTest {

    private static final Path ROOT = RepositoryRoot.find();
    private static final Map<String, AttributeValue> LANE = Map.of(
            "pk", AttributeValue.fromS("lane#" + LocalStack.demoDatasetArn("USERS")),
            "sk", AttributeValue.fromS("lane"),
            "type", AttributeValue.fromS("lane"));

    @TempDir
    Path dataDir;

    @Test
    void started_shouldHaveTheLedgerTableAndGiveEveryFunctionItsEndpoint() {
        // GIVEN a started stack
        try (LocalStack stack = builder().build().start(); DynamoDbClient dynamoDb = stack.dynamoDbClient()) {

            // WHEN its ledger table and its functions' environment are read
            TableDescription table = dynamoDb.describeTable(request -> request.tableName(LocalStack.LEDGER_TABLE))
                    .table();
            TimeToLiveDescription ttl = dynamoDb.describeTimeToLive(request -> request
                    .tableName(LocalStack.LEDGER_TABLE)).timeToLiveDescription();

            // THEN the table has the ledger's keys, on-demand billing and TTL, and every function reaches it
            assertEquals(Map.of(LedgerTable.PARTITION_KEY, KeyType.HASH, LedgerTable.SORT_KEY, KeyType.RANGE),
                    table.keySchema().stream().collect(java.util.stream.Collectors.toMap(
                            KeySchemaElement::attributeName, KeySchemaElement::keyType)));
            assertEquals(BillingMode.PAY_PER_REQUEST, table.billingModeSummary().billingMode());
            assertEquals(TimeToLiveStatus.ENABLED, ttl.timeToLiveStatus());
            assertEquals(LedgerTable.TTL_ATTRIBUTE, ttl.attributeName());
            for (FunctionSettings function : FunctionSettings.values()) {
                assertEquals(stack.dynamoDb().endpoint().toString(),
                        stack.functionEnvironment(function).get("AWS_ENDPOINT_URL_DYNAMODB"), function.functionName());
            }
            assertEquals(stack.dynamoDb().endpoint(), stack.endpoints().get("dynamodb"));
            assertEquals("127.0.0.1", stack.dynamoDb().endpoint().getHost());
        }
    }

    @Test
    void restarts_shouldKeepTheLedgerAndFollowTheSchemaAskedFor() throws IOException {
        // GIVEN a stack that wrote into its ledger and stopped
        String defaultUsers = Files.readString(ROOT.resolve("infra/schemas/users.avsc"));
        try (LocalStack stack = builder().build().start(); DynamoDbClient dynamoDb = stack.dynamoDbClient()) {
            dynamoDb.putItem(request -> request.tableName(LocalStack.LEDGER_TABLE).item(LANE));
            assertEquals(defaultUsers, usersSchema(stack));
        }
        String ownUsers = Files.readString(Path.of("src/test/resources/schemas/users-with-age.avsc"));

        // WHEN it starts again over the same data directory with another USERS schema, and then once more without it
        try (LocalStack stack = builder().schema("USERS", ownUsers).build().start();
                DynamoDbClient dynamoDb = stack.dynamoDbClient()) {

            // THEN the ledger kept its item, and the USERS dataset has the schema asked for each time
            assertEquals(LANE, dynamoDb.getItem(request -> request.tableName(LocalStack.LEDGER_TABLE)
                    .key(Map.of("pk", LANE.get("pk"), "sk", LANE.get("sk"))).consistentRead(true)).item());
            assertEquals(ownUsers, usersSchema(stack));
        }
        try (LocalStack stack = builder().build().start()) {
            assertEquals(defaultUsers, usersSchema(stack));
        }
    }

    private static String usersSchema(LocalStack stack) {
        try (PersonalizeClient personalize = stack.personalizeClient()) {
            String schemaArn = personalize.describeDataset(request -> request
                    .datasetArn(LocalStack.demoDatasetArn("USERS"))).dataset().schemaArn();
            assertTrue(schemaArn.startsWith("arn:aws:personalize:us-east-1:000000000000:schema/"), schemaArn);
            return personalize.describeSchema(request -> request.schemaArn(schemaArn)).schema().schema();
        }
    }

    private LocalStack.Builder builder() {
        return LocalStack.builder().root(ROOT).dataDir(dataDir).s3Notifications(false).logSink(line -> { });
    }
}
