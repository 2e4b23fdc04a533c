package io.personalizeimport.lambdas.ledger;

import static io.personalizeimport.lambdas.ledger.Attributes.s;
import static io.personalizeimport.lambdas.ledger.Attributes.text;

import io.personalizeimport.lambdas.events.OutboxEvent;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * The ledger's outbox items ({@code outbox#<eventId>}): events written in the transaction of the outcome they report,
 * and deleted once published.
 */
final class LedgerOutbox {

    static final String PREFIX = "outbox#";

    private final LedgerStore store;

    LedgerOutbox(LedgerStore store) {
        this.store = store;
    }

    /** Adds the write of {@code event} to a transaction's writes; none when the event is null. */
    void add(List<TransactWriteItem> writes, OutboxEvent event) {
        if (event != null) {
            Map<String, AttributeValue> item = item(event);
            writes.add(TransactWriteItem.builder().put(put -> put.tableName(store.table()).item(item)).build());
        }
    }

    /** The dataset's events that are not published yet, oldest outcome first. */
    List<OutboxEvent> events(String datasetArn) {
        return store.queryAll(datasetArn, query -> query.keyConditionExpression("pk = :pk AND begins_with(sk, :outbox)")
                .expressionAttributeValues(Map.of(":pk", s(LedgerStore.partition(datasetArn)), ":outbox", s(PREFIX))))
                .stream().map(item -> read(datasetArn, item)).toList();
    }

    /** Removes a published event; removing one that is gone already changes nothing. */
    void published(OutboxEvent event) {
        store.delete(event.eventId(), LedgerStore.key(event.datasetArn(), PREFIX + event.eventId()));
    }

    private Map<String, AttributeValue> item(OutboxEvent event) {
        Map<String, AttributeValue> item = new LinkedHashMap<>(LedgerStore.key(event.datasetArn(),
                PREFIX + event.eventId()));
        item.put("detailType", s(event.detailType()));
        item.put("detail", s(event.detail()));
        item.put("writtenAt", s(store.now().toString()));
        return item;
    }

    private static OutboxEvent read(String datasetArn, Map<String, AttributeValue> item) {
        return new OutboxEvent(text(item, LedgerTable.SORT_KEY).substring(PREFIX.length()), text(item, "detailType"),
                datasetArn, text(item, "detail"));
    }
}
