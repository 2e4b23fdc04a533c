package io.personalizeimport.local.ledger;

import io.personalizeimport.lambdas.ledger.Ledger;
import io.personalizeimport.lambdas.ledger.LedgerTable;
import io.personalizeimport.lambdas.lane.Lane;
import io.personalizeimport.lambdas.lane.Region;
import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveStatus;

/**
 * The import ledger's table as the local stack sees it: created at start with the key schema of {@link LedgerTable},
 * and read back, file by file, for {@code local/run files}, through the functions' own {@link Ledger#readFile}. The
 * listing of every dataset is a Scan, which only this operator's tool makes; the functions' roles may not.
 */
public final class LedgerListing {

    private LedgerListing() {
    }

    /**
     * Creates the table, on-demand, with TTL on {@value LedgerTable#TTL_ATTRIBUTE}, unless an earlier start over the
     * same data directory did.
     */
    public static void createTable(DynamoDbClient client, String table) {
        try {
            client.describeTable(request -> request.tableName(table));
        } catch (ResourceNotFoundException e) {
            client.createTable(request -> request.tableName(table)
                    .keySchema(key -> key.attributeName(LedgerTable.PARTITION_KEY).keyType(KeyType.HASH),
                            key -> key.attributeName(LedgerTable.SORT_KEY).keyType(KeyType.RANGE))
                    .attributeDefinitions(
                            attribute -> attribute.attributeName(LedgerTable.PARTITION_KEY)
                                    .attributeType(ScalarAttributeType.S),
                            attribute -> attribute.attributeName(LedgerTable.SORT_KEY)
                                    .attributeType(ScalarAttributeType.S))
                    .billingMode(BillingMode.PAY_PER_REQUEST));
        }
        TimeToLiveStatus ttl = client.describeTimeToLive(request -> request.tableName(table))
                .timeToLiveDescription().timeToLiveStatus();
        // DynamoDB refuses to enable TTL a second time.
        if (ttl != TimeToLiveStatus.ENABLED && ttl != TimeToLiveStatus.ENABLING) {
            client.updateTimeToLive(request -> request.tableName(table).timeToLiveSpecification(
                    spec -> spec.attributeName(LedgerTable.TTL_ATTRIBUTE).enabled(true)));
        }
    }

    /**
     * Every file item of one dataset's lane, or of all lanes when {@code datasetArn} is null, in lane order: by dataset,
     * then as the lane sorts them (S3 event time, then sequencer). Reads are consistent and follow every page.
     */
    public static List<LedgerFile> files(DynamoDbClient client, String table, String datasetArn) {
        Map<String, AttributeValue> fileSk = Map.of(":file", AttributeValue.fromS(Ledger.FILE_SK_PREFIX));
        Stream<Map<String, AttributeValue>> items = datasetArn != null
                ? client.queryPaginator(request -> request.tableName(table).consistentRead(true)
                        .keyConditionExpression(LedgerTable.PARTITION_KEY + " = :pk AND begins_with("
                                + LedgerTable.SORT_KEY + ", :file)")
                        .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(Ledger.partition(datasetArn)),
                                ":file", fileSk.get(":file"))))
                        .items().stream()
                : client.scanPaginator(request -> request.tableName(table).consistentRead(true)
                        .filterExpression("begins_with(" + LedgerTable.SORT_KEY + ", :file)")
                        .expressionAttributeValues(fileSk))
                        .items().stream();
        List<LedgerFile> files = items.map(LedgerFile::from)
                .sorted(Comparator.comparing(LedgerFile::datasetArn, Comparator.nullsFirst(Comparator.naturalOrder()))
                        .thenComparing(LedgerFile::order, Comparator.nullsFirst(Comparator.naturalOrder())))
                .toList();
        return held(client, table, files, Instant.now());
    }

    /**
     * The files with what a waiting one waits for: a PENDING file that was counted, in a free lane whose item notes a
     * hold; or any PENDING file (not a part waiting for its folder's marker) of a free lane in line for an import slot
     * of the region, with its place. One lane item read per dataset with such files, and one read of the region.
     */
    static List<LedgerFile> held(DynamoDbClient client, String table, List<LedgerFile> files, Instant now) {
        Ledger ledger = new Ledger(client, table, Clock.systemUTC());
        Map<String, Lane> lanes = new HashMap<>();
        Region[] region = new Region[1];
        return files.stream().map(file -> {
            if (!"PENDING".equals(file.status()) || file.folder() != null && !file.key().equals(file.folder())) {
                return file;
            }
            Lane lane = lanes.computeIfAbsent(file.datasetArn(), ledger::lane);
            if (lane.isBusy()) {
                return file;
            }
            if (file.records() != null && lane.holding() != null) {
                return file.held(lane.holding().describe(now));
            }
            if (region[0] == null) {
                region[0] = ledger.region();
            }
            Region read = region[0];
            return read.placeInLine(file.datasetArn())
                    .map(place -> file.held(Region.describe(place, read.inUse(), null))).orElse(file);
        }).toList();
    }
}
