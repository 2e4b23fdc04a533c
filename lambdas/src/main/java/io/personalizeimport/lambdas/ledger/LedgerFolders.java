package io.personalizeimport.lambdas.ledger;

import static io.personalizeimport.lambdas.ledger.Attributes.s;
import static io.personalizeimport.lambdas.ledger.Attributes.text;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
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
        // An update, not a put: a folder opened again after its marker keeps the entry of the import that marker started.
        boolean opened = store.update(folder, update -> update.key(key(datasetArn, folder))
                .updateExpression("SET #type = :type, datasetArn = :dataset, folder = :folder, watch = :watch,"
                        + " closed = :false, openedAt = :now")
                .conditionExpression("attribute_not_exists(pk) OR closed = :true")
                .expressionAttributeNames(Map.of("#type", "type"))
                .expressionAttributeValues(Map.of(":type", s("folder"), ":dataset", s(datasetArn), ":folder", s(folder),
                        ":watch", s(watch), ":false", AttributeValue.fromBool(false), ":true", TRUE,
                        ":now", s(store.now().toString()))));
        if (opened) {
            return watch;
        }
        Map<String, AttributeValue> open = store.get(folder, key(datasetArn, folder));
        return open.isEmpty() ? watch : text(open, "watch");
    }

    /** Notes that the folder's marker arrived, so its watch reports nothing, and the entry of the import it started. */
    void close(String datasetArn, String folder, String importEntry) {
        store.update(folder, update -> update.key(key(datasetArn, folder))
                .updateExpression("SET closed = :true, closedAt = :now, importedBy = :entry")
                .expressionAttributeValues(Map.of(":true", TRUE, ":now", s(store.now().toString()),
                        ":entry", s(importEntry))));
    }

    /** The entry of the newest import of the folder that a marker started; empty before any. */
    Optional<String> imported(String datasetArn, String folder) {
        return Optional.ofNullable(store.get(folder, key(datasetArn, folder)).get("importedBy")).map(AttributeValue::s);
    }

    /** Whether the folder's marker arrived since the folder was opened. */
    boolean isClosed(String datasetArn, String folder) {
        AttributeValue closed = store.get(folder, key(datasetArn, folder)).get("closed");
        return closed != null && Boolean.TRUE.equals(closed.bool());
    }

    private static Map<String, AttributeValue> key(String datasetArn, String folder) {
        return LedgerStore.key(datasetArn, PREFIX + folder);
    }
}
