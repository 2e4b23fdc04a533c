package io.personalizeimport.lambdas.lane;

import io.personalizeimport.lambdas.events.OutboxEvent;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/** The bus in memory: a drain publishes, through {@link Publications}, what the ledger's outbox holds for the dataset. */
final class InMemoryEvents implements OutcomeEvents, EventBus {

    private final Publications publications;
    private final List<OutboxEvent> published = new ArrayList<>();
    private final List<String> waiting = new ArrayList<>();
    private final List<String> slots = new ArrayList<>();

    InMemoryEvents(InMemoryLedger ledger, Clock clock) {
        this.publications = new Publications(ledger, this, clock);
    }

    @Override
    public void drain(String datasetArn) {
        publications.drain(datasetArn);
    }

    @Override
    public synchronized void publish(List<OutboxEvent> events, List<OutboxEvent> accepted) {
        published.addAll(events);
        accepted.addAll(events);
    }

    @Override
    public synchronized void waiting(String datasetArn, int files) {
        waiting.add(datasetArn + "=" + files);
    }

    @Override
    public synchronized void slots(int inUse, int lanesWaiting) {
        slots.add(inUse + " in use, " + lanesWaiting + " waiting");
    }

    /** The region's slots as each release recorded them. */
    synchronized List<String> slots() {
        return List.copyOf(slots);
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
