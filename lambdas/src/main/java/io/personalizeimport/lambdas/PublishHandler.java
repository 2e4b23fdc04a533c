package io.personalizeimport.lambdas;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import io.personalizeimport.lambdas.aws.AwsCallException;
import io.personalizeimport.lambdas.aws.ClientFactory;
import io.personalizeimport.lambdas.aws.EventPublisher;
import io.personalizeimport.lambdas.config.Environment;
import io.personalizeimport.lambdas.config.PipelineConfig;
import io.personalizeimport.lambdas.config.DeletionRoute;
import io.personalizeimport.lambdas.config.Route;
import io.personalizeimport.lambdas.config.RouteTable;
import io.personalizeimport.lambdas.lane.Holds;
import io.personalizeimport.lambdas.lane.Publications;
import io.personalizeimport.lambdas.ledger.Ledger;
import io.personalizeimport.lambdas.ledger.LedgerTable;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.function.Predicate;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;

/**
 * The target of the schedule that drains the outbox of every routed dataset, so that an outcome event whose first
 * PutEvents failed is published within minutes, whatever happens next on its dataset; before that it reports a lane's
 * hold that has outlasted its longest hold while no file came ({@link Holds#sweep}).
 */
public final class PublishHandler implements RequestHandler<ScheduledEvent, PublishHandler.Summary> {

    private final OutcomeReporter reporter;
    private final Predicate<String> sweep;
    private final List<String> datasets;

    public PublishHandler() {
        this(Environment.system(), ClientFactory.forFunction(FunctionSettings.PUBLISH, Environment.system()));
    }

    private PublishHandler(Environment env, ClientFactory clients) {
        this(env, PipelineConfig.from(env), new Ledger(clients.build(DynamoDbClient.builder(), "DYNAMODB"),
                LedgerTable.name(env), Clock.systemUTC()), clients.build(EventBridgeClient.builder(), "EVENTBRIDGE"));
    }

    private PublishHandler(Environment env, PipelineConfig config, Ledger ledger, EventBridgeClient events) {
        this(new OutcomeReporter(ledger, new EventPublisher(() -> events, config.eventBusName()), Clock.systemUTC()),
                new Holds(config, ledger, Clock.systemUTC())::sweep, datasets(config.routes()));
        Priming.register(PublishPriming.of(reporter, ledger, events, env));
    }

    /** A handler that drains the datasets' outboxes and looks at no lane's hold. */
    PublishHandler(OutcomeReporter reporter, List<String> datasets) {
        this(reporter, datasetArn -> false, datasets);
    }

    /**
     * @param sweep reports the dataset's hold if it outlasted its longest hold (true when it did), before its drain
     */
    PublishHandler(OutcomeReporter reporter, Predicate<String> sweep, List<String> datasets) {
        this.reporter = reporter;
        this.sweep = sweep;
        this.datasets = List.copyOf(datasets);
    }

    /** What the drain did for each dataset: events published, and events left in its outbox. */
    public record Summary(List<Publications.Drained> datasets) {
    }

    /** Drains every dataset, even after one failed; then fails the invocation if any did, so Lambda retries it. */
    @Override
    public Summary handleRequest(ScheduledEvent event, Context context) {
        List<Publications.Drained> drained = new ArrayList<>();
        AwsCallException firstFailure = null;
        for (String datasetArn : datasets) {
            try {
                sweep.test(datasetArn);
                drained.add(reporter.publish(datasetArn));
            } catch (AwsCallException e) {
                firstFailure = firstFailure == null ? e : firstFailure;
                Log.error("Outbox not drained; the next run publishes what is left", "datasetArn", datasetArn,
                        "reason", e.getMessage());
            }
        }
        if (firstFailure != null) {
            throw firstFailure.escalate();
        }
        Log.info("Outboxes drained", "datasets", drained);
        return new Summary(drained);
    }

    /**
     * Each routed dataset once, however many routes name it, then each dataset group a deletion route names, whose
     * lists of users have outcomes of their own.
     */
    static List<String> datasets(RouteTable routes) {
        return Stream.concat(routes.routes().stream().map(Route::datasetArn),
                routes.deletions().stream().map(DeletionRoute::datasetGroupArn)).distinct().toList();
    }
}
