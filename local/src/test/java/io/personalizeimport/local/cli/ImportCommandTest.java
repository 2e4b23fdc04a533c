package io.personalizeimport.local.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.personalizeimport.lambdas.lane.Lane;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What {@code local/run import} says of an upload that waits in its lane, as the lane tells why. */
class ImportCommandTest {

    private static final String DATASET =
            "arn:aws:personalize:us-east-1:000000000000:dataset/personalize-import-demo/INTERACTIONS";

    @Test
    void aFreeLaneThatHoldsItsFilesForRecords_shouldSayHowManyWaitNotThatAnImportRuns() {
        Lane lane = new Lane(DATASET, null, null, null, new Lane.Holding(300, 1_000, Instant.now(),
                Duration.ofHours(24), "events/hour-01.csv", false), 3);

        assertEquals("Held in the lane of personalize-import-demo/INTERACTIONS, waiting: 300 of 1,000 interactions:"
                + " Personalize imports at least 1,000 per job; more files for the route start it",
                ImportCommand.waiting(lane));
    }

    @Test
    void aBusyLane_shouldSayTheFileWaitsBehindTheImportThatRuns() {
        Lane lane = new Lane(DATASET, new Lane.Running("job-1", "job-1", List.of("entry"), Instant.now(), true, "{}"),
                null, null, null, 4);

        assertEquals("Waiting in the lane of personalize-import-demo/INTERACTIONS behind the import that runs there now",
                ImportCommand.waiting(lane));
    }
}
