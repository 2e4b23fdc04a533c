package io.personalizeimport.lambdas.lane;

import io.personalizeimport.lambdas.events.OutboxEvent;
import java.util.List;

/** Where outcome events are published: EventBridge, in the functions. */
@FunctionalInterface
public interface EventBus {

    /**
     * Publishes the events, adding each one the bus accepted to {@code accepted}.
     *
     * @throws ServiceCallException when the bus fails or refuses some; those accepted before are in {@code accepted}
     */
    void publish(List<OutboxEvent> events, List<OutboxEvent> accepted);
}
