package io.personalizeimport.lambdas.ledger;

import static io.personalizeimport.lambdas.ledger.Attributes.n;
import static io.personalizeimport.lambdas.ledger.Attributes.s;

import io.personalizeimport.lambdas.events.OutboxEvent;
import io.personalizeimport.lambdas.lane.FileEntry;
import io.personalizeimport.lambdas.lane.FileStatus;
import io.personalizeimport.lambdas.lane.Lane;
import io.personalizeimport.lambdas.lane.LaneView;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * The ledger's lane items: a dataset's lane read with the files that wait for it, claimed for an import with its
 * files, and released, each write conditional on who holds the lane.
 */
final class LedgerLanes {

    /**
     * How many of a claim's files move to IMPORTING in the claim's own transaction (two items each, with the lane item,
     * the two of its region slot and the check of its group's deletion lane); a larger batch's other files move right
     * after it.
     */
    static final int FILES_WITH_CLAIM = (LedgerStore.TRANSACTION_LIMIT - 4) / 2;
    /**
     * Items on the first page of the lane's read: the lane item and the first open files. A busy lane stops there, so a
     * burst of files on a busy dataset costs each of them one small read, not a read of every file that waits; a free
     * lane reads the rest in pages as large as DynamoDB gives (1 MB).
     */
    private static final int LANE_PAGE = 25;
    private static final String HELD_BY = "running.executionName = :execution";

    private final LedgerStore store;
    private final LedgerFiles files;
    private final LedgerOpenFiles open;
    private final LedgerOutbox outbox;
    private final LedgerRegion region;

    LedgerLanes(LedgerStore store, LedgerFiles files, LedgerOpenFiles open, LedgerOutbox outbox, LedgerRegion region) {
        this.store = store;
        this.files = files;
        this.open = open;
        this.outbox = outbox;
        this.region = region;
    }

    Lane lane(String datasetArn) {
        Map<String, AttributeValue> item = store.get(datasetArn, key(datasetArn));
        return item.isEmpty() ? Lane.free(datasetArn) : LaneItem.read(datasetArn, item);
    }

    /**
     * The lane and, when it is free, the files that wait for it, in lane order, from one consistent Query of the lane
     * item and the open items that sort after it (more pages only when many files wait on a free lane).
     *
     * @param oldOpenItems whether a waiting file whose open item holds only its key is read from its file item (a
     *     BatchGetItem) rather than left out
     */
    LaneView view(String datasetArn, boolean oldOpenItems) {
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        store.query(datasetArn, query -> query.keyConditionExpression("pk = :pk AND sk BETWEEN :lane AND :openEnd")
                .expressionAttributeValues(Map.of(":pk", s(LedgerStore.partition(datasetArn)),
                        ":lane", s(LaneItem.SORT_KEY), ":openEnd", s(LedgerOpenFiles.END)))
                .limit(items.isEmpty() ? LANE_PAGE : null), page -> {
                    items.addAll(page);
                    // The lane item sorts first; a busy lane's waiting files are not needed.
                    return !LaneItem.first(datasetArn, items).isBusy();
                });
        Lane lane = LaneItem.first(datasetArn, items);
        if (lane.isBusy()) {
            return new LaneView(lane, List.of());
        }
        List<Map<String, AttributeValue>> openItems = items.stream().filter(item -> !LaneItem.is(item)).toList();
        List<FileEntry> waiting = oldOpenItems ? open.files(datasetArn, openItems) : open.carried(openItems);
        return new LaneView(lane, waiting.stream()
                .filter(file -> file.standing().status() == FileStatus.PENDING).toList());
    }

    /**
     * Claims a free lane for {@code running}, takes its region slot (if it has one) and moves its files to IMPORTING with
     * its job, in one transaction; false when the lane changed since {@code lane} was read, the slot was taken, one of
     * the files was settled or another claim got in the way, and then nothing is written. Files beyond
     * {@link #FILES_WITH_CLAIM} move right after the claim, each only while it is not settled.
     */
    boolean claim(Lane lane, Lane.Running running, List<FileEntry> batch, List<Lane> unchanged) {
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":running", LaneItem.running(running));
        values.put(":next", n(lane.version() + 1));
        StringBuilder update = new StringBuilder("SET running = :running, version = :next, datasetArn = :dataset"
                + " REMOVE #holding");
        values.put(":dataset", s(lane.datasetArn()));
        String condition = "attribute_not_exists(running) AND ";
        if (lane.version() == 0) {
            condition += "attribute_not_exists(version)";
        } else {
            condition += "version = :current";
            values.put(":current", n(lane.version()));
        }
        String expression = condition;
        List<TransactWriteItem> writes = new ArrayList<>();
        writes.add(TransactWriteItem.builder().update(put -> put.tableName(store.table())
                .key(key(lane.datasetArn())).updateExpression(update.toString())
                .conditionExpression(expression).expressionAttributeNames(Map.of("#holding", LaneItem.HOLDING))
                .expressionAttributeValues(values)).build());
        if (running.slot() != null) {
            writes.addAll(region.take(running.slot(), lane.datasetArn(), running.jobName(), running.claimedAt()));
        }
        for (Lane other : unchanged) {
            writes.add(unchanged(other));
        }
        int withClaim = Math.min(batch.size(), FILES_WITH_CLAIM);
        for (FileEntry file : batch.subList(0, withClaim)) {
            writes.addAll(files.settlement(importing(file, running)));
        }
        if (!store.transactOrLose(lane.datasetArn(), writes)) {
            return false;
        }
        for (FileEntry file : batch.subList(withClaim, batch.size())) {
            files.settle(importing(file, running), null);
        }
        return true;
    }

    /**
     * Notes the files a free lane holds (null: none) as {@code lane} was read, raising its version so that a claim or
     * another note from an older read fails; false when the lane changed since, and then nothing is written.
     */
    boolean hold(Lane lane, Lane.Holding holding) {
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":next", n(lane.version() + 1));
        values.put(":dataset", s(lane.datasetArn()));
        String update = "SET version = :next, datasetArn = :dataset";
        if (holding == null) {
            update += " REMOVE #holding";
        } else {
            update += ", #holding = :holding";
            values.put(":holding", LaneItem.holding(holding));
        }
        String condition = "attribute_not_exists(running) AND ";
        if (lane.version() == 0) {
            condition += "attribute_not_exists(version)";
        } else {
            condition += "version = :current";
            values.put(":current", n(lane.version()));
        }
        String expression = update;
        String conditionExpression = condition;
        return store.update(lane.datasetArn(), write -> write.key(key(lane.datasetArn())).updateExpression(expression)
                .conditionExpression(conditionExpression).expressionAttributeNames(Map.of("#holding", LaneItem.HOLDING))
                .expressionAttributeValues(values));
    }

    /**
     * Marks the lane's hold named by {@code holding.first()} reported and writes {@code event}, in one transaction of
     * updates only (the publish function may update items, not put them); false when the lane holds another hold or
     * this one was reported already, and then nothing is written. It raises the lane's version, so that a hold noted
     * from a read before the report fails and is planned again from the reported hold, not written over it.
     */
    boolean reportHold(String datasetArn, Lane.Holding holding, OutboxEvent event) {
        List<TransactWriteItem> writes = new ArrayList<>();
        writes.add(TransactWriteItem.builder().update(write -> write.tableName(store.table()).key(key(datasetArn))
                .updateExpression("SET #holding.#reported = :true ADD version :one")
                .conditionExpression("#holding.#first = :first AND #holding.#reported = :false")
                .expressionAttributeNames(Map.of("#holding", LaneItem.HOLDING, "#first", "first",
                        "#reported", "reported"))
                .expressionAttributeValues(Map.of(":true", AttributeValue.fromBool(true), ":one", n(1),
                        ":false", AttributeValue.fromBool(false), ":first", s(holding.first())))).build());
        outbox.addByUpdate(writes, event);
        return store.transact(datasetArn, writes);
    }

    /** Notes that the execution holding the lane runs; false when the lane is no longer held by it. */
    boolean markStarted(String datasetArn, String executionName) {
        return store.update(datasetArn, update -> update.key(key(datasetArn))
                .updateExpression("SET running.started = :true").conditionExpression(HELD_BY)
                .expressionAttributeValues(Map.of(":true", AttributeValue.fromBool(true), ":execution", s(executionName))));
    }

    /** Hands the lane from {@code executionName} to {@code resumed}; false when that execution no longer holds it. */
    boolean resume(String datasetArn, String executionName, Lane.Running resumed) {
        return store.update(datasetArn, update -> update.key(key(datasetArn))
                .updateExpression("SET running = :running ADD version :one").conditionExpression(HELD_BY)
                .expressionAttributeValues(Map.of(":running", LaneItem.running(resumed), ":one", n(1),
                        ":execution", s(executionName))));
    }

    /**
     * Frees the lane if {@code executionName} holds it, noting the file it imported (null if none), returning its region
     * slot and writing {@code event} (null for none) in the same transaction; false when it does not hold it, and then
     * nothing is written.
     */
    boolean release(String datasetArn, String executionName, String importedKey, String jobName,
                    Lane.LastFull replaced, String lastIncremental, OutboxEvent event) {
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":execution", s(executionName));
        List<String> sets = new ArrayList<>();
        if (importedKey != null) {
            sets.add("lastImported = :imported");
            values.put(":imported", LaneItem.lastImported(importedKey, jobName, store.now()));
        }
        if (replaced != null) {
            sets.add("lastFull = :lastFull");
            values.put(":lastFull", LaneItem.lastFull(replaced));
        }
        if (lastIncremental != null) {
            sets.add("lastIncremental = :lastIncremental");
            values.put(":lastIncremental", s(lastIncremental));
        }
        String update = (sets.isEmpty() ? "" : "SET " + String.join(", ", sets) + " ") + "REMOVE running";
        String expression = update;
        List<TransactWriteItem> writes = new ArrayList<>();
        writes.add(TransactWriteItem.builder().update(put -> put.tableName(store.table()).key(key(datasetArn))
                .updateExpression(expression).conditionExpression(HELD_BY).expressionAttributeValues(values)).build());
        Lane held = lane(datasetArn);
        if (held.isBusy() && held.running().executionName().equals(executionName) && held.running().slot() != null) {
            writes.add(region.giveBack(held.running().slot(), datasetArn));
        }
        outbox.add(writes, event);
        return store.transact(datasetArn, writes);
    }

    private static FileEntry importing(FileEntry file, Lane.Running running) {
        return file.withStatus(file.file().isDeletion() ? FileStatus.DELETING : FileStatus.IMPORTING, running.jobName(),
                null, null);
    }

    /** The check, in a claim's transaction, that another lane is free and as it was read. */
    private TransactWriteItem unchanged(Lane other) {
        Map<String, AttributeValue> values = new HashMap<>();
        String condition = "attribute_not_exists(running) AND ";
        if (other.version() == 0) {
            condition += "attribute_not_exists(version)";
        } else {
            condition += "version = :version";
            values.put(":version", n(other.version()));
        }
        String expression = condition;
        return TransactWriteItem.builder().conditionCheck(check -> check.tableName(store.table())
                .key(key(other.datasetArn())).conditionExpression(expression)
                .expressionAttributeValues(values.isEmpty() ? null : values)).build();
    }

    private static Map<String, AttributeValue> key(String datasetArn) {
        return LedgerStore.key(datasetArn, LaneItem.SORT_KEY);
    }
}
