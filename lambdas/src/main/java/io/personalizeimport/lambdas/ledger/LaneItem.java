package io.personalizeimport.lambdas.ledger;

import static io.personalizeimport.lambdas.ledger.Attributes.n;
import static io.personalizeimport.lambdas.ledger.Attributes.s;
import static io.personalizeimport.lambdas.ledger.Attributes.text;

import io.personalizeimport.lambdas.lane.Lane;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** A {@link Lane} as the ledger's lane item ({@code sk = lane}) holds it. */
final class LaneItem {

    static final String SORT_KEY = "lane";
    /** The files the free lane holds until they have Personalize's minimum of records ({@link Lane.Holding}). */
    static final String HOLDING = "holding";

    private LaneItem() {
    }

    static boolean is(Map<String, AttributeValue> item) {
        return SORT_KEY.equals(text(item, LedgerTable.SORT_KEY));
    }

    static Lane read(String datasetArn, Map<String, AttributeValue> item) {
        Lane.Running running = null;
        AttributeValue runningValue = item.get("running");
        if (runningValue != null && runningValue.hasM()) {
            Map<String, AttributeValue> m = runningValue.m();
            running = new Lane.Running(text(m, "jobName"), text(m, "executionName"),
                    m.get("entries").l().stream().map(AttributeValue::s).toList(),
                    Instant.parse(text(m, "claimedAt")), m.get("started").bool(), text(m, "input"),
                    m.containsKey("slot") ? Integer.valueOf(m.get("slot").n()) : null);
        }
        Lane.LastFull lastFull = null;
        AttributeValue full = item.get("lastFull");
        if (full != null && full.hasM()) {
            lastFull = new Lane.LastFull(text(full.m(), "order"), text(full.m(), "key"));
        }
        long version = item.containsKey("version") ? Long.parseLong(item.get("version").n()) : 0;
        return new Lane(datasetArn, running, lastFull, text(item, "lastIncremental"), holding(item.get(HOLDING)),
                version);
    }

    private static Lane.Holding holding(AttributeValue value) {
        if (value == null || !value.hasM()) {
            return null;
        }
        Map<String, AttributeValue> m = value.m();
        return new Lane.Holding(Long.parseLong(m.get("records").n()), Long.parseLong(m.get("minimum").n()),
                Instant.parse(text(m, "since")), Duration.parse(text(m, "longestHold")), text(m, "first"),
                m.get("reported").bool());
    }

    static AttributeValue holding(Lane.Holding holding) {
        return AttributeValue.fromM(Map.of(
                "records", n(holding.records()),
                "minimum", n(holding.minimum()),
                "since", s(holding.since().toString()),
                "longestHold", s(holding.longestHold().toString()),
                "first", s(holding.first()),
                "reported", AttributeValue.fromBool(holding.reported())));
    }

    static AttributeValue running(Lane.Running running) {
        Map<String, AttributeValue> m = new HashMap<>(Map.of(
                "jobName", s(running.jobName()),
                "executionName", s(running.executionName()),
                "entries", AttributeValue.fromL(running.entries().stream().map(Attributes::s).toList()),
                "claimedAt", s(running.claimedAt().toString()),
                "started", AttributeValue.fromBool(running.started()),
                "input", s(running.input())));
        if (running.slot() != null) {
            m.put("slot", n(running.slot()));
        }
        return AttributeValue.fromM(m);
    }

    static AttributeValue lastFull(Lane.LastFull lastFull) {
        return AttributeValue.fromM(Map.of("order", s(lastFull.order()), "key", s(lastFull.key())));
    }

    /** The lane's note of the file its last import imported, with its job, at {@code at}. */
    static AttributeValue lastImported(String key, String jobName, Instant at) {
        return AttributeValue.fromM(Map.of("key", s(key), "jobName", s(jobName), "at", s(at.toString())));
    }

    /** The lane whose item comes first among these, or a free one when none does (a lane never claimed). */
    static Lane first(String datasetArn, List<Map<String, AttributeValue>> items) {
        return !items.isEmpty() && is(items.getFirst()) ? read(datasetArn, items.getFirst()) : Lane.free(datasetArn);
    }
}
