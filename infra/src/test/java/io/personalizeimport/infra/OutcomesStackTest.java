package io.personalizeimport.infra;

import static io.personalizeimport.infra.Cfn.ref;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.personalizeimport.lambdas.events.OutcomeMetrics;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Capture;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

/** The outcome events' bus and grants, the failure emails, the staleness alarms and the dashboard, as synthesized. */
class OutcomesStackTest {

    private static final String CLICKS = Synthesized.DATASET_ARN;

    @Test
    void byDefault_shouldCreateTheBusAndTellTheFunctionsItsName() {
        Synthesized synth = Synthesized.of(Synthesized.DEFAULTS);

        synth.template().hasResourceProperties("AWS::Events::EventBus", Map.of(
                "Name", "PersonalizeImportPipelineEvents"));
        for (String function : List.of("Trigger", "Create", "Finish")) {
            synth.template().hasResourceProperties("AWS::Lambda::Function", Match.objectLike(Map.of(
                    "Role", Cfn.arnOf(synth.logicalId(function + "Role", "AWS::IAM::Role")),
                    "Environment", Map.of("Variables", Match.objectLike(Map.of(
                            "EVENT_BUS_NAME", "PersonalizeImportPipelineEvents"))))));
        }
        synth.template().hasOutput("EventBusName", Match.objectLike(Map.of(
                "Value", ref(synth.logicalId("OutcomesBus", "AWS::Events::EventBus")))));
    }

    @Test
    void eventBusDefault_shouldPublishOnTheAccountsDefaultBusAndCreateNone() {
        Synthesized synth = Synthesized.of(Synthesized.RHYTHM_DEFAULT_BUS);

        synth.template().resourceCountIs("AWS::Events::EventBus", 0);
        synth.template().hasResourceProperties("AWS::Lambda::Function", Match.objectLike(Map.of(
                "Environment", Map.of("Variables", Match.objectLike(Map.of("EVENT_BUS_NAME", "default"))))));
        Object busArn = Match.objectLike(Map.of("Fn::Join", Match.arrayWith(List.of(
                Match.arrayWith(List.of(":event-bus/default"))))));
        Object publish = Match.objectLike(Map.of("Action", "events:PutEvents", "Resource", busArn,
                "Condition", Map.of("StringEquals", Map.of("events:source", "personalize-import"))));
        synth.template().hasResourceProperties("AWS::IAM::Policy", Match.objectLike(Map.of(
                "PolicyDocument", Match.objectLike(Map.of("Statement", Match.arrayWith(List.of(publish)))))));
    }

    @Test
    void alarmEmail_shouldMailEachFailedImportRejectedFileAndHeldImportAsAReadableMessage() {
        Synthesized synth = Synthesized.of(Synthesized.RHYTHM_DEFAULT_BUS);
        Capture input = new Capture();

        Object target = Match.objectLike(Map.of(
                "Arn", ref(synth.logicalId("AlarmTopic", "AWS::SNS::Topic")),
                "InputTransformer", Match.objectLike(Map.of("InputTemplate", input))));
        synth.template().hasResourceProperties("AWS::Events::Rule", Match.objectLike(Map.of(
                "EventPattern", Map.of("source", List.of("personalize-import"),
                        "detail-type", List.of("Dataset Import Failed", "File Rejected")),
                "Targets", List.of(target))));
        String message = input.asObject().toString();
        for (String field : List.of("<detail-type>", "<detail-route>", "<detail-datasetArn>", "<detail-reason>",
                "<detail-executionArn>")) {
            assertTrue(message.contains(field), message);
        }
        // Files held past their longest hold are mailed too, with what such an event names.
        Capture held = new Capture();
        synth.template().hasResourceProperties("AWS::Events::Rule", Match.objectLike(Map.of(
                "EventPattern", Map.of("source", List.of("personalize-import"),
                        "detail-type", List.of("Dataset Import Held")),
                "Targets", List.of(Match.objectLike(Map.of(
                        "Arn", ref(synth.logicalId("AlarmTopic", "AWS::SNS::Topic")),
                        "InputTransformer", Match.objectLike(Map.of("InputTemplate", held))))))));
        for (String field : List.of("<detail-type>", "<detail-route>", "<detail-datasetArn>", "<detail-reason>")) {
            assertTrue(held.asString().contains(field), held.asString());
        }
        // The topic's key lets EventBridge encrypt what it publishes, as it lets CloudWatch alarms.
        Object statement = Match.objectLike(Map.of("Sid", "AllowEventBridgeToPublish",
                "Principal", Map.of("Service", "events.amazonaws.com")));
        synth.template().hasResourceProperties("AWS::KMS::Key", Match.objectLike(Map.of(
                "KeyPolicy", Match.objectLike(Map.of("Statement", Match.arrayWith(List.of(statement)))))));
    }

    @Test
    void routesWithARhythm_shouldAlarmWhenNoImportSucceededForTheStrictestOfThem() {
        Synthesized synth = Synthesized.of(Synthesized.RHYTHM_DEFAULT_BUS);
        Template template = synth.template();

        // GIVEN clicks (PT6H) and backfill (P2D) on one dataset, catalog with no rhythm
        // THEN one alarm, on hourly sums of that dataset's successes: 6 empty hours in a row, missing data breaching
        template.resourcePropertiesCountIs("AWS::CloudWatch::Alarm", Match.objectLike(Map.of(
                "MetricName", OutcomeMetrics.IMPORTS_SUCCEEDED)), 1);
        template.hasResourceProperties("AWS::CloudWatch::Alarm", Match.objectLike(Map.ofEntries(
                Map.entry("Namespace", OutcomeMetrics.NAMESPACE),
                Map.entry("MetricName", OutcomeMetrics.IMPORTS_SUCCEEDED),
                Map.entry("Dimensions", List.of(Map.of("Name", OutcomeMetrics.DATASET, "Value", CLICKS))),
                Map.entry("Statistic", "Sum"),
                Map.entry("Period", 3600),
                Map.entry("EvaluationPeriods", 6),
                Map.entry("DatapointsToAlarm", 6),
                Map.entry("Threshold", 1),
                Map.entry("ComparisonOperator", "LessThanThreshold"),
                Map.entry("TreatMissingData", "breaching"),
                Map.entry("AlarmActions", List.of(ref(synth.logicalId("AlarmTopic", "AWS::SNS::Topic")))))));
    }

    @Test
    void dashboard_shouldShowEachDatasetTheDeadLetterQueueAndTheAlarms() {
        Synthesized synth = Synthesized.of(Synthesized.RHYTHM_DEFAULT_BUS);
        Capture body = new Capture();

        synth.template().hasResourceProperties("AWS::CloudWatch::Dashboard", Match.objectLike(Map.of(
                "DashboardName", "PersonalizeImportPipeline", "DashboardBody", body)));
        String text = body.asObject().toString();
        assertTrue(text.contains("clicks, backfill: imports"), text);
        assertTrue(text.contains("catalog: imports"), text);
        for (String metric : List.of(OutcomeMetrics.IMPORTS_SUCCEEDED, OutcomeMetrics.IMPORTS_FAILED,
                OutcomeMetrics.FILES_REJECTED, OutcomeMetrics.FILES_SUPERSEDED, OutcomeMetrics.IMPORTS_HELD,
                OutcomeMetrics.IMPORT_DURATION,
                OutcomeMetrics.UPLOAD_TO_JOB, OutcomeMetrics.DETECTION_DELAY, OutcomeMetrics.FILES_WAITING,
                OutcomeMetrics.POLLS, "ApproximateNumberOfMessagesVisible")) {
            assertTrue(text.contains(metric), metric);
        }
        // The alarm widget shows the dead-letter, failed-import and staleness alarms.
        for (String alarm : List.of("DeadLetterAlarm", "FailedImportsAlarm", "OutcomesStale")) {
            assertTrue(text.contains(synth.logicalId(alarm, "AWS::CloudWatch::Alarm")), alarm);
        }
    }
}
