package io.personalizeimport.infra;

import io.personalizeimport.lambdas.config.PipelineConfig;
import io.personalizeimport.lambdas.events.OutcomeMetrics;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.cloudwatch.AlarmStatusWidget;
import software.amazon.awscdk.services.cloudwatch.Dashboard;
import software.amazon.awscdk.services.cloudwatch.GraphWidget;
import software.amazon.awscdk.services.cloudwatch.HorizontalAnnotation;
import software.amazon.awscdk.services.cloudwatch.IAlarm;
import software.amazon.awscdk.services.cloudwatch.IMetric;
import software.amazon.awscdk.services.cloudwatch.IWidget;
import software.amazon.awscdk.services.cloudwatch.Metric;
import software.amazon.awscdk.services.cloudwatch.MetricOptions;
import software.amazon.awscdk.services.cloudwatch.TextWidget;
import software.amazon.awscdk.services.sqs.IQueue;
import software.constructs.Construct;

/**
 * The CloudWatch dashboard: the region's import slots in use and the lanes in line for one; per dataset, imports and
 * failures, durations, waiting files; then the dead-letter queue and every alarm.
 */
final class PipelineDashboard extends Construct {

    /**
     * @param name the dashboard's name in the CloudWatch console
     * @param busName the bus the outcome events go to, named in the dashboard's heading
     * @param maxImportJobs the most import jobs the pipeline runs at once, drawn on the slots' graph
     */
    record Props(String name, List<Outcomes.Dataset> datasets, IQueue deadLetterQueue, List<IAlarm> alarms,
                 String busName, int maxImportJobs) {

        Props {
            PropsCheck.present(name, "PipelineDashboard.Props.name", "a dashboard name");
            // PutDashboard: "up to 255 characters; valid characters are A-Z, a-z, 0-9, "-", and "_"".
            PropsCheck.require(name.matches("[A-Za-z0-9_-]{1,255}"), "PipelineDashboard.Props.name", "'" + name + "'",
                    "1 to 255 letters, digits, '-' or '_'");
            PropsCheck.present(datasets, "PipelineDashboard.Props.datasets", "the datasets of the routes");
            PropsCheck.require(!datasets.isEmpty(), "PipelineDashboard.Props.datasets", "empty",
                    "at least one dataset (Outcomes.Dataset.of(routes))");
            PropsCheck.present(deadLetterQueue, "PipelineDashboard.Props.deadLetterQueue",
                    "the trigger's dead-letter queue");
            PropsCheck.present(alarms, "PipelineDashboard.Props.alarms", "the alarms to show, possibly none");
            PropsCheck.present(busName, "PipelineDashboard.Props.busName", "the name of the outcome events' bus");
            PropsCheck.require(maxImportJobs >= 1 && maxImportJobs <= PipelineConfig.REGION_IMPORT_JOBS,
                    "PipelineDashboard.Props.maxImportJobs", Integer.toString(maxImportJobs),
                    "1 to " + PipelineConfig.REGION_IMPORT_JOBS);
            datasets = List.copyOf(datasets);
            alarms = List.copyOf(alarms);
        }
    }

    PipelineDashboard(Construct scope, String id, Props props) {
        super(scope, id);
        List<List<IWidget>> rows = new ArrayList<>();
        rows.add(List.of(TextWidget.Builder.create().width(24).height(2).markdown("# Personalize imports\n"
                + "Outcomes per dataset from the functions' embedded metrics (namespace `" + OutcomeMetrics.NAMESPACE
                + "`); events on the `" + props.busName() + "` bus.").build()));
        rows.add(List.of(GraphWidget.Builder.create().title("Region: import slots in use and lanes in line")
                .width(24).height(6)
                .left(List.of(regionMetric(OutcomeMetrics.IMPORT_SLOTS_IN_USE, "slots in use"),
                        regionMetric(OutcomeMetrics.LANES_WAITING_FOR_SLOT, "lanes in line for a slot")))
                .leftAnnotations(List.of(HorizontalAnnotation.builder().value(props.maxImportJobs())
                        .label("most import jobs at once (maxImportJobs)").build()))
                .build()));
        for (Outcomes.Dataset dataset : props.datasets()) {
            rows.add(List.of(
                    graph(dataset.label() + ": imports", dataset, "Sum", List.of(
                            Map.entry(OutcomeMetrics.IMPORTS_SUCCEEDED, "succeeded"),
                            Map.entry(OutcomeMetrics.IMPORTS_FAILED, "failed"),
                            Map.entry(OutcomeMetrics.FILES_REJECTED, "rejected"),
                            Map.entry(OutcomeMetrics.FILES_SUPERSEDED, "superseded"),
                            Map.entry(OutcomeMetrics.IMPORTS_HELD, "held past the longest hold"))),
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
                        .left(List.of(props.deadLetterQueue().metricApproximateNumberOfMessagesVisible(
                                MetricOptions.builder().period(Duration.minutes(5)).statistic("Maximum")
                                        .label("messages").build())))
                        .build(),
                AlarmStatusWidget.Builder.create().title("Alarms").width(12).height(6).alarms(props.alarms()).build()));
        Dashboard.Builder.create(this, "Dashboard")
                .dashboardName(props.name())
                .defaultInterval(Duration.days(7))
                .widgets(rows)
                .build();
    }

    /** A metric of the region's slots, written by each release after it woke the line (no dimension). */
    private static IMetric regionMetric(String name, String label) {
        return Metric.Builder.create().namespace(OutcomeMetrics.NAMESPACE).metricName(name).statistic("Maximum")
                .period(Duration.minutes(5)).label(label).build();
    }

    private static GraphWidget graph(String title, Outcomes.Dataset dataset, String statistic,
                                     List<Map.Entry<String, String>> labelled) {
        List<IMetric> metrics = new ArrayList<>();
        for (Map.Entry<String, String> metric : labelled) {
            metrics.add(Outcomes.metric(metric.getKey(), dataset, statistic, Duration.hours(1))
                    .with(MetricOptions.builder().label(metric.getValue()).build()));
        }
        return GraphWidget.Builder.create().title(title).width(8).height(6).left(metrics).build();
    }
}
