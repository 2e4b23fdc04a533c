package io.personalizeimport.lambdas.ledger;

import io.personalizeimport.lambdas.aws.AwsCall;
import io.personalizeimport.lambdas.aws.AwsCallException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Predicate;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * The ledger table's requests, shared by every item kind: consistent reads, paged Queries, conditional writes and
 * transactions, each named for its error messages.
 */
final class LedgerStore {

    /** DynamoDB's limit of items per TransactWriteItems. */
    static final int TRANSACTION_LIMIT = 100;
    /** DynamoDB's limit of keys per BatchGetItem. */
    private static final int BATCH_GET_LIMIT = 100;
    /** Cancellation reasons of a transaction that another request got in the way of, or that was throttled. */
    private static final List<String> RETRYABLE_CANCELLATIONS = List.of("TransactionConflict", "ThrottlingError",
            "ProvisionedThroughputExceeded", "RequestLimitExceeded");
    private static final String CONDITION_FAILED = "ConditionalCheckFailedException";

    /** What a failed TransactWriteItems means to the ledger. */
    enum Cancellation {
        /** A condition of the transaction failed: nothing was written, and the caller is told so. */
        CONDITION_FAILED,
        /** Another request touched the same items at once, or the table was throttled: worth retrying. */
        RETRYABLE,
        /** Any other failure, classified as its call was. */
        OTHER
    }

    private final DynamoDbClient db;
    private final String table;
    private final Clock clock;

    LedgerStore(DynamoDbClient db, String table, Clock clock) {
        this.db = db;
        this.table = table;
        this.clock = clock;
    }

    String table() {
        return table;
    }

    Instant now() {
        return clock.instant();
    }

    static String partition(String datasetArn) {
        return "lane#" + datasetArn;
    }

    static Map<String, AttributeValue> key(String datasetArn, String sortKey) {
        return Map.of(LedgerTable.PARTITION_KEY, Attributes.s(partition(datasetArn)),
                LedgerTable.SORT_KEY, Attributes.s(sortKey));
    }

    /** The item under {@code key}, read consistently; empty when there is none. */
    Map<String, AttributeValue> get(String subject, Map<String, AttributeValue> key) {
        Map<String, AttributeValue> item = call("GetItem", subject).run(() -> db.getItem(get -> get.tableName(table)
                .key(key).consistentRead(true))).item();
        return item == null ? Map.of() : item;
    }

    /** The items under {@code keys}, read consistently in batches, in no particular order. */
    List<Map<String, AttributeValue>> batchGet(String subject, List<Map<String, AttributeValue>> keys) {
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        for (int from = 0; from < keys.size(); from += BATCH_GET_LIMIT) {
            List<Map<String, AttributeValue>> batch = keys.subList(from, Math.min(keys.size(), from + BATCH_GET_LIMIT));
            Map<String, KeysAndAttributes> request = Map.of(table,
                    KeysAndAttributes.builder().keys(batch).consistentRead(true).build());
            while (!request.isEmpty()) {
                Map<String, KeysAndAttributes> asked = request;
                BatchGetItemResponse response = call("BatchGetItem", subject).run(() -> db.batchGetItem(get -> get
                        .requestItems(asked)));
                items.addAll(response.responses().getOrDefault(table, List.of()));
                request = response.hasUnprocessedKeys() ? response.unprocessedKeys() : Map.of();
            }
        }
        return items;
    }

    /**
     * A consistent Query of the ledger, page by page: each page's items go to {@code page}, which says whether to read
     * the next one.
     */
    void query(String subject, Consumer<QueryRequest.Builder> request,
               Predicate<List<Map<String, AttributeValue>>> page) {
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> from = start;
            QueryResponse response = call("Query", subject).run(() -> db.query(query -> {
                query.tableName(table).consistentRead(true).exclusiveStartKey(from);
                request.accept(query);
            }));
            if (!page.test(response.items())) {
                return;
            }
            start = response.hasLastEvaluatedKey() && !response.lastEvaluatedKey().isEmpty()
                    ? response.lastEvaluatedKey() : null;
        } while (start != null);
    }

    /** Every item of a consistent Query of the ledger, over all its pages, in sort key order. */
    List<Map<String, AttributeValue>> queryAll(String subject, Consumer<QueryRequest.Builder> request) {
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        query(subject, request, page -> {
            items.addAll(page);
            return true;
        });
        return items;
    }

    /** A PutItem; false when its condition failed. */
    boolean put(String subject, Consumer<PutItemRequest.Builder> request) {
        return conditional("PutItem", subject, () -> db.putItem(put -> request.accept(put.tableName(table))));
    }

    /** An UpdateItem; false when its condition failed. */
    boolean update(String subject, Consumer<UpdateItemRequest.Builder> request) {
        return conditional("UpdateItem", subject, () -> db.updateItem(update -> request.accept(update.tableName(table))));
    }

    /** A DeleteItem; false when its condition failed. */
    boolean delete(String subject, Consumer<DeleteItemRequest.Builder> request) {
        return conditional("DeleteItem", subject, () -> db.deleteItem(delete -> request.accept(delete.tableName(table))));
    }

    void delete(String subject, Map<String, AttributeValue> key) {
        call("DeleteItem", subject).run(() -> db.deleteItem(delete -> delete.tableName(table).key(key)));
    }

    /**
     * Runs the writes as one transaction; false when a condition failed, and then nothing is written. A transaction
     * cancelled because another one touched the same items at once is a transient failure, retried as such.
     */
    boolean transact(String subject, List<TransactWriteItem> writes) {
        if (writes.size() > TRANSACTION_LIMIT) {
            throw new IllegalArgumentException("A ledger transaction for " + subject + " has " + writes.size()
                    + " writes: expected at most " + TRANSACTION_LIMIT + ", DynamoDB's limit");
        }
        try {
            call("TransactWriteItems", subject).run(() -> db.transactWriteItems(transaction -> transaction
                    .transactItems(writes)));
            return true;
        } catch (AwsCallException e) {
            return switch (cancellation(e)) {
                case CONDITION_FAILED -> false;
                case RETRYABLE -> throw e.asTransient();
                case OTHER -> throw e;
            };
        }
    }

    /**
     * Runs the writes as one transaction for a caller that reads and decides again when it loses: false when a condition
     * failed or another transaction touched the same items at once, and then nothing is written.
     */
    boolean transactOrLose(String subject, List<TransactWriteItem> writes) {
        try {
            return transact(subject, writes);
        } catch (AwsCallException e) {
            if (e.getCause() instanceof TransactionCanceledException canceled && canceled.hasCancellationReasons()
                    && canceled.cancellationReasons().stream().map(CancellationReason::code)
                            .anyMatch("TransactionConflict"::equals)) {
                return false;
            }
            throw e;
        }
    }

    /** What a failed TransactWriteItems means, from the cancellation reasons DynamoDB gave, one per write. */
    static Cancellation cancellation(AwsCallException e) {
        if (!(e.getCause() instanceof TransactionCanceledException canceled) || !canceled.hasCancellationReasons()) {
            return Cancellation.OTHER;
        }
        List<String> reasons = canceled.cancellationReasons().stream().map(CancellationReason::code).toList();
        if (reasons.contains("ConditionalCheckFailed")) {
            return Cancellation.CONDITION_FAILED;
        }
        return reasons.stream().anyMatch(RETRYABLE_CANCELLATIONS::contains) ? Cancellation.RETRYABLE
                : Cancellation.OTHER;
    }

    private boolean conditional(String operation, String subject, Runnable write) {
        try {
            call(operation, subject).run(() -> {
                write.run();
                return null;
            });
            return true;
        } catch (AwsCallException e) {
            if (e.code().equals(CONDITION_FAILED)) {
                return false;
            }
            throw e;
        }
    }

    private AwsCall call(String operation, String subject) {
        return AwsCall.dynamoDb(operation, "ledger " + table + " (" + subject + ")");
    }
}
