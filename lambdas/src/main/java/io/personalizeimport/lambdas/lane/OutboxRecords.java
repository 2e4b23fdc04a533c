package io.personalizeimport.lambdas.lane;

import io.personalizeimport.lambdas.events.OutboxEvent;
import java.time.Instant;
import java.util.List;

/** The ledger's outbox: events written with the outcomes they report, claimed by one drain at a time, removed once published. */
public interface OutboxRecords {

    /** A drain's hold on the events it claimed: who holds them, and until when. */
    record Claim(String holder, Instant until) {
    }

    /** The dataset's events that are not published yet, claimed or not, oldest outcome first. */
    List<OutboxEvent> outbox(String datasetArn);

    /**
     * Claims the event for {@code claim}, unless another claim on it holds past {@code now} or it is gone (published);
     * false then.
     */
    boolean claim(OutboxEvent event, Claim claim, Instant now);

    /** Gives up {@code claim} on an event it could not publish, so the next drain takes it; a lost claim stays lost. */
    void release(OutboxEvent event, Claim claim);

    /** Removes a published event; removing one that is gone already changes nothing. */
    void published(OutboxEvent event);
}
