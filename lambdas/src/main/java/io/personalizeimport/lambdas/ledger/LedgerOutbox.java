package io.personalizeimport.lambdas.ledger;

import static io.personalizeimport.lambdas.ledger.Attributes.n;
import static io.personalizeimport.lambdas.ledger.Attributes.s;
import static io.personalizeimport.lambdas.ledger.Attributes.text;

import io.personalizeimport.lambdas.events.OutboxEvent;
import io.personalizeimport.lambdas.lane.OutboxRecords;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * The ledger's outbox items ({@code outbox#<eventId>}): events written in the transaction of the outcome they report,
 * claimed by one drain at a time ({@value #CLAIMED_UNTIL}, {@value #CLAIMED_BY}), and deleted once published.
 */
final class LedgerOutbox {

    static final String PREFIX = "outbox#";
    /** Epoch milliseconds until which a drain's claim holds: a number, so that the condition compares instants. */
    static final String CLAIMED_UNTIL = "claimedUntil";
    static final String CLAIMED_BY = "claimedBy";

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

    /**
     * Adds the write of {@code event} to a transaction's writes as an update that creates its item, for a function that
     * may update items but not put them.
     */
    void addByUpdate(List<TransactWriteItem> writes, OutboxEvent event) {
        writes.add(TransactWriteItem.builder().update(update -> update.tableName(store.table()).key(key(event))
                .updateExpression("SET detailType = :detailType, detail = :detail, writtenAt = :writtenAt")
                .expressionAttributeValues(Map.of(":detailType", s(event.detailType()), ":detail", s(event.detail()),
                        ":writtenAt", s(store.now().toString())))).build());
    }

    /** The dataset's events that are not published yet, claimed or not, oldest outcome first. */
    List<OutboxEvent> events(String datasetArn) {
        return store.queryAll(datasetArn, query -> query.keyConditionExpression("pk = :pk AND begins_with(sk, :outbox)")
                .expressionAttributeValues(Map.of(":pk", s(LedgerStore.partition(datasetArn)), ":outbox", s(PREFIX))))
                .stream().map(item -> read(datasetArn, item)).toList();
    }

    /**
     * Claims the event with one conditional write: only while it is still in the outbox and no other claim holds past
     * {@code now}, so that of two drains at once only one publishes it.
     */
    boolean claim(OutboxEvent event, OutboxRecords.Claim claim, Instant now) {
        return store.update(event.eventId(), update -> update.key(key(event))
                .updateExpression("SET #until = :until, #by = :by")
                .conditionExpression("attribute_exists(#sk) AND (attribute_not_exists(#until) OR #until < :now)")
                .expressionAttributeNames(Map.of("#sk", LedgerTable.SORT_KEY, "#until", CLAIMED_UNTIL,
                        "#by", CLAIMED_BY))
                .expressionAttributeValues(Map.of(":until", n(claim.until().toEpochMilli()),
                        ":by", s(claim.holder()), ":now", n(now.toEpochMilli()))));
    }

    /** Removes {@code claim} from the event if it still holds it; a claim another drain took since stays. */
    void release(OutboxEvent event, OutboxRecords.Claim claim) {
        store.update(event.eventId(), update -> update.key(key(event))
                .updateExpression("REMOVE #until, #by")
                .conditionExpression("#by = :by")
                .expressionAttributeNames(Map.of("#until", CLAIMED_UNTIL, "#by", CLAIMED_BY))
                .expressionAttributeValues(Map.of(":by", s(claim.holder()))));
    }

    /** Removes a published event; removing one that is gone already changes nothing. */
    void published(OutboxEvent event) {
        store.delete(event.eventId(), key(event));
    }

    private static Map<String, AttributeValue> key(OutboxEvent event) {
        return LedgerStore.key(event.datasetArn(), PREFIX + event.eventId());
    }

    private Map<String, AttributeValue> item(OutboxEvent event) {
        Map<String, AttributeValue> item = new LinkedHashMap<>(key(event));
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
