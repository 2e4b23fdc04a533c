package io.personalizeimport.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.personalizeimport.lambdas.config.Route;
import io.personalizeimport.lambdas.events.OutcomeMetrics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

/** The Outcomes construct on a bare stack: the bus, and a staleness alarm per dataset with a rhythm. */
class OutcomesTest {

    @Test
    void aDatasetWithARhythm_shouldGetOneStalenessAlarmOnTheBusOfTheStack() {
        // GIVEN one dataset expected every 12 hours and one without a rhythm
        Stack stack = new Stack(new App(), "Test");
        Outcomes outcomes = new Outcomes(stack, "Outcomes", new Outcomes.Props(false, List.of(
                new Outcomes.Dataset("clicks", Synthesized.DATASET_ARN, Duration.ofHours(12)),
                new Outcomes.Dataset("catalog", "arn:aws:personalize:us-east-1:123456789012:dataset/shop/ITEMS", null))));

        // WHEN the staleness alarms are made, with no topic
        outcomes.stalenessAlarms(Optional.empty());
        Template template = Template.fromStack(stack);

        // THEN the pipeline's bus and one alarm: twelve empty hours of successes
        template.hasResourceProperties("AWS::Events::EventBus", Map.of("Name", Outcomes.BUS_NAME));
        template.resourceCountIs("AWS::CloudWatch::Alarm", 1);
        template.hasResourceProperties("AWS::CloudWatch::Alarm", Match.objectLike(Map.of(
                "MetricName", OutcomeMetrics.IMPORTS_SUCCEEDED, "EvaluationPeriods", 12,
                "AlarmActions", Match.absent())));
    }

    @Test
    void routesSharingADataset_shouldBeOneDatasetNamedAfterBothWithTheStricterRhythm() {
        Route daily = route("clicks", Duration.ofDays(1));
        Route hourly = route("backfill", Duration.ofHours(1));

        List<Outcomes.Dataset> datasets = Outcomes.Dataset.of(List.of(DeployedRoute.of(daily),
                DeployedRoute.of(hourly)));

        assertEquals(List.of(new Outcomes.Dataset("clicks, backfill", Synthesized.DATASET_ARN, Duration.ofHours(1))),
                datasets);
    }

    @Test
    void aRhythmOfPartHours_shouldBeRefusedNamingTheDataset() {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> new Outcomes.Props(
                false, List.of(new Outcomes.Dataset("clicks", Synthesized.DATASET_ARN, Duration.ofMinutes(90)))));
        assertEquals("Outcomes.Props.datasets expectEvery of 'clicks' is PT1H30M: expected whole hours from PT1H to"
                + " PT168H, or null", refused.getMessage());
    }

    private static Route route(String name, Duration expectEvery) {
        return StackConfig.fromContext(Map.<String, Object>of("routes", "[{\"name\":\"" + name + "\",\"prefix\":\""
                + name + "/\",\"datasetArn\":\"" + Synthesized.DATASET_ARN + "\",\"expectEvery\":\"" + expectEvery
                + "\"}]")::get).routes().get(0);
    }
}
