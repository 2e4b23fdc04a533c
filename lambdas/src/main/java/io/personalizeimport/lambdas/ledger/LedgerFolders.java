package io.personalizeimport.lambdas.ledger;

import static io.personalizeimport.lambdas.ledger.Attributes.s;
import static io.personalizeimport.lambdas.ledger.Attributes.text;

import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The ledger's folder items ({@code folder#<folder>}): a folder route's folder, open until its marker arrives. */
final class LedgerFolders {

    static final String PREFIX = "folder#";
    private static final AttributeValue TRUE = AttributeValue.fromBool(true);

    private final LedgerStore store;

    LedgerFolders(LedgerStore store) {
        this.store = store;
    }

    /**
     * Opens a folder for its marker, named by the watch that reports it if the marker never comes; returns the watch
     * of the folder as it is open now (this one, or the one an earlier part opened).
     */
    String open(String datasetArn, String folder, String watch) {
        Map<String, AttributeValue> item = item(datasetArn, folder, watch);
        boolean opened = store.put(folder, put -> put.item(item)
                .conditionExpression("attribute_not_exists(pk) OR closed = :true")
                .expressionAttributeValues(Map.of(":true", TRUE)));
        if (opened) {
            return watch;
        }
        Map<String, AttributeValue> open = store.get(folder, key(datasetArn, folder));
        return open.isEmpty() ? watch : text(open, "watch");
    }

    /** Notes that the folder's marker arrived, so its watch reports nothing. */
    void close(String datasetArn, String folder) {
        store.update(folder, update -> update.key(key(datasetArn, folder))
                .updateExpression("SET closed = :true, closedAt = :now")
                .expressionAttributeValues(Map.of(":true", TRUE, ":now", s(store.now().toString()))));
    }

    /** Whether the folder's marker arrived since the folder was opened. */
    boolean isClosed(String datasetArn, String folder) {
        AttributeValue closed = store.get(folder, key(datasetArn, folder)).get("closed");
        return closed != null && Boolean.TRUE.equals(closed.bool());
    }

    private Map<String, AttributeValue> item(String datasetArn, String folder, String watch) {
        Map<String, AttributeValue> item = new LinkedHashMap<>(key(datasetArn, folder));
        item.put("type", s("folder"));
        item.put("datasetArn", s(datasetArn));
        item.put("folder", s(folder));
        item.put("watch", s(watch));
        item.put("closed", AttributeValue.fromBool(false));
        item.put("openedAt", s(store.now().toString()));
        return item;
    }

    private static Map<String, AttributeValue> key(String datasetArn, String folder) {
        return LedgerStore.key(datasetArn, PREFIX + folder);
    }
}
