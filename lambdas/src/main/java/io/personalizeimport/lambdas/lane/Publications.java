package io.personalizeimport.lambdas.lane;

import io.personalizeimport.lambdas.events.OutboxEvent;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Drains a dataset's outbox onto the bus: at least once, and never twice from drains that run at once, because a drain
 * publishes only the events it claimed with a conditional write. A claim whose drain died expires after its lease.
 */
public final class Publications {

    /**
     * How long a claim holds: far beyond one PutEvents call (the SDK bounds each within seconds), and below the 5 minutes
     * between two scheduled drains, so the next one publishes what a crashed drain had claimed.
     */
    public static final Duration LEASE = Duration.ofMinutes(2);

    private final OutboxRecords records;
    private final EventBus bus;
    private final Clock clock;

    /** What one drain did: how many events of the dataset it published, and how many it left in the outbox. */
    public record Drained(String datasetArn, int published, int left) {
    }

    public Publications(OutboxRecords records, EventBus bus, Clock clock) {
        this.records = records;
        this.bus = bus;
        this.clock = clock;
    }

    /**
     * Publishes the dataset's waiting events that this drain claims; each one the bus accepted leaves the outbox, the
     * others are released for the next drain.
     *
     * @throws ServiceCallException when the bus fails; what it accepted before has left the outbox
     */
    public Drained drain(String datasetArn) {
        List<OutboxEvent> waiting = records.outbox(datasetArn);
        if (waiting.isEmpty()) {
            return new Drained(datasetArn, 0, 0);
        }
        Instant now = clock.instant();
        OutboxRecords.Claim claim = new OutboxRecords.Claim(UUID.randomUUID().toString(), now.plus(LEASE));
        List<OutboxEvent> claimed = waiting.stream().filter(event -> records.claim(event, claim, now)).toList();
        List<OutboxEvent> accepted = new ArrayList<>();
        try {
            if (!claimed.isEmpty()) {
                bus.publish(claimed, accepted);
            }
        } finally {
            accepted.forEach(records::published);
            claimed.stream().filter(event -> !accepted.contains(event)).forEach(event -> records.release(event, claim));
        }
        return new Drained(datasetArn, accepted.size(), waiting.size() - accepted.size());
    }
}
