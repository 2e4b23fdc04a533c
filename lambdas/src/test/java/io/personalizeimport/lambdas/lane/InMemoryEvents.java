package io.personalizeimport.lambdas.lane;

import io.personalizeimport.lambdas.events.OutboxEvent;
import java.util.ArrayList;
import java.util.List;

/** The bus in memory: a drain publishes what the ledger's outbox holds for the dataset, and empties it. */
final class InMemoryEvents implements OutcomeEvents {

    private final InMemoryLedger ledger;
    private final List<OutboxEvent> published = new ArrayList<>();
    private final List<String> waiting = new ArrayList<>();

    InMemoryEvents(InMemoryLedger ledger) {
        this.ledger = ledger;
    }

    @Override
    public synchronized void drain(String datasetArn) {
        for (OutboxEvent event : ledger.outbox()) {
            if (event.datasetArn().equals(datasetArn)) {
                published.add(event);
                ledger.published(event);
            }
        }
    }

    @Override
    public synchronized void waiting(String datasetArn, int files) {
        waiting.add(datasetArn + "=" + files);
    }

    synchronized List<String> detailTypes() {
        return published.stream().map(OutboxEvent::detailType).toList();
    }

    synchronized List<OutboxEvent> published() {
        return List.copyOf(published);
    }

    synchronized List<String> waitingCounts() {
        return List.copyOf(waiting);
    }
}
