package io.personalizeimport.lambdas;

import io.personalizeimport.lambdas.aws.EventPublisher;
import io.personalizeimport.lambdas.events.EventDetail;
import io.personalizeimport.lambdas.events.FileRef;
import io.personalizeimport.lambdas.events.FileRejected;
import io.personalizeimport.lambdas.events.FileSuperseded;
import io.personalizeimport.lambdas.events.ImportEnded;
import io.personalizeimport.lambdas.events.OutboxEvent;
import io.personalizeimport.lambdas.ledger.FileEntry;
import io.personalizeimport.lambdas.ledger.Ledger;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns outcomes into the events users subscribe to. An event is written to the ledger's outbox in the same transaction
 * as the outcome ({@link Ledger#settle(FileEntry, OutboxEvent)} and its siblings), so a retried or duplicated delivery,
 * which changes nothing, writes no second event; {@link #drain} then publishes what the outbox holds and removes what
 * EventBridge accepted. An event is published at least once; the rare repeat (a crash between PutEvents and the
 * removal) carries the same {@code eventId}.
 */
final class OutcomeReporter {

    private final Ledger ledger;
    private final EventPublisher publisher;
    private final OutcomeMetricsWriter metrics;

    OutcomeReporter(Ledger ledger, EventPublisher publisher, Clock clock) {
        this.ledger = ledger;
        this.publisher = publisher;
        this.metrics = new OutcomeMetricsWriter(System.out, clock);
    }

    static OutboxEvent rejected(FileEntry file, String reason, String executionArn) {
        return outbox(new FileRejected(EventDetail.SCHEMA_VERSION,
                EventDetail.idOf(FileRejected.DETAIL_TYPE, Ledger.sortKey(file)), file.datasetArn(), file.route(),
                FileRef.of(file), reason, executionArn));
    }

    static OutboxEvent superseded(FileEntry file, String supersededBy, String reason) {
        return outbox(new FileSuperseded(EventDetail.SCHEMA_VERSION,
                EventDetail.idOf(FileSuperseded.DETAIL_TYPE, Ledger.sortKey(file)), file.datasetArn(), file.route(),
                FileRef.of(file), supersededBy, reason));
    }

    static OutboxEvent ended(ImportEnded ended) {
        return outbox(ended);
    }

    private static OutboxEvent outbox(EventDetail detail) {
        return new OutboxEvent(detail.eventId(), detail.detailType(), detail.datasetArn(), JsonText.toJson(detail));
    }

    /** Records how many files wait in the dataset's lane (a metric). */
    void waiting(String datasetArn, int files) {
        metrics.waiting(datasetArn, files);
    }

    /** Publishes the dataset's waiting events; each one EventBridge accepted leaves the outbox, even if others fail. */
    void drain(String datasetArn) {
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
