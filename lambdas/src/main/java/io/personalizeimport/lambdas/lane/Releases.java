package io.personalizeimport.lambdas.lane;

import io.personalizeimport.lambdas.Log;
import io.personalizeimport.lambdas.config.DeletionRoute;
import io.personalizeimport.lambdas.config.ImportMode;
import io.personalizeimport.lambdas.config.PipelineConfig;
import io.personalizeimport.lambdas.config.Route;
import io.personalizeimport.lambdas.domain.MonitorInput.LaneTicket;
import io.personalizeimport.lambdas.events.EventDetail;
import io.personalizeimport.lambdas.events.FileRef;
import io.personalizeimport.lambdas.events.ImportEnded;
import io.personalizeimport.lambdas.events.OutboxEvent;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The end of an execution that held a lane: its import's outcome recorded on each of its files, the lane freed, and the
 * lane's next import started. Every step is idempotent, so a retried task repeats nothing.
 */
public final class Releases {

    private final PipelineConfig config;
    private final FileRecords files;
    private final LaneRecords laneRecords;
    private final Lanes lanes;
    private final Settlements settlements;
    private final Executions executions;
    private final OutcomeEvents events;
    private final Deletions deletions;
    private final Clock clock;

    /** @param deletions the deletions of the groups whose imports end here, which may wait for them */
    public Releases(PipelineConfig config, Uploads.Ports ports, LaneRecords laneRecords, Lanes lanes,
                    Settlements settlements, Deletions deletions, Clock clock) {
        this.config = config;
        this.files = ports.files();
        this.laneRecords = laneRecords;
        this.lanes = lanes;
        this.settlements = settlements;
        this.executions = ports.executions();
        this.events = ports.events();
        this.deletions = deletions;
        this.clock = clock;
    }

    /** Records the outcome on the execution's files, frees its lane and starts the lane's next import. */
    public Released release(Release release) {
        LaneTicket ticket = release.ticket() != null ? release.ticket()
                : operatorsTicket(datasetOf(release.asked()), release.executionName());
        if (ticket == null) {
            return new Released(null, null, List.of(), null);
        }
        Release.Verdict verdict = release.verdict();
        FileStatus outcome = verdict.isImported() ? FileStatus.IMPORTED
                : Release.Verdict.REJECTED.equals(verdict.error()) ? FileStatus.REJECTED : FileStatus.FAILED;
        String reason = verdict.isImported() ? null : verdict.error() + ": " + verdict.cause();
        String executionArn = executions.arn(release.executionName());
        List<FileEntry> carried = new ArrayList<>();
        for (String entry : ticket.entries()) {
            files.file(ticket.datasetArn(), entry).ifPresent(file -> {
                carried.add(file);
                settlements.settle(file, outcome, release.jobName(), reason, executionArn);
            });
        }
        String imported = outcome != FileStatus.IMPORTED ? null
                : ticket.files().size() == 1 ? ticket.files().getFirst()
                : ticket.files().size() + " files from " + ticket.files().getFirst();
        // A rejected file was reported on its own; an import that ran (or was meant to) is reported as a whole.
        OutboxEvent ended = outcome == FileStatus.REJECTED || release.jobName() == null ? null
                : Settlements.event(importEnded(release, ticket, carried, executionArn));
        Lane lane = laneRecords.lane(ticket.datasetArn());
        boolean succeeded = outcome == FileStatus.IMPORTED;
        // Recorded while the lane is still held, so a release that fails or is retried never loses them, and the lane
        // is never seen idle before they wait in it.
        for (FileEntry entry : succeeded ? appliedAgain(lane, carried) : List.<FileEntry>of()) {
            if (files.record(entry, null)) {
                Log.info("Newer file applied again after a late one", "key", entry.file().key(),
                        "datasetArn", entry.file().datasetArn(), "reason", entry.standing().reason());
            }
        }
        if (laneRecords.release(ticket.datasetArn(), release.executionName(), imported, release.jobName(),
                succeeded ? replaced(lane, carried) : null, succeeded ? newestIncremental(lane, carried) : null,
                ended)) {
            Log.info("Lane released", "datasetArn", ticket.datasetArn(), "executionName", release.executionName(),
                    "outcome", outcome, "files", ticket.files().size());
        }
        return new Released(ticket.datasetArn(), outcome, ticket.files(), moveOn(ticket.datasetArn()));
    }

    /**
     * Ends a batch that never ran because one of its files could not be staged: that file ends REJECTED with the reason,
     * the batch's other files wait again in their places in the lane, and the lane, freed, plans its next import without
     * it. A batch that holds too few interactions once the rows of deleted users are left out
     * ({@link BatchStaging#waitsForMore}) rejects none: all its files wait again, with that reason and the records they
     * keep, for more. Files move back only while this execution holds the lane, so a retry moves nothing twice.
     */
    public Released returnBatch(String executionName, LaneTicket ticket, Ending.Unstageable unstageable) {
        String datasetArn = ticket.datasetArn();
        boolean waitsForMore = BatchStaging.waitsForMore(unstageable);
        if (!waitsForMore) {
            files.file(datasetArn, unstageable.entry()).ifPresent(file -> settlements.settle(file, FileStatus.REJECTED,
                    null, unstageable.reason(), executions.arn(executionName)));
        }
        String reason = waitsForMore ? unstageable.reason() : null;
        Lane lane = laneRecords.lane(datasetArn);
        if (lane.isBusy() && lane.running().executionName().equals(executionName)) {
            int back = 0;
            for (String entry : ticket.entries()) {
                FileEntry file = files.file(datasetArn, entry).orElse(null);
                if (file != null && file.standing().status() == FileStatus.IMPORTING
                        && files.settle(file.withStatus(FileStatus.PENDING, null, null, reason), null)) {
                    back++;
                }
            }
            if (laneRecords.release(datasetArn, executionName, null, null, null, null, null)) {
                Log.info(waitsForMore ? "Lane released: its batch holds too few interactions once the rows of deleted"
                        + " users are left out; its files wait again" : "Lane released: a file of its batch cannot be"
                        + " read; the others wait again", "datasetArn", datasetArn, "executionName", executionName,
                        "rejected", unstageable.file(), "waiting", back);
            }
        }
        return waitsForMore ? new Released(datasetArn, FileStatus.PENDING, ticket.files(), moveOn(datasetArn))
                : new Released(datasetArn, FileStatus.REJECTED, List.of(unstageable.file()), moveOn(datasetArn));
    }

    /** Starts the lane's next import, if it is free and files wait, and reports what waits; the next job or null. */
    private String moveOn(String datasetArn) {
        String next = lanes.advance(datasetArn) instanceof Lanes.Advance.Started started
                ? started.running().jobName() : null;
        // The import that ended returned its slot of the region: the lanes first in line take the free ones.
        Region region = lanes.wakeLine();
        events.slots(region.inUse(), region.line().size());
        // A list of users of the dataset's group may have waited for this import, written before it.
        config.routes().deletionsOf(datasetArn).stream().map(DeletionRoute::datasetGroupArn).distinct()
                .forEach(deletions::advance);
        events.drain(datasetArn);
        events.waiting(datasetArn, (int) files.files(datasetArn, FileStatus.PENDING).stream()
                .filter(file -> !file.file().isPart()).count());
        return next;
    }

    /**
     * The FULL import that now replaced the dataset: the file a FULL import carried, if it is newer than the lane's last
     * one; null when the import was INCREMENTAL or older (an operator's import of an older file).
     */
    private static Lane.LastFull replaced(Lane lane, List<FileEntry> carried) {
        if (carried.size() != 1 || carried.getFirst().file().importMode() != ImportMode.FULL) {
            return null;
        }
        LaneFile full = carried.getFirst().file();
        Lane.LastFull last = lane.lastFull();
        return last != null && last.order().compareTo(full.order()) >= 0 ? null
                : new Lane.LastFull(full.order(), full.key());
    }

    /**
     * Hands the lane of an execution whose watch gave up while its job may still run to a new execution that watches
     * the job on; null when the execution does not hold the lane or has handed it on {@link Lanes#MAX_HANDOVERS} times.
     */
    public Lane.Running handOver(String datasetArn, String executionName) {
        return lanes.handOver(datasetArn, executionName);
    }

    /**
     * The order of the newest INCREMENTAL file of a dataset whose records a newer file replaces, when this import
     * carried a newer one than the lane noted; null to keep the lane's note.
     */
    private static String newestIncremental(Lane lane, List<FileEntry> carried) {
        String newest = carried.stream().map(FileEntry::file).filter(Releases::replacesRecords)
                .map(LaneFile::order).max(String::compareTo).orElse(null);
        return newest != null && (lane.lastIncremental() == null || newest.compareTo(lane.lastIncremental()) > 0)
                ? newest : null;
    }

    /**
     * A late INCREMENTAL file (its first delivery failed, or an operator imported an old file) imported after newer
     * files of a dataset whose records a newer file replaces would leave the older values: the newer files imported
     * since the last FULL import are applied again after it, each once, in lane order, as entries of their own.
     */
    private List<FileEntry> appliedAgain(Lane lane, List<FileEntry> carried) {
        LaneFile late = carried.stream().map(FileEntry::file).filter(file -> replacesRecords(file) && !file.isAgain())
                .min((a, b) -> a.order().compareTo(b.order())).orElse(null);
        if (late == null || lane.lastIncremental() == null || late.order().compareTo(lane.lastIncremental()) >= 0) {
            return List.of();
        }
        Set<String> carriedKeys = new HashSet<>();
        carried.forEach(entry -> carriedKeys.add(entry.file().sortKey()));
        Map<String, FileEntry> newer = new LinkedHashMap<>();
        for (FileEntry entry : files.files(late.datasetArn(), FileStatus.IMPORTED)) {
            LaneFile file = entry.file();
            boolean afterFull = lane.lastFull() == null || file.order().compareTo(lane.lastFull().order()) > 0;
            if (replacesRecords(file) && afterFull && file.order().compareTo(late.order()) > 0
                    && !carriedKeys.contains(file.sortKey())) {
                // One write applied again once, even if it was applied again before.
                newer.putIfAbsent(file.object().location() + "#" + file.object().revision(), entry);
            }
        }
        return newer.values().stream().map(entry -> FileEntry.pending(entry.file().again(late))
                .withStatus(FileStatus.PENDING, null, null, "applied again after the late file " + late.key()
                        + ", so its newer values win")).toList();
    }

    /** An INCREMENTAL file of a dataset whose records a newer file replaces: users, items or actions. */
    private static boolean replacesRecords(LaneFile file) {
        return file.importMode() == ImportMode.INCREMENTAL && !file.isPart()
                && !file.datasetArn().endsWith("/INTERACTIONS") && !file.datasetArn().endsWith("/ACTION_INTERACTIONS");
    }

    /**
     * What a status change of an ended execution led to.
     *
     * @param datasetArn the dataset whose lane the execution's input names, or null when it names none
     * @param resumedIn the execution that took over the lane the ended one held, or null when it held none
     */
    public record Recovered(String datasetArn, String executionName, String status, String resumedIn) {
    }

    /**
     * An execution that stopped, failed or timed out: if it still holds its dataset's lane, it ended without releasing
     * it, and its import resumes in a new execution. Executions that released their lane change nothing.
     *
     * @param laneDataset the dataset of the lane ticket in the execution's input; null when it has none
     */
    public Recovered recover(String executionName, String status, String laneDataset, Release.Asked asked) {
        String datasetArn = laneDataset != null ? laneDataset : datasetOf(asked);
        if (datasetArn == null) {
            return new Recovered(null, executionName, status, null);
        }
        Lane.Running resumed = lanes.recover(datasetArn, executionName);
        return new Recovered(datasetArn, executionName, status, resumed == null ? null : resumed.executionName());
    }

    /** The dataset an operator's input names, directly or by its key's route; null when it names none. */
    private String datasetOf(Release.Asked asked) {
        if (asked == null) {
            return null;
        }
        if (asked.datasetArn() != null) {
            return asked.datasetArn();
        }
        return asked.key() == null ? null : config.routes().match(asked.key()).map(Route::datasetArn).orElse(null);
    }

    /**
     * The files an operator's execution placed in its lane, when it ended before its create task handed it a ticket
     * (the import was refused, or the request invalid): they carry this execution's name. Null when there is no dataset.
     */
    private LaneTicket operatorsTicket(String datasetArn, String executionName) {
        if (datasetArn == null) {
            return null;
        }
        List<FileEntry> mine = new ArrayList<>();
        for (FileStatus status : List.of(FileStatus.PENDING, FileStatus.IMPORTING)) {
            files.files(datasetArn, status).stream()
                    .filter(file -> executionName.equals(file.standing().executionName())).forEach(mine::add);
        }
        return new LaneTicket(datasetArn, mine.stream().map(FileEntry::file).map(LaneFile::sortKey).toList(),
                mine.stream().map(FileEntry::file).map(LaneFile::key).toList(), null);
    }

    /**
     * The import's end as its event reports it: the job as the execution last saw it, the files, the verdict, and how
     * long the first file waited for the job.
     */
    private ImportEnded importEnded(Release release, LaneTicket ticket, List<FileEntry> carried, String executionArn) {
        Release.JobSeen job = release.job();
        Instant now = clock.instant();
        Long duration = job.createdAt() == null || job.endedAt() == null ? null
                : Duration.between(Instant.parse(job.createdAt()), Instant.parse(job.endedAt())).toSeconds();
        List<LaneFile> written = carried.stream().map(FileEntry::file).toList();
        Instant firstWrite = written.stream().map(LaneFile::eventTime).min(Instant::compareTo).orElse(null);
        Long wait = job.createdAt() == null || firstWrite == null || firstWrite.equals(Instant.EPOCH) ? null
                : Math.max(0, Duration.between(firstWrite, Instant.parse(job.createdAt())).toSeconds());
        boolean succeeded = release.verdict().isImported();
        String jobName = release.jobName();
        return new ImportEnded(EventDetail.SCHEMA_VERSION,
                EventDetail.idOf(succeeded ? ImportEnded.SUCCEEDED : ImportEnded.FAILED, jobName + "\n" + executionArn),
                ticket.datasetArn(), written.isEmpty() ? null : written.getFirst().route(), jobName, job.jobArn(),
                job.importMode(), job.dataLocation(), job.status(), written.stream().map(FileRef::of).toList(),
                ticket.files().size(), executionArn, job.createdAt(), job.endedAt(), duration, wait, job.polls(),
                job.endedAt() == null ? null : Math.max(0, Duration.between(Instant.parse(job.endedAt()), now)
                        .toSeconds()),
                succeeded ? null : release.verdict().error(), succeeded ? null : release.verdict().cause());
    }
}
