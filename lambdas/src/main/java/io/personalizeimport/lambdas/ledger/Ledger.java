package io.personalizeimport.lambdas.ledger;

import io.personalizeimport.lambdas.aws.AwsCall;
import io.personalizeimport.lambdas.aws.AwsCallException;
import io.personalizeimport.lambdas.config.ImportMode;
import io.personalizeimport.lambdas.events.OutboxEvent;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Predicate;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * The import ledger in DynamoDB (layout: {@link LedgerTable}). Every write that decides something is conditional, so
 * two functions acting on one lane at once never both win, and every read that decides something is consistent.
 */
public final class Ledger {

    private static final String LANE_SK = "lane";
    /** The sort key of a file item starts with it, followed by {@link FileEntry#order()}. */
    public static final String FILE_SK_PREFIX = "file#";
    private static final String FOLDER_SK_PREFIX = "folder#";
    /** An event not published yet: {@code outbox#<eventId>}. */
    private static final String OUTBOX_SK_PREFIX = "outbox#";
    /**
     * An open file's item: {@code open#<order>}, present while the file waits or imports, with a copy of the file's
     * attributes and status, so one Query finds the lane and the files that wait for it.
     */
    private static final String OPEN_SK_PREFIX = "open#";
    /** Marks an open item that carries its file; those written before it carried only their key. */
    private static final String OPEN_TYPE = "open";
    /** Sorts after every {@code open#} key and before {@code outbox#}: '$' follows '#'. */
    private static final String OPEN_SK_END = "open$";
    /**
     * Items on the first page of the lane's read: the lane item and the first open files. A busy lane stops there, so a
     * burst of files on a busy dataset costs each of them one small read, not a read of every file that waits; a free
     * lane reads the rest in pages as large as DynamoDB gives (1 MB).
     */
    private static final int LANE_PAGE = 25;
    /** DynamoDB's limit of items per TransactWriteItems. */
    private static final int TRANSACTION_LIMIT = 100;
    /**
     * How many of a claim's files move to IMPORTING in the claim's own transaction (two items each, with the lane
     * item); a larger batch's other files move right after it.
     */
    public static final int FILES_WITH_CLAIM = (TRANSACTION_LIMIT - 1) / 2;
    /** DynamoDB's limit of keys per BatchGetItem. */
    private static final int BATCH_GET_LIMIT = 100;
    /** Cancellation reasons of a transaction that another request got in the way of, or that was throttled. */
    private static final List<String> RETRYABLE_CANCELLATIONS = List.of("TransactionConflict", "ThrottlingError",
            "ProvisionedThroughputExceeded", "RequestLimitExceeded");
    private static final String CONDITION_FAILED = "ConditionalCheckFailedException";

    private final DynamoDbClient db;
    private final String table;
    private final Clock clock;

    public Ledger(DynamoDbClient db, String table, Clock clock) {
        this.db = db;
        this.table = table;
        this.clock = clock;
    }

    public static String partition(String datasetArn) {
        return "lane#" + datasetArn;
    }

    public static String sortKey(FileEntry entry) {
        return FILE_SK_PREFIX + entry.order();
    }

    /**
     * Records a notified file; false when this very event was recorded before (a duplicate delivery). A file that waits
     * is recorded with its {@code open#} item in one transaction, so the lane finds every waiting file by reading only
     * the waiting ones.
     */
    public boolean record(FileEntry entry) {
        return record(entry, null);
    }

    /**
     * Records a notified file with the event that reports its outcome (null for none), in one transaction; false when
     * this very event was recorded before, in which case neither is written again.
     */
    public boolean record(FileEntry entry, OutboxEvent event) {
        List<TransactWriteItem> writes = new ArrayList<>();
        writes.add(TransactWriteItem.builder().put(put -> put.tableName(table).item(fileItem(entry))
                .conditionExpression("attribute_not_exists(pk)")).build());
        if (!entry.status().isFinal()) {
            writes.add(TransactWriteItem.builder().put(put -> put.tableName(table).item(openItem(entry))).build());
        }
        outbox(writes, event);
        return transact(entry.key(), writes);
    }

    /** The file recorded under {@code sortKey} in the dataset's lane. */
    public Optional<FileEntry> file(String datasetArn, String sortKey) {
        Map<String, AttributeValue> item = call("GetItem", datasetArn).run(() -> db.getItem(get -> get.tableName(table)
                .key(key(datasetArn, sortKey)).consistentRead(true))).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(readFile(item));
    }

    /**
     * Opens a folder of a folder route for its marker, named by the watch execution that reports it if the marker never
     * comes; returns the watch of the folder as it is open now (this one, or the one an earlier part opened).
     */
    public String openFolder(String datasetArn, String folder, String watch) {
        Map<String, AttributeValue> item = new LinkedHashMap<>(key(datasetArn, FOLDER_SK_PREFIX + folder));
        item.put("type", s("folder"));
        item.put("datasetArn", s(datasetArn));
        item.put("folder", s(folder));
        item.put("watch", s(watch));
        item.put("closed", AttributeValue.fromBool(false));
        item.put("openedAt", s(clock.instant().toString()));
        boolean opened = conditional("PutItem", folder, () -> db.putItem(put -> put.tableName(table).item(item)
                .conditionExpression("attribute_not_exists(pk) OR closed = :true")
                .expressionAttributeValues(Map.of(":true", AttributeValue.fromBool(true)))));
        if (opened) {
            return watch;
        }
        Map<String, AttributeValue> open = folderItem(datasetArn, folder);
        return open.isEmpty() ? watch : text(open, "watch");
    }

    /** Notes that the folder's marker arrived, so its watch reports nothing. */
    public void closeFolder(String datasetArn, String folder) {
        call("UpdateItem", folder).run(() -> db.updateItem(update -> update.tableName(table)
                .key(key(datasetArn, FOLDER_SK_PREFIX + folder)).updateExpression("SET closed = :true, closedAt = :now")
                .expressionAttributeValues(Map.of(":true", AttributeValue.fromBool(true),
                        ":now", s(clock.instant().toString())))));
    }

    /** Whether the folder's marker arrived since the folder was opened. */
    public boolean isFolderClosed(String datasetArn, String folder) {
        AttributeValue closed = folderItem(datasetArn, folder).get("closed");
        return closed != null && Boolean.TRUE.equals(closed.bool());
    }

    private Map<String, AttributeValue> folderItem(String datasetArn, String folder) {
        Map<String, AttributeValue> item = call("GetItem", folder).run(() -> db.getItem(get -> get.tableName(table)
                .key(key(datasetArn, FOLDER_SK_PREFIX + folder)).consistentRead(true))).item();
        return item == null ? Map.of() : item;
    }

    /** The dataset's lane as it is now. */
    public Lane lane(String datasetArn) {
        Map<String, AttributeValue> item = call("GetItem", datasetArn).run(() -> db.getItem(get -> get.tableName(table)
                .key(key(datasetArn, LANE_SK)).consistentRead(true))).item();
        return item == null || item.isEmpty() ? Lane.free(datasetArn) : lane(datasetArn, item);
    }

    /**
     * The dataset's lane and, when it is free, the files that wait for it, in lane order, from one consistent Query of
     * the lane item and the open items (more pages only when many files wait on a free lane).
     */
    public LaneView laneView(String datasetArn) {
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        query(datasetArn, query -> query.keyConditionExpression("pk = :pk AND sk BETWEEN :lane AND :openEnd")
                .expressionAttributeValues(Map.of(":pk", s(partition(datasetArn)), ":lane", s(LANE_SK),
                        ":openEnd", s(OPEN_SK_END)))
                .limit(items.isEmpty() ? LANE_PAGE : null), page -> {
                    items.addAll(page);
                    // The lane item sorts first; a busy lane's waiting files are not needed.
                    return !laneOf(datasetArn, items).isBusy();
                });
        Lane lane = laneOf(datasetArn, items);
        if (lane.isBusy()) {
            return new LaneView(lane, List.of());
        }
        List<Map<String, AttributeValue>> open = items.stream()
                .filter(item -> !LANE_SK.equals(text(item, LedgerTable.SORT_KEY))).toList();
        return new LaneView(lane, openFiles(datasetArn, open).stream()
                .filter(file -> file.status() == FileStatus.PENDING).toList());
    }

    /** The lane whose item comes first among these, or a free one when none does (a lane never claimed). */
    private static Lane laneOf(String datasetArn, List<Map<String, AttributeValue>> items) {
        return !items.isEmpty() && LANE_SK.equals(text(items.getFirst(), LedgerTable.SORT_KEY))
                ? lane(datasetArn, items.getFirst()) : Lane.free(datasetArn);
    }

    /**
     * A lane as one read found it.
     *
     * @param waiting the files that wait for a free lane, in lane order; empty when the lane is busy, whose waiting
     *     files are not read
     */
    public record LaneView(Lane lane, List<FileEntry> waiting) {

        public LaneView {
            waiting = List.copyOf(waiting);
        }
    }

    /**
     * The dataset's files with the given status, in lane order. Waiting and importing files are read through their
     * {@code open#} items, so the cost is that of the open files, however long the lane's history.
     */
    public List<FileEntry> files(String datasetArn, FileStatus status) {
        if (status.isFinal()) {
            return fileItems(datasetArn, status);
        }
        return openFiles(datasetArn).stream().filter(file -> file.status() == status).toList();
    }

    /** The files that have not reached a final outcome, from their open# items, read consistently. */
    private List<FileEntry> openFiles(String datasetArn) {
        List<Map<String, AttributeValue>> open = new ArrayList<>();
        queryAll(datasetArn, query -> query.keyConditionExpression("pk = :pk AND begins_with(sk, :open)")
                .expressionAttributeValues(Map.of(":pk", s(partition(datasetArn)), ":open", s(OPEN_SK_PREFIX))),
                open::addAll);
        return openFiles(datasetArn, open);
    }

    /**
     * The files of these open# items, in lane order. An item that carries its file is read as it is; one written before
     * open items carried their file holds only its key, and its file item is read instead, in consistent batches.
     */
    private List<FileEntry> openFiles(String datasetArn, List<Map<String, AttributeValue>> open) {
        List<FileEntry> files = new ArrayList<>();
        List<Map<String, AttributeValue>> keys = new ArrayList<>();
        for (Map<String, AttributeValue> item : open) {
            if (OPEN_TYPE.equals(text(item, "type"))) {
                files.add(readFile(item));
            } else {
                keys.add(key(datasetArn, FILE_SK_PREFIX + text(item, LedgerTable.SORT_KEY)
                        .substring(OPEN_SK_PREFIX.length())));
            }
        }
        for (int from = 0; from < keys.size(); from += BATCH_GET_LIMIT) {
            List<Map<String, AttributeValue>> batch = keys.subList(from, Math.min(keys.size(), from + BATCH_GET_LIMIT));
            Map<String, KeysAndAttributes> request = Map.of(table,
                    KeysAndAttributes.builder().keys(batch).consistentRead(true).build());
            while (!request.isEmpty()) {
                Map<String, KeysAndAttributes> asked = request;
                BatchGetItemResponse response = call("BatchGetItem", datasetArn).run(() -> db.batchGetItem(get -> get
                        .requestItems(asked)));
                response.responses().getOrDefault(table, List.of()).forEach(item -> files.add(readFile(item)));
                request = response.hasUnprocessedKeys() ? response.unprocessedKeys() : Map.of();
            }
        }
        files.sort(Comparator.comparing(FileEntry::order));
        return files;
    }

    /** Every file the dataset's lane holds, whatever its status, in lane order. */
    public List<FileEntry> files(String datasetArn) {
        return fileItems(datasetArn, null);
    }

    /** The dataset's file items, of one status or (null) of any, in lane order. */
    private List<FileEntry> fileItems(String datasetArn, FileStatus status) {
        List<FileEntry> files = new ArrayList<>();
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":pk", s(partition(datasetArn)),
                ":files", s(FILE_SK_PREFIX)));
        if (status != null) {
            values.put(":status", s(status.name()));
        }
        queryAll(datasetArn, query -> {
            query.keyConditionExpression("pk = :pk AND begins_with(sk, :files)").expressionAttributeValues(values);
            if (status != null) {
                query.filterExpression("#status = :status").expressionAttributeNames(Map.of("#status", "status"));
            }
        }, items -> items.forEach(item -> files.add(readFile(item))));
        return files;
    }

    /** Every page of a consistent Query of the ledger, each page's items handed to {@code page}. */
    private void queryAll(String subject, Consumer<QueryRequest.Builder> request,
                          Consumer<List<Map<String, AttributeValue>>> page) {
        query(subject, request, items -> {
            page.accept(items);
            return true;
        });
    }

    /**
     * A consistent Query of the ledger, page by page: each page's items go to {@code page}, which says whether to read
     * the next one.
     */
    private void query(String subject, Consumer<QueryRequest.Builder> request,
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

    /**
     * Claims a free lane for {@code running} and moves its files to IMPORTING with its job, in one transaction; false
     * when another function claimed or changed the lane since {@code lane} was read, or settled one of the files, and
     * then nothing is written. A batch too large for one transaction has its first files moved with the claim and the
     * rest right after it, each only while it is not settled.
     */
    public boolean claim(Lane lane, Lane.Running running, Lane.LastFull lastFull, List<FileEntry> files) {
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":running", runningValue(running));
        values.put(":next", n(lane.version() + 1));
        StringBuilder update = new StringBuilder("SET running = :running, version = :next, datasetArn = :dataset");
        values.put(":dataset", s(lane.datasetArn()));
        if (lastFull != null) {
            update.append(", lastFull = :lastFull");
            values.put(":lastFull", AttributeValue.fromM(Map.of("order", s(lastFull.order()), "key", s(lastFull.key()))));
        }
        String condition = "attribute_not_exists(running) AND ";
        if (lane.version() == 0) {
            condition += "attribute_not_exists(version)";
        } else {
            condition += "version = :current";
            values.put(":current", n(lane.version()));
        }
        String expression = condition;
        List<TransactWriteItem> writes = new ArrayList<>();
        writes.add(TransactWriteItem.builder().update(put -> put.tableName(table)
                .key(key(lane.datasetArn(), LANE_SK)).updateExpression(update.toString())
                .conditionExpression(expression).expressionAttributeValues(values)).build());
        int withClaim = Math.min(files.size(), FILES_WITH_CLAIM);
        for (FileEntry file : files.subList(0, withClaim)) {
            writes.addAll(openUpdate(file.withStatus(FileStatus.IMPORTING, running.jobName(), null, null)));
        }
        if (!transact(lane.datasetArn(), writes)) {
            return false;
        }
        for (FileEntry file : files.subList(withClaim, files.size())) {
            settle(file.withStatus(FileStatus.IMPORTING, running.jobName(), null, null));
        }
        return true;
    }

    /** Notes that the execution holding the lane runs; false when the lane is no longer held by it. */
    public boolean markStarted(String datasetArn, String executionName) {
        return conditional("UpdateItem", datasetArn, () -> db.updateItem(update -> update.tableName(table)
                .key(key(datasetArn, LANE_SK)).updateExpression("SET running.started = :true")
                .conditionExpression("running.executionName = :execution")
                .expressionAttributeValues(Map.of(":true", AttributeValue.fromBool(true), ":execution", s(executionName)))));
    }

    /**
     * Hands the lane from {@code executionName}, an execution that ended without releasing it, to {@code resumed}, which
     * carries the same import; false when the lane is no longer held by that execution (released, or resumed already).
     */
    public boolean resume(String datasetArn, String executionName, Lane.Running resumed) {
        return conditional("UpdateItem", datasetArn, () -> db.updateItem(update -> update.tableName(table)
                .key(key(datasetArn, LANE_SK)).updateExpression("SET running = :running ADD version :one")
                .conditionExpression("running.executionName = :execution")
                .expressionAttributeValues(Map.of(":running", runningValue(resumed), ":one", n(1),
                        ":execution", s(executionName)))));
    }

    /**
     * Frees the lane if {@code executionName} holds it, noting the file it imported (null if it imported none);
     * false when it does not hold it (already released, or never claimed).
     */
    public boolean release(String datasetArn, String executionName, String importedKey, String jobName) {
        return release(datasetArn, executionName, importedKey, jobName, null);
    }

    /**
     * Frees the lane as {@link #release(String, String, String, String)} does, writing {@code event} (null for none) in
     * the same transaction: only the release that frees the lane writes it.
     */
    public boolean release(String datasetArn, String executionName, String importedKey, String jobName,
                           OutboxEvent event) {
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":execution", s(executionName));
        String update = "REMOVE running";
        if (importedKey != null) {
            update = "SET lastImported = :imported " + update;
            values.put(":imported", AttributeValue.fromM(Map.of("key", s(importedKey), "jobName", s(jobName),
                    "at", s(clock.instant().toString()))));
        }
        String expression = update;
        List<TransactWriteItem> writes = new ArrayList<>();
        writes.add(TransactWriteItem.builder().update(put -> put.tableName(table)
                .key(key(datasetArn, LANE_SK)).updateExpression(expression)
                .conditionExpression("running.executionName = :execution").expressionAttributeValues(values)).build());
        outbox(writes, event);
        return transact(datasetArn, writes);
    }

    /**
     * Moves a file to {@code settled}'s status with its job, successor and reason, if it has not reached a final status
     * yet; false when it had (a retried task settles nothing twice).
     */
    public boolean settle(FileEntry settled) {
        return settle(settled, null);
    }

    /**
     * Settles a file as {@link #settle(FileEntry)} does, writing {@code event} (null for none) in the same transaction:
     * only the settlement that changes the file writes it.
     */
    public boolean settle(FileEntry settled, OutboxEvent event) {
        List<TransactWriteItem> writes = new ArrayList<>();
        if (settled.status().isFinal()) {
            // A final outcome closes the file: its open# item goes in the same transaction.
            writes.add(fileUpdate(settled));
            writes.add(TransactWriteItem.builder().delete(delete -> delete.tableName(table)
                    .key(key(settled.datasetArn(), OPEN_SK_PREFIX + settled.order()))).build());
        } else {
            writes.addAll(openUpdate(settled));
        }
        outbox(writes, event);
        return transact(settled.key(), writes);
    }

    /**
     * The writes that move a file that is still open to {@code settled}'s status: its file item, only while the file
     * has no final status, and the copy its open# item carries.
     */
    private List<TransactWriteItem> openUpdate(FileEntry settled) {
        Map<String, AttributeValue> values = new HashMap<>();
        String update = settlement(settled, values);
        return List.of(fileUpdate(settled, update, values), TransactWriteItem.builder().update(put -> put
                .tableName(table).key(key(settled.datasetArn(), OPEN_SK_PREFIX + settled.order()))
                .updateExpression(update).expressionAttributeNames(Map.of("#status", "status"))
                .expressionAttributeValues(values)).build());
    }

    /** The update of a file item to {@code settled}'s status, only while the file has no final status. */
    private TransactWriteItem fileUpdate(FileEntry settled) {
        Map<String, AttributeValue> values = new HashMap<>();
        return fileUpdate(settled, settlement(settled, values), values);
    }

    /** As {@link #fileUpdate(FileEntry)}, with the update {@link #settlement} made and its values. */
    private TransactWriteItem fileUpdate(FileEntry settled, String update, Map<String, AttributeValue> values) {
        Map<String, AttributeValue> conditional = new HashMap<>(values);
        conditional.put(":pending", s(FileStatus.PENDING.name()));
        conditional.put(":importing", s(FileStatus.IMPORTING.name()));
        return TransactWriteItem.builder().update(put -> put.tableName(table)
                .key(key(settled.datasetArn(), sortKey(settled))).updateExpression(update)
                .conditionExpression("#status IN (:pending, :importing)")
                .expressionAttributeNames(Map.of("#status", "status")).expressionAttributeValues(conditional)).build();
    }

    /** The update expression that gives an item {@code settled}'s status, job, successor and reason; fills values. */
    private String settlement(FileEntry settled, Map<String, AttributeValue> values) {
        values.put(":status", s(settled.status().name()));
        values.put(":now", s(clock.instant().toString()));
        StringBuilder update = new StringBuilder("SET #status = :status, updatedAt = :now");
        optional(update, values, "jobName", settled.jobName());
        optional(update, values, "executionName", settled.executionName());
        optional(update, values, "supersededBy", settled.supersededBy());
        optional(update, values, "reason", settled.reason());
        if (settled.status().isFinal()) {
            update.append(", ").append(LedgerTable.TTL_ATTRIBUTE).append(" = :expires");
            values.put(":expires", n(clock.instant().plus(LedgerTable.RETENTION).getEpochSecond()));
        }
        return update.toString();
    }

    private void outbox(List<TransactWriteItem> writes, OutboxEvent event) {
        if (event == null) {
            return;
        }
        Map<String, AttributeValue> item = new LinkedHashMap<>(key(event.datasetArn(),
                OUTBOX_SK_PREFIX + event.eventId()));
        item.put("detailType", s(event.detailType()));
        item.put("detail", s(event.detail()));
        item.put("writtenAt", s(clock.instant().toString()));
        writes.add(TransactWriteItem.builder().put(put -> put.tableName(table).item(item)).build());
    }

    /** The dataset's events that are not published yet, oldest outcome first. */
    public List<OutboxEvent> outbox(String datasetArn) {
        List<OutboxEvent> events = new ArrayList<>();
        queryAll(datasetArn, query -> query.keyConditionExpression("pk = :pk AND begins_with(sk, :outbox)")
                .expressionAttributeValues(Map.of(":pk", s(partition(datasetArn)), ":outbox", s(OUTBOX_SK_PREFIX))),
                items -> items.forEach(item -> events.add(new OutboxEvent(
                        text(item, "sk").substring(OUTBOX_SK_PREFIX.length()), text(item, "detailType"), datasetArn,
                        text(item, "detail")))));
        return events;
    }

    /** Removes a published event from the outbox; removing one that is gone already changes nothing. */
    public void published(OutboxEvent event) {
        call("DeleteItem", event.eventId()).run(() -> db.deleteItem(delete -> delete.tableName(table)
                .key(key(event.datasetArn(), OUTBOX_SK_PREFIX + event.eventId()))));
    }

    /**
     * Runs the writes as one transaction; false when a condition failed. A transaction cancelled because another one
     * touched the same items at once is a transient failure, retried as such.
     */
    private boolean transact(String subject, List<TransactWriteItem> writes) {
        try {
            call("TransactWriteItems", subject).run(() -> db.transactWriteItems(transaction -> transaction
                    .transactItems(writes)));
            return true;
        } catch (AwsCallException e) {
            if (e.getCause() instanceof TransactionCanceledException canceled && canceled.hasCancellationReasons()) {
                List<String> reasons = canceled.cancellationReasons().stream().map(CancellationReason::code).toList();
                if (reasons.contains("ConditionalCheckFailed")) {
                    return false;
                }
                if (reasons.stream().anyMatch(RETRYABLE_CANCELLATIONS::contains)) {
                    throw e.asTransient();
                }
            }
            throw e;
        }
    }

    private static void optional(StringBuilder update, Map<String, AttributeValue> values, String name, String value) {
        if (value != null) {
            update.append(", ").append(name).append(" = :").append(name);
            values.put(":" + name, s(value));
        }
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

    private Map<String, AttributeValue> key(String datasetArn, String sortKey) {
        return Map.of(LedgerTable.PARTITION_KEY, s(partition(datasetArn)), LedgerTable.SORT_KEY, s(sortKey));
    }

    private Map<String, AttributeValue> fileItem(FileEntry entry) {
        Map<String, AttributeValue> item = new LinkedHashMap<>(key(entry.datasetArn(), sortKey(entry)));
        String now = clock.instant().toString();
        item.put("type", s("file"));
        item.put("datasetArn", s(entry.datasetArn()));
        item.put("route", s(entry.route()));
        item.put("bucket", s(entry.bucket()));
        item.put("key", s(entry.key()));
        putIfPresent(item, "versionId", entry.versionId());
        putIfPresent(item, "eTag", entry.eTag());
        item.put("size", n(entry.size()));
        item.put("sequencer", s(entry.sequencer()));
        item.put("eventTime", s(entry.eventTime().toString()));
        item.put("importMode", s(entry.importMode().name()));
        item.put("status", s(entry.status().name()));
        putIfPresent(item, "jobName", entry.jobName());
        putIfPresent(item, "executionName", entry.executionName());
        putIfPresent(item, "supersededBy", entry.supersededBy());
        putIfPresent(item, "reason", entry.reason());
        putIfPresent(item, "folder", entry.folder());
        item.put("receivedAt", s(now));
        item.put("updatedAt", s(now));
        if (entry.status().isFinal()) {
            item.put(LedgerTable.TTL_ATTRIBUTE, n(clock.instant().plus(LedgerTable.RETENTION).getEpochSecond()));
        }
        return item;
    }

    /** The open# item of a file that waits or imports: a copy of its file item, under its open key. */
    private Map<String, AttributeValue> openItem(FileEntry entry) {
        Map<String, AttributeValue> item = fileItem(entry);
        item.putAll(key(entry.datasetArn(), OPEN_SK_PREFIX + entry.order()));
        item.put("type", s(OPEN_TYPE));
        return item;
    }

    /** A file item as {@link #record} and {@link #settle} write it. */
    public static FileEntry readFile(Map<String, AttributeValue> item) {
        return new FileEntry(text(item, "datasetArn"), text(item, "route"), text(item, "bucket"), text(item, "key"),
                text(item, "versionId"), text(item, "eTag"), Long.parseLong(item.get("size").n()),
                text(item, "sequencer"), Instant.parse(text(item, "eventTime")),
                ImportMode.valueOf(text(item, "importMode")), FileStatus.valueOf(text(item, "status")),
                text(item, "jobName"), text(item, "executionName"), text(item, "supersededBy"), text(item, "reason"),
                text(item, "folder"));
    }

    private static Lane lane(String datasetArn, Map<String, AttributeValue> item) {
        Lane.Running running = null;
        AttributeValue runningValue = item.get("running");
        if (runningValue != null && runningValue.hasM()) {
            Map<String, AttributeValue> m = runningValue.m();
            running = new Lane.Running(text(m, "jobName"), text(m, "executionName"),
                    m.get("entries").l().stream().map(AttributeValue::s).toList(),
                    Instant.parse(text(m, "claimedAt")), m.get("started").bool(), text(m, "input"));
        }
        Lane.LastFull lastFull = null;
        AttributeValue full = item.get("lastFull");
        if (full != null && full.hasM()) {
            lastFull = new Lane.LastFull(text(full.m(), "order"), text(full.m(), "key"));
        }
        long version = item.containsKey("version") ? Long.parseLong(item.get("version").n()) : 0;
        return new Lane(datasetArn, running, lastFull, version);
    }

    private static AttributeValue runningValue(Lane.Running running) {
        return AttributeValue.fromM(Map.of(
                "jobName", s(running.jobName()),
                "executionName", s(running.executionName()),
                "entries", AttributeValue.fromL(running.entries().stream().map(Ledger::s).toList()),
                "claimedAt", s(running.claimedAt().toString()),
                "started", AttributeValue.fromBool(running.started()),
                "input", s(running.input())));
    }

    private static void putIfPresent(Map<String, AttributeValue> item, String name, String value) {
        if (value != null) {
            item.put(name, s(value));
        }
    }

    private static String text(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item.get(name);
        return value == null ? null : value.s();
    }

    private static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }

    private static AttributeValue n(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }
}
