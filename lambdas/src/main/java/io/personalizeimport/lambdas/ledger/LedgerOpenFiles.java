package io.personalizeimport.lambdas.ledger;

import static io.personalizeimport.lambdas.ledger.Attributes.s;
import static io.personalizeimport.lambdas.ledger.Attributes.text;

import io.personalizeimport.lambdas.lane.FileEntry;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * The ledger's open items ({@code open#<order>}): while a file waits or imports, a copy of its file item, written,
 * updated and deleted with it, so a lane reads the files that are open and none of its history.
 */
final class LedgerOpenFiles {

    static final String PREFIX = "open#";
    /** Sorts after every {@code open#} key and before {@code outbox#}: '$' follows '#'. */
    static final String END = "open$";
    /** Marks an open item that carries its file; those written before it carried only their key. */
    private static final String TYPE = "open";

    private final LedgerStore store;

    LedgerOpenFiles(LedgerStore store) {
        this.store = store;
    }

    /** The write of a file's open item: a copy of its file item, {@code fileItem}, under its open key. */
    TransactWriteItem put(FileEntry entry, Map<String, AttributeValue> fileItem) {
        Map<String, AttributeValue> item = new LinkedHashMap<>(fileItem);
        item.putAll(key(entry));
        item.put("type", s(TYPE));
        return TransactWriteItem.builder().put(put -> put.tableName(store.table()).item(item)).build();
    }

    /** The update of a file's open item, the copy of its file item, by the file's settlement. */
    TransactWriteItem update(FileEntry settled, FileItem.Update update) {
        return TransactWriteItem.builder().update(put -> put.tableName(store.table()).key(key(settled))
                .updateExpression(update.expression()).expressionAttributeNames(Map.of("#status", "status"))
                .expressionAttributeValues(update.values())).build();
    }

    /** The deletion of a file's open item, as the file reaches its final outcome. */
    TransactWriteItem delete(FileEntry settled) {
        return TransactWriteItem.builder().delete(delete -> delete.tableName(store.table()).key(key(settled))).build();
    }

    /** The files that have not reached a final outcome, from their open items, read consistently, in lane order. */
    List<FileEntry> files(String datasetArn) {
        return files(datasetArn, store.queryAll(datasetArn, query -> query
                .keyConditionExpression("pk = :pk AND begins_with(sk, :open)")
                .expressionAttributeValues(Map.of(":pk", s(LedgerStore.partition(datasetArn)), ":open", s(PREFIX)))));
    }

    /**
     * The files of these open items, in lane order. An item that carries its file is read as it is; one written before
     * open items carried their file holds only its key, and its file item is read instead, in consistent batches.
     */
    List<FileEntry> files(String datasetArn, List<Map<String, AttributeValue>> open) {
        List<FileEntry> files = new ArrayList<>();
        List<Map<String, AttributeValue>> keys = new ArrayList<>();
        for (Map<String, AttributeValue> item : open) {
            if (TYPE.equals(text(item, "type"))) {
                files.add(FileItem.read(item));
            } else {
                keys.add(LedgerStore.key(datasetArn, FileItem.PREFIX + text(item, LedgerTable.SORT_KEY)
                        .substring(PREFIX.length())));
            }
        }
        store.batchGet(datasetArn, keys).forEach(item -> files.add(FileItem.read(item)));
        files.sort(Comparator.comparing(entry -> entry.file().order()));
        return files;
    }

    /** The files these open items carry, in lane order; an item written before open items carried its file is left out. */
    List<FileEntry> carried(List<Map<String, AttributeValue>> open) {
        return open.stream().filter(item -> TYPE.equals(text(item, "type"))).map(FileItem::read)
                .sorted(Comparator.comparing(entry -> entry.file().order())).toList();
    }

    private static Map<String, AttributeValue> key(FileEntry file) {
        return LedgerStore.key(file.file().datasetArn(), PREFIX + file.file().order());
    }
}
