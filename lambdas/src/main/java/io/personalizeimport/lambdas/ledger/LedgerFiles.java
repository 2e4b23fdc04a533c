package io.personalizeimport.lambdas.ledger;

import static io.personalizeimport.lambdas.ledger.Attributes.s;

import io.personalizeimport.lambdas.events.OutboxEvent;
import io.personalizeimport.lambdas.lane.FileEntry;
import io.personalizeimport.lambdas.lane.FileStatus;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * The ledger's file items: a notified file recorded and settled, each time with its open item and its event in one
 * transaction, and read back.
 */
final class LedgerFiles {

    private final LedgerStore store;
    private final LedgerOpenFiles open;
    private final LedgerOutbox outbox;

    LedgerFiles(LedgerStore store, LedgerOpenFiles open, LedgerOutbox outbox) {
        this.store = store;
        this.open = open;
        this.outbox = outbox;
    }

    /**
     * Records a notified file, with its open item while it waits and the event that reports it (null for none), in one
     * transaction; false when this very event was recorded before, and then nothing is written.
     */
    boolean record(FileEntry entry, OutboxEvent event) {
        Map<String, AttributeValue> item = FileItem.of(entry, store.now());
        List<TransactWriteItem> writes = new ArrayList<>();
        writes.add(TransactWriteItem.builder().put(put -> put.tableName(store.table()).item(item)
                .conditionExpression("attribute_not_exists(pk)")).build());
        if (!entry.standing().status().isFinal()) {
            writes.add(open.put(entry, item));
        }
        outbox.add(writes, event);
        return store.transact(entry.file().key(), writes);
    }

    /** The file recorded under {@code sortKey} in the dataset's lane, read consistently. */
    Optional<FileEntry> file(String datasetArn, String sortKey) {
        Map<String, AttributeValue> item = store.get(datasetArn, LedgerStore.key(datasetArn, sortKey));
        return item.isEmpty() ? Optional.empty() : Optional.of(FileItem.read(item));
    }

    /** The dataset's file items, of one status or (null) of any, in lane order. */
    List<FileEntry> files(String datasetArn, FileStatus status) {
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":pk", s(LedgerStore.partition(datasetArn)),
                ":files", s(FileItem.PREFIX)));
        if (status != null) {
            values.put(":status", s(status.name()));
        }
        return store.queryAll(datasetArn, query -> {
            query.keyConditionExpression("pk = :pk AND begins_with(sk, :files)").expressionAttributeValues(values);
            if (status != null) {
                query.filterExpression("#status = :status").expressionAttributeNames(Map.of("#status", "status"));
            }
        }).stream().map(FileItem::read).toList();
    }

    /**
     * Moves a file to {@code settled}'s status with the event that reports it (null for none), in one transaction;
     * false when the file had a final status already, and then nothing is written.
     */
    boolean settle(FileEntry settled, OutboxEvent event) {
        List<TransactWriteItem> writes = new ArrayList<>(settlement(settled));
        outbox.add(writes, event);
        return store.transact(settled.file().key(), writes);
    }

    /**
     * The writes that move a file to {@code settled}'s status, only while it has no final status: its file item, and
     * its open item updated alike or, once the status is final, deleted.
     */
    List<TransactWriteItem> settlement(FileEntry settled) {
        FileItem.Update update = FileItem.settlement(settled, store.now());
        Map<String, AttributeValue> values = new HashMap<>(update.values());
        values.put(":pending", s(FileStatus.PENDING.name()));
        values.put(":importing", s(FileStatus.IMPORTING.name()));
        values.put(":deleting", s(FileStatus.DELETING.name()));
        TransactWriteItem file = TransactWriteItem.builder().update(put -> put.tableName(store.table())
                .key(LedgerStore.key(settled.file().datasetArn(), FileItem.sortKey(settled)))
                .updateExpression(update.expression()).conditionExpression("#status IN (:pending, :importing, :deleting)")
                .expressionAttributeNames(Map.of("#status", "status")).expressionAttributeValues(values)).build();
        return List.of(file, settled.standing().status().isFinal() ? open.delete(settled)
                : open.update(settled, update));
    }
}
