package io.personalizeimport.lambdas.lane;

import io.personalizeimport.lambdas.Log;
import io.personalizeimport.lambdas.config.PipelineConfig;
import io.personalizeimport.lambdas.events.EventDetail;
import io.personalizeimport.lambdas.events.FileRef;
import io.personalizeimport.lambdas.events.ImportHeld;
import java.time.Clock;
import java.util.List;
import java.util.Locale;

/**
 * Reports a lane's hold (docs/lanes-and-ledger.md) once it has lasted its route's longest hold: one event per hold,
 * written with the lane's note that it was reported, while the files keep waiting for more records.
 */
public final class Holds {

    private final PipelineConfig config;
    private final LaneRecords lanes;
    private final Clock clock;

    public Holds(PipelineConfig config, LaneRecords lanes, Clock clock) {
        this.config = config;
        this.lanes = lanes;
        this.clock = clock;
    }

    /**
     * The scheduled look at a dataset's lane, for a hold that outlasts its longest hold while no file comes: one Query
     * of the lane item and its waiting files, only for a dataset a route holds files of. True when it reported one.
     */
    public boolean sweep(String datasetArn) {
        if (config.routes().routes().stream().noneMatch(route -> route.datasetArn().equals(datasetArn)
                && route.holdsForRecords())) {
            return false;
        }
        // The Query alone: a file whose old open item lacks its file can only wait outside the hold the lane noted (a
        // folder's part, or behind a batch cut at its limit), since the advance that noted it counted such a file as
        // enough; and the publish function may not BatchGetItem.
        LaneView view = lanes.laneViewByQuery(datasetArn);
        Lane lane = view.lane();
        Lane.Holding holding = lane.holding();
        if (lane.isBusy() || holding == null || holding.reported() || !holding.isPast(clock.instant())) {
            return false;
        }
        LanePlan.Hold hold = LanePlan.of(view.waiting(), lane.lastFull(),
                name -> config.routes().byName(name).orElse(null)).hold();
        // A hold the lane noted that the files no longer make is the next advance's to correct.
        return hold != null && hold.holding().first().equals(holding.first())
                && reportIfPast(datasetArn, holding, hold.files());
    }

    /** Reports the hold if it has lasted its longest hold and was not reported; true when this call reported it. */
    boolean reportIfPast(String datasetArn, Lane.Holding holding, List<FileEntry> files) {
        if (holding.reported() || !holding.isPast(clock.instant())) {
            return false;
        }
        LaneFile first = files.getFirst().file();
        String reason = holding.isFull()
                ? String.format(Locale.ROOT, "%,d files of route %s hold %,d of the %,d interactions Personalize imports"
                + " at least per import job, and one job carries no more of the files that wait (at most %,d files,"
                + " %,d bytes of keys, 1 GB): they cannot grow, so no job is spent on them, and they and the files"
                + " behind them wait until a FULL import replaces them", files.size(), first.route(),
                holding.records(), holding.minimum(), LanePlan.MAX_FILES, LanePlan.MAX_TICKET_BYTES)
                : String.format(Locale.ROOT, "%,d of %,d interactions have waited past the longest hold (%s of"
                + " route %s): Personalize imports at least %,d per import job, so the files keep waiting for more",
                holding.records(), holding.minimum(), holding.longestHold(), first.route(), holding.minimum());
        ImportHeld detail = new ImportHeld(EventDetail.SCHEMA_VERSION,
                EventDetail.idOf(ImportHeld.DETAIL_TYPE, datasetArn + "\n" + holding.first()), datasetArn,
                first.route(), holding.records(), holding.minimum(), holding.since().toString(),
                holding.longestHold().toString(), files.stream().limit(ImportHeld.MAX_FILES)
                        .map(entry -> FileRef.of(entry.file())).toList(), files.size(), reason);
        if (!lanes.reportHold(datasetArn, holding, Settlements.event(detail))) {
            return false;
        }
        Log.warn("Import held past the longest hold: " + reason, "datasetArn", datasetArn, "since",
                holding.since().toString(), "files", files.size(), "first", first.key());
        return true;
    }
}
