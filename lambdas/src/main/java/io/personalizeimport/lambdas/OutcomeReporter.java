package io.personalizeimport.lambdas;

import io.personalizeimport.lambdas.aws.EventPublisher;
import io.personalizeimport.lambdas.events.OutboxEvent;
import io.personalizeimport.lambdas.lane.OutboxRecords;
import io.personalizeimport.lambdas.lane.OutcomeEvents;
import io.personalizeimport.lambdas.lane.Publications;
import java.time.Clock;
import java.util.List;

/**
 * Publishes the events the ledger's outbox holds on EventBridge ({@link Publications}), with a metric and a log line for
 * each one accepted: at least once, a rare repeat (a drain that died between PutEvents and the removal) carrying the
 * same {@code eventId}.
 */
final class OutcomeReporter implements OutcomeEvents {

    private final OutcomeMetricsWriter metrics;
    private final Publications publications;

    OutcomeReporter(OutboxRecords outbox, EventPublisher publisher, Clock clock) {
        this.metrics = new OutcomeMetricsWriter(System.out, clock);
        this.publications = new Publications(outbox, (events, accepted) -> publish(publisher, events, accepted), clock);
    }

    /** Records how many files wait in the dataset's lane (a metric). */
    @Override
    public void waiting(String datasetArn, int files) {
        metrics.waiting(datasetArn, files);
    }

    /** Records the region's slots in use and the lanes in line for one (metrics). */
    @Override
    public void slots(int inUse, int lanesWaiting) {
        metrics.slots(inUse, lanesWaiting);
    }

    /** Publishes the dataset's waiting events that no other drain holds; each one accepted leaves the outbox. */
    @Override
    public void drain(String datasetArn) {
        publish(datasetArn);
    }

    /** Drains the dataset's outbox as {@link #drain} does, and says how many events it published and left. */
    Publications.Drained publish(String datasetArn) {
        return publications.drain(datasetArn);
    }

    private void publish(EventPublisher publisher, List<OutboxEvent> events, List<OutboxEvent> accepted) {
        try {
            publisher.publish(events, accepted);
        } finally {
            for (OutboxEvent event : accepted) {
                metrics.published(event);
                Log.info("Event published", "detailType", event.detailType(), "eventId", event.eventId(),
                        "datasetArn", event.datasetArn());
            }
        }
    }
}
