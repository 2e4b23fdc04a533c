package io.personalizeimport.lambdas.lane;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.personalizeimport.lambdas.events.OutboxEvent;
import io.personalizeimport.lambdas.lane.LaneWorld.MovingClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A drain publishes only the outbox events it claimed: at least once, never twice from drains that run at once. */
class PublicationsTest {

    private static final String DATASET = LaneWorld.USERS;

    private final MovingClock clock = new MovingClock(Instant.parse("2026-12-01T10:00:00Z"));
    private final InMemoryLedger ledger = new InMemoryLedger();
    private final List<OutboxEvent> published = new ArrayList<>();

    private static final class RefusedCall extends ServiceCallException {
        RefusedCall() {
            super("EventBridge failed PutEvents: ThrottlingException", null);
        }
    }

    private OutboxEvent written(String eventId) {
        OutboxEvent event = new OutboxEvent(eventId, "File Rejected", DATASET, "{\"eventId\":\"" + eventId + "\"}");
        ledger.written(event);
        return event;
    }

    private Publications publications(EventBus bus) {
        return new Publications(ledger, bus, clock);
    }

    private void accept(List<OutboxEvent> events, List<OutboxEvent> accepted) {
        published.addAll(events);
        accepted.addAll(events);
    }

    @Test
    void eventsNoDrainHolds_shouldBePublishedOnceAndLeaveTheOutbox() {
        OutboxEvent first = written("e1");
        OutboxEvent second = written("e2");

        Publications.Drained drained = publications(this::accept).drain(DATASET);

        assertEquals(new Publications.Drained(DATASET, 2, 0), drained);
        assertEquals(List.of(first, second), published);
        assertEquals(List.of(), ledger.outbox(DATASET));
    }

    @Test
    void emptyOutbox_shouldPublishNothing() {
        Publications.Drained drained = publications((events, accepted) -> {
            throw new AssertionError("nothing to publish, yet the bus was called with " + events);
        }).drain(DATASET);

        assertEquals(new Publications.Drained(DATASET, 0, 0), drained);
    }

    @Test
    void eventAnotherDrainHolds_shouldWaitUntilItsClaimExpires() {
        // GIVEN an event another drain claimed a moment ago, and then died
        OutboxEvent event = written("e1");
        assertTrue(ledger.claim(event, new OutboxRecords.Claim("crashed", clock.instant().plus(Publications.LEASE)),
                clock.instant()));

        // WHEN a drain runs while the claim holds, and again once it expired
        Publications.Drained whileHeld = publications(this::accept).drain(DATASET);
        clock.advance(Publications.LEASE.plus(Duration.ofMillis(1)));
        Publications.Drained afterExpiry = publications(this::accept).drain(DATASET);

        // THEN the first leaves it, the second publishes it
        assertEquals(new Publications.Drained(DATASET, 0, 1), whileHeld);
        assertEquals(new Publications.Drained(DATASET, 1, 0), afterExpiry);
        assertEquals(List.of(event), published);
    }

    @Test
    void twoDrainsAtOnce_shouldPublishEachEventOnce() {
        // GIVEN two events, and a bus during whose first call another function drains the same dataset
        written("e1");
        written("e2");
        List<Publications.Drained> concurrent = new ArrayList<>();
        EventBus bus = new EventBus() {
            private boolean first = true;

            @Override
            public void publish(List<OutboxEvent> events, List<OutboxEvent> accepted) {
                if (first) {
                    first = false;
                    concurrent.add(publications(this).drain(DATASET));
                }
                accept(events, accepted);
            }
        };

        // WHEN the first drain runs
        Publications.Drained drained = publications(bus).drain(DATASET);

        // THEN the drain in the middle found both claimed and published none; each event went out once
        assertEquals(List.of(new Publications.Drained(DATASET, 0, 2)), concurrent);
        assertEquals(new Publications.Drained(DATASET, 2, 0), drained);
        assertEquals(List.of("e1", "e2"), published.stream().map(OutboxEvent::eventId).toList());
    }

    @Test
    void busFailingAfterAcceptingOne_shouldRemoveItAndReleaseTheOtherForTheNextDrain() {
        // GIVEN two events, and a bus that accepts the first and then fails
        OutboxEvent first = written("e1");
        OutboxEvent second = written("e2");
        EventBus failing = (events, accepted) -> {
            accept(events.subList(0, 1), accepted);
            throw new RefusedCall();
        };

        // WHEN a drain meets it, and the next drain runs right after, before any claim could expire
        assertThrows(RefusedCall.class, () -> publications(failing).drain(DATASET));
        List<OutboxEvent> left = ledger.outbox(DATASET);
        Publications.Drained next = publications(this::accept).drain(DATASET);

        // THEN the accepted one left the outbox; the other was released, so the next drain published it
        assertEquals(List.of(second), left);
        assertEquals(new Publications.Drained(DATASET, 1, 0), next);
        assertEquals(List.of(first, second), published);
    }

    @Test
    void eventPublishedMeanwhile_shouldNotBeClaimed() {
        OutboxEvent event = written("e1");
        ledger.published(event);

        assertFalse(ledger.claim(event, new OutboxRecords.Claim("late", clock.instant().plusSeconds(60)),
                clock.instant()));
    }

    @Test
    void releaseByADrainThatLostItsClaim_shouldLeaveTheNewHolderIts() {
        // GIVEN a claim that expired and was taken by another drain
        OutboxEvent event = written("e1");
        OutboxRecords.Claim lost = new OutboxRecords.Claim("slow", clock.instant().plusSeconds(1));
        assertTrue(ledger.claim(event, lost, clock.instant()));
        clock.advance(Duration.ofSeconds(2));
        assertTrue(ledger.claim(event, new OutboxRecords.Claim("next", clock.instant().plusSeconds(60)),
                clock.instant()));

        // WHEN the slow drain releases what it no longer holds
        ledger.release(event, lost);

        // THEN the new claim still holds
        assertFalse(ledger.claim(event, new OutboxRecords.Claim("third", clock.instant().plusSeconds(60)),
                clock.instant()));
    }
}
