package io.personalizeimport.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.assertions.Capture;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awscdk.services.sqs.Queue;

/** The PipelineDashboard construct on a bare stack: one row per dataset, then the dead-letter queue and the alarms. */
class PipelineDashboardTest {

    private static final List<Outcomes.Dataset> DATASETS = List.of(
            new Outcomes.Dataset("clicks", Synthesized.DATASET_ARN, null));

    @Test
    void aDataset_shouldGetItsGraphsOnTheNamedDashboard() {
        Stack stack = new Stack(new App(), "Test");
        new PipelineDashboard(stack, "Dashboard", new PipelineDashboard.Props("Imports", DATASETS,
                new Queue(stack, "Queue"), List.of(), "events", 4));

        Capture body = new Capture();
        Template.fromStack(stack).hasResourceProperties("AWS::CloudWatch::Dashboard", Map.of(
                "DashboardName", "Imports", "DashboardBody", body));
        String text = body.asObject().toString();
        for (String title : List.of("clicks: imports", "clicks: durations (s)", "clicks: waiting files and polls",
                "Dead-letter queue", "`events` bus", "Region: import slots in use and lanes in line",
                "\"ImportSlotsInUse\"", "\"LanesWaitingForSlot\"", "most import jobs at once (maxImportJobs)")) {
            assertTrue(text.contains(title), title + " in " + text);
        }
    }

    @Test
    void aNameWithSpaces_shouldBeRefusedNamingTheProperty() {
        Stack stack = new Stack(new App(), "Test");
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> new PipelineDashboard.Props("my imports", DATASETS, new Queue(stack, "Queue"), List.of(),
                        "events", 5));
        assertEquals("PipelineDashboard.Props.name is 'my imports': expected 1 to 255 letters, digits, '-' or '_'",
                refused.getMessage());
    }
}
