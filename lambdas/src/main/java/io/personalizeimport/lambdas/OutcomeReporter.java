package io.personalizeimport.lambdas;

import io.personalizeimport.lambdas.aws.EventPublisher;
import io.personalizeimport.lambdas.events.OutboxEvent;
import io.personalizeimport.lambdas.lane.OutcomeEvents;
import io.personalizeimport.lambdas.ledger.Ledger;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * Publishes the events the ledger's outbox holds on EventBridge, and removes each one it accepted: at least once, a rare
 * repeat (a crash between PutEvents and the removal) carrying the same {@code eventId}.
 */
final class OutcomeReporter implements OutcomeEvents {

    private final Ledger ledger;
    private final EventPublisher publisher;
    private final OutcomeMetricsWriter metrics;

    OutcomeReporter(Ledger ledger, EventPublisher publisher, Clock clock) {
        this.ledger = ledger;
        this.publisher = publisher;
        this.metrics = new OutcomeMetricsWriter(System.out, clock);
    }

    /** Records how many files wait in the dataset's lane (a metric). */
    @Override
    public void waiting(String datasetArn, int files) {
        metrics.waiting(datasetArn, files);
    }

    /** Publishes the dataset's waiting events; each one EventBridge accepted leaves the outbox, even if others fail. */
    @Override
    public void drain(String datasetArn) {
        List<OutboxEvent> waiting = ledger.outbox(datasetArn);
        if (waiting.isEmpty()) {
            return;
        }
        List<OutboxEvent> accepted = new ArrayList<>();
        try {
            publisher.publish(waiting, accepted);
        } finally {
            for (OutboxEvent event : accepted) {
                ledger.published(event);
                metrics.published(event);
                Log.info("Event published", "detailType", event.detailType(), "eventId", event.eventId(),
                        "datasetArn", datasetArn);
            }
        }
    }
}
