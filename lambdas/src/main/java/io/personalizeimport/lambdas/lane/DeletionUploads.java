package io.personalizeimport.lambdas.lane;

import io.personalizeimport.lambdas.Log;
import io.personalizeimport.lambdas.config.DeletionRoute;
import io.personalizeimport.lambdas.domain.CsvHeader;
import io.personalizeimport.lambdas.domain.S3Object;
import io.personalizeimport.lambdas.domain.ImportSource;
import io.personalizeimport.lambdas.domain.JobNames;
import io.personalizeimport.lambdas.domain.MonitorInput;
import io.personalizeimport.lambdas.errors.DatasetImportRejectedException;
import io.personalizeimport.lambdas.errors.InvalidImportRequestException;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A notified list of users to delete on its way into its dataset group's deletion lane: checked as Personalize would
 * check it, so a bad file is REJECTED before any job is created, recorded, and the deletion lane moved on
 * (docs/forgetting-users.md). Every step is idempotent, as for imports.
 */
public final class DeletionUploads {

    /**
     * The largest list of users one data deletion job reads (Amazon Personalize Developer Guide, "Preparing your data
     * deletion file and uploading it to Amazon S3").
     */
    public static final long MAX_BYTES = 100_000_000L;
    /** The column that lists the users to delete. */
    public static final String USER_ID = "USER_ID";

    private final FileRecords files;
    private final ObjectStore objects;
    private final DeletionJobs jobs;
    private final Deletions deletions;
    private final Settlements settlements;
    private final OutcomeEvents events;

    public DeletionUploads(FileRecords files, ObjectStore objects, Deletions deletions, Settlements settlements,
                           OutcomeEvents events) {
        this.files = files;
        this.objects = objects;
        this.jobs = deletions.jobs();
        this.deletions = deletions;
        this.settlements = settlements;
        this.events = events;
    }

    /** Takes one notified list of users into its group's deletion lane, or says why it does not go there. */
    public UploadResult accept(Notification.Created created, DeletionRoute route) {
        if (!created.key().toLowerCase(Locale.ROOT).endsWith(".csv")) {
            return skip(created.key(), "key does not end in .csv");
        }
        Optional<ObjectHead> head = objects.head(created.bucket(), created.key(), ObjectHead.HEAD_BYTES);
        if (head.isEmpty()) {
            return skip(created.key(), "object no longer exists: deleted before it could be read");
        }
        S3Object object = created.identified() ? created.object() : head.get().object();
        FileEntry entry = FileEntry.pending(LaneFile.deletion(route, object, created.sequencer(),
                created.eventTime()));
        String rejection = rejection(route, head.get());
        if (rejection != null) {
            return reject(entry, rejection);
        }
        boolean recorded = files.record(entry, null);
        Deletions.Advance advanced = deletions.advance(route.datasetGroupArn());
        events.drain(route.datasetGroupArn());
        FileEntry now = files.file(route.datasetGroupArn(), entry.file().sortKey()).orElse(entry);
        String detail = switch (advanced) {
            case Deletions.Advance.WaitingForImport waiting -> waiting.jobName() != null
                    ? "waits for the import " + waiting.jobName() + " of " + waiting.datasetArn()
                    : "waits for " + waiting.file() + ", written before it, to import into " + waiting.datasetArn();
            case Deletions.Advance.Busy busy -> "waits behind the deletion " + busy.running().jobName();
            default -> now.standing().reason();
        };
        Log.info("Deletion file " + now.standing().status(), "key", created.key(), "datasetGroupArn",
                route.datasetGroupArn(), "jobName", now.standing().jobName(), "detail", detail);
        return new UploadResult(recorded ? now.standing().status().name() : "DUPLICATE", created.key(), detail,
                route.datasetGroupArn(), now.standing().jobName(), null);
    }

    /**
     * An operator's request to delete the users an uploaded list names, from an execution started by hand: the list is
     * placed in its group's deletion lane as written at the execution's start, and runs, when its turn comes, in an
     * execution of its own, which the result names.
     *
     * @throws InvalidImportRequestException when the object is not in the pipeline's bucket, or does not exist
     * @throws DatasetImportRejectedException when the list is REJECTED, with the reason
     */
    public MonitorInput.QueuedImport request(DeletionRoute route, String bucket, String key, String executionName,
                                             Instant placedAt) {
        if (!deletions.dataBucket().equals(bucket)) {
            throw new InvalidImportRequestException("Bucket '" + bucket + "' is not the pipeline's bucket: expected "
                    + deletions.dataBucket());
        }
        ObjectHead head = objects.head(bucket, key, 1).orElseThrow(() -> new InvalidImportRequestException("Object s3://"
                + bucket + "/" + key + " does not exist: expected an uploaded list of users with a " + USER_ID
                + " column"));
        S3Object object = head.object();
        UploadResult result = accept(new Notification.Created(bucket, key, object.versionId(), object.eTag(),
                object.size(), "console-" + executionName, placedAt), route);
        if (FileStatus.REJECTED.name().equals(result.outcome())) {
            throw new DatasetImportRejectedException(result.detail());
        }
        String jobName = JobNames.forWrite(route.name(), object, "console-" + executionName);
        return new MonitorInput.QueuedImport(null, ImportSource.of(object, route.name()), new MonitorInput.Queued(key,
                route.datasetGroupArn(), null, jobName, result.detail()));
    }

    /** Why Personalize would refuse the list, from its first bytes and its group; null when it would not. */
    private String rejection(DeletionRoute route, ObjectHead head) {
        if (head.size() == 0) {
            return Notification.Created.EMPTY;
        }
        if (head.size() > MAX_BYTES) {
            return String.format(Locale.ROOT, "The file is %,d bytes: a data deletion job reads at most %,d bytes"
                    + " (100 MB) of user ids; split it into several files", head.size(), MAX_BYTES);
        }
        Optional<List<String>> header = CsvHeader.parse(head.firstBytes(), head.whole());
        if (header.isEmpty()) {
            return "The file's header row is not within its first " + ObjectHead.HEAD_BYTES + " bytes: expected a"
                    + " header with a " + USER_ID + " column";
        }
        if (!header.get().contains(USER_ID)) {
            return "The file's header is " + header.get() + ": expected a " + USER_ID + " column listing the users"
                    + " to delete";
        }
        return jobs.checkGroup(route.datasetGroupArn()).orElse(null);
    }

    private UploadResult reject(FileEntry entry, String reason) {
        FileEntry rejected = entry.withStatus(FileStatus.REJECTED, null, null, reason);
        boolean recorded = settlements.recordRejected(rejected, null);
        Log.info("Deletion file rejected before any job: " + reason, "key", entry.file().key(), "datasetGroupArn",
                entry.file().datasetArn());
        events.drain(entry.file().datasetArn());
        return new UploadResult(recorded ? "REJECTED" : "DUPLICATE", entry.file().key(), reason,
                entry.file().datasetArn(), null, null);
    }

    private static UploadResult skip(String key, String reason) {
        Log.info("Skipped: " + reason, "key", key);
        return UploadResult.skipped(key, reason);
    }
}
