package io.personalizeimport.lambdas.aws;

import io.personalizeimport.lambdas.events.EventDetail;
import io.personalizeimport.lambdas.events.OutboxEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResponse;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResultEntry;

/**
 * Publishes outcome events on the pipeline's bus ({@code EVENT_BUS_NAME}): source {@value EventDetail#SOURCE}, the
 * detail-type, the detail, and the dataset as the event's resource.
 */
public final class EventPublisher {

    public static final String BUS_VARIABLE = "EVENT_BUS_NAME";
    /** The bus the deployed stack creates, unless told to use the account's default bus; the local stack's too. */
    public static final String PIPELINE_BUS = "PersonalizeImportPipelineEvents";
    /** PutEvents takes at most 10 entries (Amazon EventBridge API Reference, PutEvents). */
    private static final int MAX_ENTRIES = 10;

    private final Supplier<EventBridgeClient> events;
    private final String busName;

    /** @param events the EventBridge client, asked for only when there is an event to publish */
    public EventPublisher(Supplier<EventBridgeClient> events, String busName) {
        this.events = events;
        this.busName = busName;
    }

    /**
     * Publishes the events in batches, adding each one EventBridge accepted to {@code accepted}, so that only those
     * leave the outbox.
     *
     * @throws AwsCallException when PutEvents fails, or refuses an entry (a transient error: the outbox keeps the
     *     entry for the next attempt); the events accepted before are in {@code accepted}
     */
    public void publish(List<OutboxEvent> outbox, List<OutboxEvent> accepted) {
        for (int from = 0; from < outbox.size(); from += MAX_ENTRIES) {
            List<OutboxEvent> batch = outbox.subList(from, Math.min(outbox.size(), from + MAX_ENTRIES));
            List<PutEventsRequestEntry> entries = new ArrayList<>();
            for (OutboxEvent event : batch) {
                entries.add(PutEventsRequestEntry.builder().eventBusName(busName).source(EventDetail.SOURCE)
                        .detailType(event.detailType()).detail(event.detail()).resources(event.datasetArn()).build());
            }
            AwsCall call = AwsCall.eventBridge("PutEvents", batch.size() + " event(s) of " + batch.getFirst()
                    .datasetArn());
            PutEventsResponse response = call.run(() -> events.get().putEvents(request -> request.entries(entries)));
            List<String> refused = new ArrayList<>();
            for (int i = 0; i < batch.size(); i++) {
                PutEventsResultEntry result = response.entries().get(i);
                if (result.errorCode() == null) {
                    accepted.add(batch.get(i));
                } else {
                    refused.add(batch.get(i).detailType() + " " + batch.get(i).eventId() + ": " + result.errorCode()
                            + " " + result.errorMessage());
                }
            }
            if (!refused.isEmpty()) {
                throw new AwsCallException(call, ErrorKind.TRANSIENT, "FailedEntries",
                        refused.size() + " of " + batch.size() + " events refused: " + String.join("; ", refused),
                        null);
            }
        }
    }
}
