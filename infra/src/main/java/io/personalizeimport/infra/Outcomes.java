package io.personalizeimport.infra;

import io.personalizeimport.lambdas.aws.EventPublisher;
import io.personalizeimport.lambdas.events.EventDetail;
import io.personalizeimport.lambdas.events.FileRejected;
import io.personalizeimport.lambdas.events.ImportEnded;
import io.personalizeimport.lambdas.events.OutcomeMetrics;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.cloudwatch.Alarm;
import software.amazon.awscdk.services.cloudwatch.AlarmStatusWidget;
import software.amazon.awscdk.services.cloudwatch.ComparisonOperator;
import software.amazon.awscdk.services.cloudwatch.Dashboard;
import software.amazon.awscdk.services.cloudwatch.GraphWidget;
import software.amazon.awscdk.services.cloudwatch.IAlarm;
import software.amazon.awscdk.services.cloudwatch.IMetric;
import software.amazon.awscdk.services.cloudwatch.IWidget;
import software.amazon.awscdk.services.cloudwatch.Metric;
import software.amazon.awscdk.services.cloudwatch.MetricOptions;
import software.amazon.awscdk.services.cloudwatch.TextWidget;
import software.amazon.awscdk.services.cloudwatch.TreatMissingData;
import software.amazon.awscdk.services.cloudwatch.actions.SnsAction;
import software.amazon.awscdk.services.events.EventBus;
import software.amazon.awscdk.services.events.EventField;
import software.amazon.awscdk.services.events.EventPattern;
import software.amazon.awscdk.services.events.IEventBus;
import software.amazon.awscdk.services.events.Rule;
import software.amazon.awscdk.services.events.RuleTargetInput;
import software.amazon.awscdk.services.events.targets.SnsTopic;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.sns.ITopic;
import software.amazon.awscdk.services.sqs.IQueue;
import software.constructs.Construct;

/**
 * What users subscribe to and look at: the event bus the functions publish outcomes on, the readable email for each
 * failed or rejected import, the dashboard, and an alarm per dataset whose imports stopped keeping their rhythm.
 */
final class Outcomes extends Construct {

    /** The bus the stack creates when the {@code eventBus} context key does not say {@code default}. */
    static final String BUS_NAME = EventPublisher.PIPELINE_BUS;
    static final String DEFAULT_BUS = "default";

    /** A dataset as the dashboard and alarms name it: its route names and its ARN (a token for demo datasets). */
    record Dataset(String label, String arn, java.time.Duration expectEvery) {
    }

    private final IEventBus bus;

    Outcomes(Construct scope, String id, boolean defaultBus) {
        super(scope, id);
        this.bus = defaultBus ? EventBus.fromEventBusName(this, "Bus", DEFAULT_BUS)
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

    /**
     * Sends a readable message to the topic for each import that failed and each file that was rejected: the file,
     * the dataset, the reason and a link to the execution in the console.
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
    }

    /** One alarm per dataset with an expected rhythm: no import succeeded for the whole of it. */
    List<Alarm> stalenessAlarms(List<Dataset> datasets, ITopic topic) {
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
            if (topic != null) {
                alarm.addAlarmAction(new SnsAction(topic));
            }
            alarms.add(alarm);
        }
        return alarms;
    }

    /** Per dataset: imports and failures, durations, waiting files; then the dead-letter queue and every alarm. */
    Dashboard dashboard(List<Dataset> datasets, IQueue deadLetterQueue, List<IAlarm> alarms) {
        List<List<IWidget>> rows = new ArrayList<>();
        rows.add(List.of(TextWidget.Builder.create().width(24).height(2).markdown("# Personalize imports\n"
                + "Outcomes per dataset from the functions' embedded metrics (namespace `" + OutcomeMetrics.NAMESPACE
                + "`); events on the `" + bus.getEventBusName() + "` bus.").build()));
        for (Dataset dataset : datasets) {
            rows.add(List.of(
                    graph(dataset.label() + ": imports", dataset, "Sum", List.of(
                            Map.entry(OutcomeMetrics.IMPORTS_SUCCEEDED, "succeeded"),
                            Map.entry(OutcomeMetrics.IMPORTS_FAILED, "failed"),
                            Map.entry(OutcomeMetrics.FILES_REJECTED, "rejected"),
                            Map.entry(OutcomeMetrics.FILES_SUPERSEDED, "superseded"))),
                    graph(dataset.label() + ": durations (s)", dataset, "Maximum", List.of(
                            Map.entry(OutcomeMetrics.IMPORT_DURATION, "import"),
                            Map.entry(OutcomeMetrics.UPLOAD_TO_JOB, "upload to job"),
                            Map.entry(OutcomeMetrics.DETECTION_DELAY, "detection delay"))),
                    graph(dataset.label() + ": waiting files and polls", dataset, "Maximum", List.of(
                            Map.entry(OutcomeMetrics.FILES_WAITING, "waiting files"),
                            Map.entry(OutcomeMetrics.POLLS, "polls per import")))));
        }
        rows.add(List.of(
                GraphWidget.Builder.create().title("Dead-letter queue").width(12).height(6)
                        .left(List.of(deadLetterQueue.metricApproximateNumberOfMessagesVisible(
                                MetricOptions.builder().period(Duration.minutes(5)).statistic("Maximum")
                                        .label("messages").build())))
                        .build(),
                AlarmStatusWidget.Builder.create().title("Alarms").width(12).height(6).alarms(alarms).build()));
        Dashboard.Builder dashboard = Dashboard.Builder.create(this, "Dashboard")
                .dashboardName(PipelineStack.STACK_NAME)
                .defaultInterval(Duration.days(7));
        return dashboard.widgets(rows).build();
    }

    private static GraphWidget graph(String title, Dataset dataset, String statistic,
                                     List<Map.Entry<String, String>> labelled) {
        List<IMetric> metrics = new ArrayList<>();
        for (Map.Entry<String, String> metric : labelled) {
            metrics.add(metric(metric.getKey(), dataset, statistic, Duration.hours(1))
                    .with(MetricOptions.builder().label(metric.getValue()).build()));
        }
        return GraphWidget.Builder.create().title(title).width(8).height(6).left(metrics).build();
    }

    private static Metric metric(String name, Dataset dataset, String statistic, Duration period) {
        return Metric.Builder.create()
                .namespace(OutcomeMetrics.NAMESPACE)
                .metricName(name)
                .dimensionsMap(Map.of(OutcomeMetrics.DATASET, dataset.arn()))
                .statistic(statistic)
                .period(period)
                .build();
    }
}
