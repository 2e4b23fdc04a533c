package io.personalizeimport.infra;

import io.personalizeimport.lambdas.FunctionSettings;
import io.personalizeimport.lambdas.aws.EventPublisher;
import io.personalizeimport.lambdas.config.Route;
import io.personalizeimport.lambdas.events.EventDetail;
import io.personalizeimport.lambdas.events.FileRejected;
import io.personalizeimport.lambdas.events.ImportEnded;
import io.personalizeimport.lambdas.events.ImportHeld;
import io.personalizeimport.lambdas.events.OutcomeMetrics;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.cloudwatch.Alarm;
import software.amazon.awscdk.services.cloudwatch.ComparisonOperator;
import software.amazon.awscdk.services.cloudwatch.Metric;
import software.amazon.awscdk.services.cloudwatch.TreatMissingData;
import software.amazon.awscdk.services.cloudwatch.actions.SnsAction;
import software.amazon.awscdk.services.events.EventBus;
import software.amazon.awscdk.services.events.EventField;
import software.amazon.awscdk.services.events.EventPattern;
import software.amazon.awscdk.services.events.IEventBus;
import software.amazon.awscdk.services.events.Rule;
import software.amazon.awscdk.services.events.RuleTargetInput;
import software.amazon.awscdk.services.events.Schedule;
import software.amazon.awscdk.services.events.targets.SnsTopic;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.lambda.IFunction;
import software.amazon.awscdk.services.sns.ITopic;
import software.amazon.awscdk.services.sqs.Queue;
import software.constructs.Construct;

/**
 * What users subscribe to: the event bus the functions publish outcomes on, the schedule that publishes what the
 * functions could not, the readable email for each failed or rejected import, and an alarm per dataset whose imports
 * stopped keeping their rhythm.
 */
final class Outcomes extends Construct {

    /** The bus the stack creates when the {@code eventBus} context key does not say {@code default}. */
    static final String BUS_NAME = EventPublisher.PIPELINE_BUS;
    static final String DEFAULT_BUS = "default";
    /**
     * How often EventBridge retries a scheduled run it could not deliver to the publish function, and for how long:
     * no longer than until the next run, which does the same work.
     */
    static final int PUBLISH_RETRY_ATTEMPTS = 2;
    static final Duration PUBLISH_MAX_EVENT_AGE = Duration.minutes(FunctionSettings.PUBLISH_EVERY_MINUTES);

    /**
     * A dataset as the dashboard and alarms name it: its route names and its ARN (a token for demo datasets).
     *
     * @param expectEvery how often an import into it is expected to succeed, or null for no expectation
     */
    record Dataset(String label, String arn, java.time.Duration expectEvery) {

        /** One per dataset of the routes: routes sharing a dataset are named together, and the strictest rhythm applies. */
        static List<Dataset> of(List<DeployedRoute> routes) {
            Map<String, Dataset> datasets = new LinkedHashMap<>();
            for (DeployedRoute route : routes) {
                java.time.Duration every = route.expectEvery();
                Dataset known = datasets.get(route.datasetArn());
                if (known == null) {
                    datasets.put(route.datasetArn(), new Dataset(route.name(), route.datasetArn(), every));
                    continue;
                }
                java.time.Duration strictest = Stream.of(known.expectEvery(), every).filter(Objects::nonNull)
                        .min(Comparator.naturalOrder()).orElse(null);
                datasets.put(route.datasetArn(), new Dataset(known.label() + ", " + route.name(), route.datasetArn(),
                        strictest));
            }
            return List.copyOf(datasets.values());
        }
    }

    /**
     * @param defaultBus whether the functions publish on the account's default bus instead of one the construct creates
     * @param datasets the datasets imported into, for their staleness alarms
     */
    record Props(boolean defaultBus, List<Dataset> datasets) {

        Props {
            PropsCheck.present(datasets, "Outcomes.Props.datasets", "the datasets of the routes");
            PropsCheck.require(!datasets.isEmpty(), "Outcomes.Props.datasets", "empty",
                    "at least one dataset (Dataset.of(routes))");
            for (Dataset dataset : datasets) {
                java.time.Duration every = dataset.expectEvery();
                // A staleness alarm looks at hourly sums, over at most 7 days (Route.MAX_EXPECT_EVERY).
                PropsCheck.require(every == null || (every.toSeconds() % 3600 == 0
                                && every.compareTo(Route.MIN_EXPECT_EVERY) >= 0
                                && every.compareTo(Route.MAX_EXPECT_EVERY) <= 0),
                        "Outcomes.Props.datasets expectEvery of '" + dataset.label() + "'", every,
                        "whole hours from " + Route.MIN_EXPECT_EVERY + " to " + Route.MAX_EXPECT_EVERY + ", or null");
            }
            datasets = List.copyOf(datasets);
        }
    }

    private final IEventBus bus;
    private final List<Dataset> datasets;

    Outcomes(Construct scope, String id, Props props) {
        super(scope, id);
        this.datasets = props.datasets();
        this.bus = props.defaultBus() ? EventBus.fromEventBusName(this, "Bus", DEFAULT_BUS)
                : EventBus.Builder.create(this, "Bus").eventBusName(BUS_NAME)
                        .description("Outcomes of the Personalize import pipeline: imports and files").build();
    }

    /** The name the functions publish to ({@code EVENT_BUS_NAME}), known before the bus exists. */
    static String busName(boolean defaultBus) {
        return defaultBus ? DEFAULT_BUS : BUS_NAME;
    }

    IEventBus bus() {
        return bus;
    }

    /** PutEvents on this one bus, with the pipeline's own source only. */
    void grantPublish(Role role) {
        role.addToPolicy(PolicyStatement.Builder.create()
                .actions(List.of("events:PutEvents"))
                .resources(List.of(bus.getEventBusArn()))
                .conditions(Map.of("StringEquals", Map.of("events:source", EventDetail.SOURCE)))
                .build());
    }

    /** The rule that runs the publish function, and the queue of the runs it could not deliver. */
    record PublishSchedule(Rule rule, Queue deadLetterQueue) {
    }

    /**
     * Runs {@code publish} every {@value FunctionSettings#PUBLISH_EVERY_MINUTES} minutes: it drains the outbox of every
     * routed dataset, so an outcome event whose first PutEvents failed is published within minutes even when nothing
     * else happens on its dataset. A run EventBridge could not deliver after its retries goes to the dead-letter queue.
     */
    PublishSchedule publishOnSchedule(IFunction publish) {
        Queue deadLetters = DeadLetters.queue(this, "PublishDeadLetterQueue");
        Rule rule = Rule.Builder.create(this, "PublishSchedule")
                .description("Publishes the outcome events still in the import ledger's outbox")
                .schedule(Schedule.rate(Duration.minutes(FunctionSettings.PUBLISH_EVERY_MINUTES)))
                .targets(List.of(DeadLetters.target(publish, PUBLISH_RETRY_ATTEMPTS, PUBLISH_MAX_EVENT_AGE,
                        deadLetters)))
                .build();
        return new PublishSchedule(rule, deadLetters);
    }

    /**
     * Sends a readable message to the topic for each import that failed and each file that was rejected (the file,
     * the dataset, the reason and a link to the execution in the console), and for files held past their longest hold.
     */
    void notifyFailures(ITopic topic) {
        Rule.Builder.create(this, "FailureNotifications")
                .eventBus(bus)
                .description("Failed imports and rejected files, as readable messages to the alarm topic")
                .eventPattern(EventPattern.builder()
                        .source(List.of(EventDetail.SOURCE))
                        .detailType(List.of(ImportEnded.FAILED, FileRejected.DETAIL_TYPE))
                        .build())
                .targets(List.of(SnsTopic.Builder.create(topic)
                        .message(RuleTargetInput.fromMultilineText(String.join("\n",
                                EventField.fromPath("$.detail-type") + ": " + EventField.fromPath("$.detail.route"),
                                "Dataset: " + EventField.fromPath("$.detail.datasetArn"),
                                "Reason: " + EventField.fromPath("$.detail.reason"),
                                "Execution: https://console.aws.amazon.com/states/home?region="
                                        + Stack.of(this).getRegion() + "#/v2/executions/details/"
                                        + EventField.fromPath("$.detail.executionArn"),
                                "Event: " + EventField.fromPath("$.detail.eventId"))))
                        .build()))
                .build();
        Rule.Builder.create(this, "HeldImportNotifications")
                .eventBus(bus)
                .description("Interactions files held past their route's longest hold, as readable messages to the"
                        + " alarm topic")
                .eventPattern(EventPattern.builder()
                        .source(List.of(EventDetail.SOURCE))
                        .detailType(List.of(ImportHeld.DETAIL_TYPE))
                        .build())
                .targets(List.of(SnsTopic.Builder.create(topic)
                        .message(RuleTargetInput.fromMultilineText(String.join("\n",
                                EventField.fromPath("$.detail-type") + ": " + EventField.fromPath("$.detail.route"),
                                "Dataset: " + EventField.fromPath("$.detail.datasetArn"),
                                "Reason: " + EventField.fromPath("$.detail.reason"),
                                "Event: " + EventField.fromPath("$.detail.eventId"))))
                        .build()))
                .build();
    }

    /** One alarm per dataset with an expected rhythm: no import succeeded for the whole of it. */
    List<Alarm> stalenessAlarms(Optional<ITopic> topic) {
        List<Alarm> alarms = new ArrayList<>();
        for (Dataset dataset : datasets) {
            if (dataset.expectEvery() == null) {
                continue;
            }
            int hours = (int) dataset.expectEvery().toHours();
            // Hourly sums, every one of them empty: CloudWatch evaluates at most 7 days of periods of an hour or more.
            Alarm alarm = Alarm.Builder.create(this, "Stale" + alarms.size())
                    .alarmDescription("No import into " + dataset.label() + " succeeded for " + dataset.expectEvery()
                            + " (the route's expectEvery): the dataset is going stale; look at the files and"
                            + " executions of the lane")
                    .metric(metric(OutcomeMetrics.IMPORTS_SUCCEEDED, dataset, "Sum", Duration.hours(1)))
                    .threshold(1)
                    .comparisonOperator(ComparisonOperator.LESS_THAN_THRESHOLD)
                    .evaluationPeriods(hours)
                    .datapointsToAlarm(hours)
                    .treatMissingData(TreatMissingData.BREACHING)
                    .build();
            topic.ifPresent(mail -> alarm.addAlarmAction(new SnsAction(mail)));
            alarms.add(alarm);
        }
        return alarms;
    }

    /** The hourly metric {@code name} of one dataset, as the functions publish it (OutcomeMetrics). */
    static Metric metric(String name, Dataset dataset, String statistic, Duration period) {
        return Metric.Builder.create()
                .namespace(OutcomeMetrics.NAMESPACE)
                .metricName(name)
                .dimensionsMap(Map.of(OutcomeMetrics.DATASET, dataset.arn()))
                .statistic(statistic)
                .period(period)
                .build();
    }
}
