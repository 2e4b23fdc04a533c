package io.personalizeimport.lambdas.ledger;

import static io.personalizeimport.lambdas.ledger.Attributes.n;
import static io.personalizeimport.lambdas.ledger.Attributes.s;
import static io.personalizeimport.lambdas.ledger.Attributes.text;

import io.personalizeimport.lambdas.lane.Region;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * The ledger's region partition ({@code pk = region}): one item per import slot held ({@code sk = slot#<n>}) and one
 * per lane in line for a slot ({@code sk = waiting#<datasetArn>}), read together by one consistent Query.
 */
final class LedgerRegion {

    static final String PARTITION = "region";
    private static final String SLOT = "slot#";
    private static final String WAITING = "waiting#";

    private final LedgerStore store;

    LedgerRegion(LedgerStore store) {
        this.store = store;
    }

    Region region() {
        List<Region.Slot> slots = new ArrayList<>();
        List<Region.Waiting> line = new ArrayList<>();
        for (Map<String, AttributeValue> item : store.queryAll(PARTITION, query -> query
                .keyConditionExpression("pk = :pk").expressionAttributeValues(Map.of(":pk", s(PARTITION))))) {
            String sortKey = text(item, LedgerTable.SORT_KEY);
            if (sortKey.startsWith(SLOT)) {
                slots.add(new Region.Slot(Integer.parseInt(sortKey.substring(SLOT.length())), text(item, "datasetArn"),
                        text(item, "jobName"), Instant.parse(text(item, "claimedAt"))));
            } else if (sortKey.startsWith(WAITING)) {
                line.add(new Region.Waiting(text(item, "datasetArn"), Instant.parse(text(item, "since"))));
            }
        }
        return new Region(slots, line);
    }

    void await(String datasetArn, Instant since) {
        store.put(PARTITION, put -> put.item(Map.of(
                LedgerTable.PARTITION_KEY, s(PARTITION), LedgerTable.SORT_KEY, s(WAITING + datasetArn),
                "datasetArn", s(datasetArn), "since", s(since.toString()))));
    }

    void leave(String datasetArn) {
        store.delete(PARTITION, key(WAITING + datasetArn));
    }

    boolean free(Region.Slot slot) {
        return store.delete(PARTITION, delete -> delete.key(key(SLOT + slot.number()))
                .conditionExpression("jobName = :job AND datasetArn = :dataset")
                .expressionAttributeValues(Map.of(":job", s(slot.jobName()), ":dataset", s(slot.datasetArn()))));
    }

    /** The writes that take slot {@code number} for the lane's job and take the lane out of line, in its claim. */
    List<TransactWriteItem> take(int number, String datasetArn, String jobName, Instant claimedAt) {
        return List.of(
                TransactWriteItem.builder().put(put -> put.tableName(store.table()).item(Map.of(
                        LedgerTable.PARTITION_KEY, s(PARTITION), LedgerTable.SORT_KEY, s(SLOT + number),
                        "number", n(number), "datasetArn", s(datasetArn), "jobName", s(jobName),
                        "claimedAt", s(claimedAt.toString())))
                        .conditionExpression("attribute_not_exists(pk)")).build(),
                TransactWriteItem.builder().delete(delete -> delete.tableName(store.table())
                        .key(key(WAITING + datasetArn))).build());
    }

    /**
     * The write that returns slot {@code number} as the lane's release frees the lane: only if the dataset's lane still
     * holds it, or it is already gone.
     */
    TransactWriteItem giveBack(int number, String datasetArn) {
        return TransactWriteItem.builder().delete(delete -> delete.tableName(store.table()).key(key(SLOT + number))
                .conditionExpression("attribute_not_exists(pk) OR datasetArn = :dataset")
                .expressionAttributeValues(Map.of(":dataset", s(datasetArn)))).build();
    }

    private static Map<String, AttributeValue> key(String sortKey) {
        return Map.of(LedgerTable.PARTITION_KEY, s(PARTITION), LedgerTable.SORT_KEY, s(sortKey));
    }
}
