package io.personalizeimport.lambdas.lane;

import io.personalizeimport.lambdas.Log;
import io.personalizeimport.lambdas.config.DeletionRoute;
import io.personalizeimport.lambdas.config.ImportMode;
import io.personalizeimport.lambdas.config.PipelineConfig;
import io.personalizeimport.lambdas.config.Route;
import io.personalizeimport.lambdas.domain.ImportRequest;
import io.personalizeimport.lambdas.domain.ImportSource;
import io.personalizeimport.lambdas.domain.JobNames;
import io.personalizeimport.lambdas.domain.MonitorInput;
import io.personalizeimport.lambdas.domain.S3Object;
import io.personalizeimport.lambdas.errors.InvalidImportRequestException;
import java.io.ByteArrayInputStream;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A notified upload's way into its dataset's lane: routed, filtered, checked, recorded, and the lane moved on, so on a
 * free lane its import starts at once and on a busy one it waits its turn (docs/lanes-and-ledger.md). Every step is
 * idempotent: a duplicate delivery records nothing twice and only moves the lane on in case it stopped.
 */
public final class Uploads {

    /** The least interactions Personalize imports in one job (Amazon Personalize Developer Guide, quotas). */
    static final long MIN_INTERACTIONS = LanePlan.MIN_INTERACTIONS;
    private static final String INTERACTIONS = "INTERACTIONS";

    private final PipelineConfig config;
    private final Ports ports;
    private final Lanes lanes;
    private final Settlements settlements;
    private final DeletionUploads deletions;

    /** What an upload needs besides the lane. */
    public record Ports(FileRecords files, FolderRecords folders, ObjectStore objects, ImportJobs jobs,
                        Executions executions, OutcomeEvents events) {
    }

    /** @param deletions where the lists of users under a deletion route's prefix go */
    public Uploads(PipelineConfig config, Ports ports, Lanes lanes, Settlements settlements,
                   DeletionUploads deletions) {
        this.config = config;
        this.ports = ports;
        this.lanes = lanes;
        this.settlements = settlements;
        this.deletions = deletions;
    }

    /** Takes one notified object into its lane, or says why it does not go there. */
    public UploadResult accept(Notification notification) {
        if (notification instanceof Notification.Skipped skipped) {
            return skip(skipped.key(), skipped.reason());
        }
        var created = (Notification.Created) notification;
        Optional<Route> matched = config.routes().match(created.key());
        if (matched.isEmpty()) {
            Optional<DeletionRoute> deletion = config.routes().matchDeletion(created.key());
            if (deletion.isPresent()) {
                return deletions.accept(created, deletion.get());
            }
            return skip(created.key(), "key matches no route; routed prefixes: " + Stream.concat(
                    config.routes().routes().stream().map(Route::prefix),
                    config.routes().deletions().stream().map(DeletionRoute::prefix)).toList());
        }
        Route route = matched.get();
        boolean marker = route.isMarker(created.key());
        String folder = route.folderOf(created.key());
        String refusal = marker ? null : refusal(route, created, folder);
        if (refusal != null) {
            return skip(created.key(), refusal);
        }
        Optional<S3Object> object = created.identified() ? Optional.of(created.object())
                : ports.objects().head(created.bucket(), created.key(), 1).map(ObjectHead::object);
        if (object.isEmpty()) {
            return skip(created.key(), "object no longer exists: deleted before it could be read");
        }
        LaneFile file = file(route, created, object.get(), marker, folder);
        FileEntry entry = FileEntry.pending(file);
        if (!marker && folder == null && created.isEmpty() && emptyNow(created)) {
            return reject(route, entry, Notification.Created.EMPTY);
        }
        Preflighted preflighted = marker || folder != null ? new Preflighted(null, null) : preflight(route, file);
        if (preflighted.rejection() != null) {
            return reject(route, entry, preflighted.rejection());
        }
        if (!marker && folder == null && route.holdsForRecords()) {
            try {
                entry = counted(entry, preflighted.head());
            } catch (UnreadableObjectException e) {
                return reject(route, entry, e.getMessage());
            }
        }
        boolean recorded = ports.files().record(entry, null);
        if (!recorded) {
            Log.info("Duplicate delivery of an event already recorded; the lane is moved on in case it stopped",
                    "key", file.key(), "sequencer", file.sequencer());
        }
        if (file.isPart()) {
            Optional<String> folderImport = ports.folders().folderImport(file.datasetArn(), folder);
            if (folderImport.isPresent() && file.sortKey().compareTo(folderImport.get()) < 0) {
                return partOfAnImport(entry, recorded, folderImport.get());
            }
            Log.info("File waits for its folder's marker", "key", file.key(), "folder", folder, "marker",
                    route.marker());
            watchFolder(route, file);
            return result(recorded ? "WAITING_FOR_MARKER" : "DUPLICATE", entry, null, null);
        }
        if (marker) {
            ports.folders().closeFolder(file.datasetArn(), folder, file.sortKey());
        }
        return moveOn(entry, recorded, preflighted.head());
    }

    /** Why a file (not a marker) of this route is skipped; null when it goes into the lane. */
    private static String refusal(Route route, Notification.Created created, String folder) {
        if (created.isEmpty() && folder != null) {
            return "object is empty (0 bytes): its folder imports without it";
        }
        if (!created.key().toLowerCase(Locale.ROOT).endsWith(".csv")) {
            return "key does not end in .csv";
        }
        if (route.group() == Route.Group.FOLDER && folder == null) {
            return "route '" + route.name() + "' imports whole folders: expected " + route.prefix()
                    + "<folder>/<file>.csv and a " + route.marker() + " marker last";
        }
        return null;
    }

    /**
     * Whether the object the event says is empty holds no bytes: Lambda's Java runtime reads an event without a size as
     * size 0, so the object itself says. An object deleted since then is not rejected here: its turn finds it gone.
     */
    private boolean emptyNow(Notification.Created created) {
        return ports.objects().head(created.bucket(), created.key(), 1).map(head -> head.size() == 0).orElse(false);
    }

    /** A file, a folder route's part file, or (for a marker) its whole folder, as the lane records it. */
    private static LaneFile file(Route route, Notification.Created created, S3Object object, boolean marker,
                                 String folder) {
        if (marker) {
            return LaneFile.folder(route, object.bucket(), folder, created.sequencer(), created.eventTime());
        }
        LaneFile file = LaneFile.written(route, object, created.sequencer(), created.eventTime());
        return folder == null ? file : file.inFolder(folder);
    }

    /** Moves the lane on after a file was recorded, and reports the file as the ledger holds it now. */
    private UploadResult moveOn(FileEntry entry, boolean recorded, ObjectHead head) {
        LaneFile file = entry.file();
        Lanes.Advance advanced = lanes.advance(file.datasetArn(), null, head);
        ports.events().drain(file.datasetArn());
        // Known without a read when this very claim moved it.
        FileEntry now = advanced instanceof Lanes.Advance.Started started
                && started.movedWithClaim().contains(file.sortKey())
                ? entry.withStatus(FileStatus.IMPORTING, started.running().jobName(), null, null)
                : ports.files().file(file.datasetArn(), file.sortKey()).orElse(entry);
        FileEntry.Standing standing = now.standing();
        String detail = switch (standing.status()) {
            case PENDING -> switch (advanced) {
                case Lanes.Advance.Holding held when now.records() != null -> String.format(Locale.ROOT,
                        "waiting: %,d of %,d interactions in the lane of %s", held.records(), held.minimum(),
                        file.datasetArn());
                case Lanes.Advance.Waiting waiting -> waiting.describe() + "; the lane of " + file.datasetArn();
                default -> "waits in the lane of " + file.datasetArn();
            };
            case SUPERSEDED -> "superseded by " + standing.supersededBy() + ": " + standing.reason();
            default -> standing.reason();
        };
        Log.info("File " + standing.status(), "key", file.key(), "datasetArn", file.datasetArn(), "jobName",
                standing.jobName(), "detail", detail);
        // The lane names each import's execution after its job.
        return result(recorded ? standing.status().name() : "DUPLICATE", now, detail,
                standing.jobName() == null ? null : ports.executions().arn(standing.jobName()));
    }

    /**
     * The first part of a folder starts the folder's watch: an execution that waits the route's marker timeout and then
     * reports the folder if its marker has not come. A later part, or a duplicate, starts the same one again, which
     * Step Functions deduplicates.
     */
    private void watchFolder(Route route, LaneFile part) {
        String name = JobNames.forFolderWatch(route.name(), part.folder(), part.sequencer());
        if (ports.folders().openFolder(part.datasetArn(), part.folder(), name).equals(name)) {
            ports.executions().start(name, new MonitorInput.WatchedFolder(new MonitorInput.FolderWatch(
                    part.datasetArn(), part.bucket(), part.folder(), route.name(), route.marker(),
                    route.markerTimeout().toSeconds())));
        }
    }

    /**
     * Preflight's verdict on a file (null when none), and the first bytes it read, which the lane's check of the same
     * file then uses instead of reading it again (null when preflight is off or could not read it).
     */
    private record Preflighted(String rejection, ObjectHead head) {
    }

    /**
     * A part written before a marker whose folder import ran or runs, whose own event came late (its first delivery
     * failed and was retried): the folder's job read it, so it gets that job's outcome, now if the job has ended, or
     * with the folder's files when it ends. No watch opens for it.
     */
    private UploadResult partOfAnImport(FileEntry part, boolean recorded, String folderImport) {
        FileEntry folder = ports.files().file(part.file().datasetArn(), folderImport).orElse(null);
        if (folder != null && folder.standing().status().isFinal()) {
            FileEntry.Standing ended = folder.standing();
            settlements.settle(part, ended.status(), ended.jobName(), ended.reason(), null);
            FileEntry now = ports.files().file(part.file().datasetArn(), part.file().sortKey()).orElse(part);
            return result(recorded ? now.standing().status().name() : "DUPLICATE", now, "part of the folder import "
                    + folder.file().key() + " (job " + ended.jobName() + ")", null);
        }
        Log.info("Part of a folder whose import runs; it gets that import's outcome", "key", part.file().key(),
                "folderImport", folderImport);
        return result(recorded ? "WAITING_FOR_FOLDER_IMPORT" : "DUPLICATE", part, "part of the folder import that"
                + " runs now", null);
    }

    /** Preflight of a file; a check that cannot be made now is made again when its import starts. */
    private Preflighted preflight(Route route, LaneFile file) {
        ObjectHead head = null;
        try {
            head = config.preflight()
                    ? ports.objects().head(file.bucket(), file.key(), ObjectHead.HEAD_BYTES).orElse(null) : null;
            String rejection = ports.jobs().check(request(route, file), head).orElse(null);
            if (rejection == null && config.preflight() && needsItsOwnMinimum(route, file)) {
                rejection = tooFewInteractions(file, head);
            }
            return new Preflighted(rejection, head);
        } catch (UnreadableObjectException e) {
            return new Preflighted(e.getMessage(), null);
        } catch (ServiceCallException | InvalidImportRequestException e) {
            Log.info("Preflight check left to the import's start: " + e.getMessage(), "key", file.key());
            // What was read stays good for the lane's check.
            return new Preflighted(null, head);
        }
    }

    /**
     * An interactions file that is a job of its own (FULL, or a route that does not coalesce) must hold Personalize's
     * minimum of interactions per import job, which a job checks only after it has run.
     */
    private static boolean needsItsOwnMinimum(Route route, LaneFile file) {
        return file.datasetArn().endsWith("/" + INTERACTIONS)
                && (file.importMode() == ImportMode.FULL || !route.coalesce());
    }

    /**
     * Why the file has too few interactions for a job, counted; null when it has enough. A file its preflight read
     * whole is counted from that read.
     */
    private String tooFewInteractions(LaneFile file, ObjectHead head) {
        long records = records(file, head);
        return records >= MIN_INTERACTIONS ? null : file.location() + " has " + records + " interaction(s): Personalize"
                + " imports at least " + MIN_INTERACTIONS + " per import job (Amazon Personalize quotas); put them in"
                + " one file with others, or upload them through a route that coalesces INCREMENTAL files";
    }

    /**
     * The file with its records counted up to the minimum, which its lane sums to hold a batch until it has enough. A
     * count that cannot be made now leaves the file uncounted, read as enough: its rows are never held back for good.
     */
    private FileEntry counted(FileEntry entry, ObjectHead head) {
        try {
            return entry.counted(records(entry.file(), head));
        } catch (ServiceCallException e) {
            Log.warn("Records not counted; the file is imported as if it held enough: " + e.getMessage(), "key",
                    entry.file().key());
            return entry;
        }
    }

    /** The file's records up to the minimum: from the preflight's read when it holds the whole file, else from S3. */
    private long records(LaneFile file, ObjectHead head) {
        return head != null && head.firstBytes().length == head.size()
                ? CsvRecords.count(new ByteArrayInputStream(head.firstBytes()), MIN_INTERACTIONS)
                : ports.objects().records(file, MIN_INTERACTIONS);
    }

    /** A refused file ends REJECTED in the ledger and fails its own execution, where operators see every outcome. */
    private UploadResult reject(Route route, FileEntry entry, String reason) {
        LaneFile file = entry.file();
        ImportRequest request = request(route, file);
        FileEntry rejected = entry.withStatus(FileStatus.REJECTED, request.jobName(), null, reason);
        boolean recorded = settlements.recordRejected(rejected, ports.executions().arn(request.jobName()));
        Log.info("Rejected before import: " + reason, "key", file.key(), "jobName", request.jobName());
        MonitorInput input = new MonitorInput.RejectedFile(request.jobArn(), request,
                ImportSource.of(file.object(), route.name()), new MonitorInput.Rejection(reason));
        String execution = ports.executions().start(request.jobName(), input);
        ports.events().drain(file.datasetArn());
        return result(recorded ? "REJECTED" : "DUPLICATE", rejected, reason, execution);
    }

    private static ImportRequest request(Route route, LaneFile file) {
        return new ImportRequest(JobNames.forWrite(route.name(), file.object(), file.sequencer()), file.datasetArn(),
                file.location(), route.roleArn(), file.importMode(), route.tags(),
                route.publishAttributionMetricsToS3());
    }

    private static UploadResult skip(String key, String reason) {
        Log.info("Skipped: " + reason, "key", key);
        return UploadResult.skipped(key, reason);
    }

    private static UploadResult result(String outcome, FileEntry entry, String detail, String executionArn) {
        return new UploadResult(outcome, entry.file().key(), detail, entry.file().datasetArn(),
                entry.standing().jobName(), executionArn);
    }
}
