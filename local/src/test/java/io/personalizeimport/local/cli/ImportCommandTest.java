package io.personalizeimport.local.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.personalizeimport.lambdas.lane.Lane;
import io.personalizeimport.lambdas.lane.Region;
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
                ImportCommand.waiting(lane, Region.empty()));
    }

    @Test
    void aFreeLaneInLineForARegionSlot_shouldSayItsPlaceAndWhy() {
        Lane lane = Lane.free(DATASET);
        Region region = new Region(List.of(new Region.Slot(0, "arn:other", "job-0", Instant.now())),
                List.of(new Region.Waiting("arn:first", Instant.parse("2026-12-07T10:00:00Z")),
                        new Region.Waiting(DATASET, Instant.parse("2026-12-07T10:00:01Z"))));

        assertEquals("Waiting in the lane of personalize-import-demo/INTERACTIONS, waiting for an import slot of the"
                + " region: 2nd in line, 1 in use: the pipeline runs at most MAX_IMPORT_JOBS import jobs at once, and"
                + " the lanes in line take the slots as imports end, oldest waiting file first",
                ImportCommand.waiting(lane, region));
    }

    @Test
    void aBusyLane_shouldSayTheFileWaitsBehindTheImportThatRuns() {
        Lane lane = new Lane(DATASET, new Lane.Running("job-1", "job-1", List.of("entry"), Instant.now(), true, "{}"),
                null, null, null, 4);

        assertEquals("Waiting in the lane of personalize-import-demo/INTERACTIONS behind the import that runs there now",
                ImportCommand.waiting(lane, Region.empty()));
    }
}
