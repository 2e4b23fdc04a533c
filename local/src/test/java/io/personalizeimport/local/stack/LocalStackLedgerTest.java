package io.personalizeimport.local.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.personalizeimport.lambdas.FunctionSettings;
import io.personalizeimport.lambdas.ledger.LedgerTable;
import io.personalizeimport.local.RepositoryRoot;
import io.personalizeimport.local.personalize.Domain;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
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

    @Test
    void restartsWithOwnGroups_shouldCreateTheirDatasetsOnceAndKeepEachGroupsDomain() throws IOException {
        // GIVEN a stack that made the two groups of docs/local-stack.md, the shop an ECOMMERCE one
        Path example = ROOT.resolve("local/examples/two-groups");
        String routes = Files.readString(example.resolve("routes.json"));
        String shopItems = Files.readString(example.resolve("shop-items.avsc"));
        String shop = "arn:aws:personalize:us-east-1:000000000000:dataset-group/shop";
        Instant created;
        try (LocalStack stack = builder().routes(routes).domain("shop", Domain.ECOMMERCE)
                .schema("shop/ITEMS", shopItems).build().start();
                PersonalizeClient personalize = stack.personalizeClient()) {
            assertEquals("ECOMMERCE", personalize.describeDatasetGroup(request -> request.datasetGroupArn(shop))
                    .datasetGroup().domainAsString());
            created = personalize.describeDataset(request -> request.datasetArn(LocalStack.datasetArn("shop",
                    "ITEMS"))).dataset().creationDateTime();
        }

        // WHEN it starts again over the same data directory, as it was and then without the shop's domain
        try (LocalStack stack = builder().routes(routes).domain("shop", Domain.ECOMMERCE)
                .schema("shop/ITEMS", shopItems).build().start();
                PersonalizeClient personalize = stack.personalizeClient()) {

            // THEN the first restart finds the eight datasets as they were
            assertEquals(8, personalize.listDatasets(request -> { }).datasets().size());
            assertEquals(created, personalize.describeDataset(request -> request.datasetArn(LocalStack.datasetArn(
                    "shop", "ITEMS"))).dataset().creationDateTime());
            assertEquals(3, personalize.listDatasets(request -> request.datasetGroupArn(shop)).datasets().size());
        }
        // AND the second refuses to start, since a group's domain cannot change
        LocalStack.Builder withoutDomain = builder().routes(routes).schema("shop/ITEMS", shopItems);
        IllegalStateException error = assertThrows(IllegalStateException.class, () -> withoutDomain.build().start());
        assertTrue(error.getMessage().contains("Dataset group shop in " + dataDir + " has the domain ECOMMERCE, not"
                + " CUSTOM"), error.getMessage());
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
