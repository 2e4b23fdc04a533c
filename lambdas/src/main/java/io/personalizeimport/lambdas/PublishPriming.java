package io.personalizeimport.lambdas;

import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import io.personalizeimport.lambdas.Priming.Step;
import io.personalizeimport.lambdas.Priming.Targets;
import io.personalizeimport.lambdas.aws.AwsCall;
import io.personalizeimport.lambdas.config.Environment;
import io.personalizeimport.lambdas.events.OutboxEvent;
import io.personalizeimport.lambdas.json.Json;
import io.personalizeimport.lambdas.lane.OutboxRecords;
import io.personalizeimport.lambdas.ledger.Ledger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;

/**
 * The {@link Priming} of the publish function, apart from {@link ImportPriming} so that its package holds no client
 * but DynamoDB's and EventBridge's: a drain of the priming dataset, whose outbox is empty, and the drain's writes on an
 * outbox event that does not exist, each of which changes nothing.
 */
final class PublishPriming {

    private PublishPriming() {
    }

    static Priming of(OutcomeReporter reporter, Ledger ledger, EventBridgeClient events, Environment env) {
        Targets targets = Targets.from(env, false);
        return new Priming(FunctionSettings.PUBLISH, () -> {
            byte[] scheduled = Json.write(Map.of("version", "0", "id", Priming.NAME, "source", "aws.events",
                    "detail-type", "Scheduled Event", "time", Instant.now().toString(), "resources", List.of(),
                    "detail", Map.of())).getBytes(StandardCharsets.UTF_8);
            OutboxEvent nowhere = new OutboxEvent(Priming.NAME, Priming.NAME, targets.datasetArn(), "{}");
            OutboxRecords.Claim claim = new OutboxRecords.Claim(Priming.NAME, Instant.now());
            return List.of(Priming.asRuntimeRuns("Drain an outbox that holds no event",
                            new PublishHandler(reporter, List.of(targets.datasetArn())), ScheduledEvent.class,
                            scheduled, PublishHandler.Summary.class),
                    new Step("DynamoDB UpdateItem of a claim, refused by its condition",
                            () -> ledger.claim(nowhere, claim, Instant.now())),
                    new Step("DynamoDB UpdateItem of a release, refused by its condition", () -> {
                        ledger.release(nowhere, claim);
                        return null;
                    }),
                    new Step("DynamoDB DeleteItem of an item that does not exist", () -> {
                        ledger.published(nowhere);
                        return null;
                    }),
                    new Step("EventBridge PutEvents of no event", () -> AwsCall.eventBridge("PutEvents", Priming.NAME)
                            .run(() -> events.putEvents(put -> put.entries(List.of())))));
        });
    }
}
