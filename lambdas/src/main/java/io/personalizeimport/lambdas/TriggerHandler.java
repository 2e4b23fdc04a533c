package io.personalizeimport.lambdas;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import io.personalizeimport.lambdas.S3EventNotification.EventRecord;
import io.personalizeimport.lambdas.aws.AwsCallException;
import io.personalizeimport.lambdas.aws.Preflight;
import io.personalizeimport.lambdas.aws.AwsClients;
import io.personalizeimport.lambdas.aws.EventPublisher;
import io.personalizeimport.lambdas.config.Environment;
import io.personalizeimport.lambdas.config.PipelineConfig;
import io.personalizeimport.lambdas.config.Route;
import io.personalizeimport.lambdas.domain.JobNames;
import io.personalizeimport.lambdas.ledger.FileEntry;
import io.personalizeimport.lambdas.ledger.FileStatus;
import io.personalizeimport.lambdas.ledger.Ledger;
import io.personalizeimport.lambdas.ledger.LedgerTable;
import java.time.Instant;
import java.util.Optional;
import io.personalizeimport.lambdas.domain.ImportRequest;
import io.personalizeimport.lambdas.domain.ImportSource;
import io.personalizeimport.lambdas.domain.MonitorInput;
import io.personalizeimport.lambdas.domain.MonitorInput.Rejection;
import io.personalizeimport.lambdas.domain.S3Object;
import io.personalizeimport.lambdas.errors.EventNotProcessedException;
import io.personalizeimport.lambdas.errors.InvalidImportRequestException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Handles S3 ObjectCreated notifications: each routed CSV (or folder marker) is recorded in its dataset's lane, and the
 * lane is moved on: on a free lane its import starts at once, on a busy one it waits its turn (README, "Dataset lanes").
 *
 * <p>Reads the event as S3 sends it ({@link S3EventNotification}) and returns a JSON summary of what it did with each
 * record, as a JSON string, the output it had as a {@code RequestHandler<S3Event, String>}. Records that fail are
 * retried by failing the whole invocation after the others are done; every step is idempotent, so a retry repeats
 * nothing.
 */
public final class TriggerHandler implements RequestStreamHandler {

    private final ImportService imports;
    private final MonitorStarter monitors;
    private final AwsClients clients;
    private final PipelineConfig config;
    private final Ledger ledger;
    private final LaneService lanes;
    private final OutcomeReporter outcomes;
    private final String stateMachineArn;

    public TriggerHandler() {
        this(Environment.system());
    }

    private TriggerHandler(Environment env) {
        this(PipelineConfig.from(env), AwsClients.forFunction(FunctionSettings.TRIGGER, env),
                PipelineConfig.stateMachineArn(env), LedgerTable.name(env), Clock.systemUTC());
        Priming.register(ImportPriming.trigger(this, config, clients, ledger, env));
    }

    public TriggerHandler(PipelineConfig config, AwsClients clients, String stateMachineArn, String ledgerTable,
                          Clock clock) {
        this.config = config;
        this.clients = clients;
        this.stateMachineArn = stateMachineArn;
        this.imports = new ImportService(config, clients, clock);
        this.monitors = new MonitorStarter(clients.sfn(), stateMachineArn);
        this.ledger = new Ledger(clients.dynamoDb(), ledgerTable, clock);
        this.lanes = new LaneService(config, clients, ledger, imports, clock);
        this.outcomes = new OutcomeReporter(ledger, new EventPublisher(clients::eventBridge, config.eventBusName()),
                clock);
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        output.write(JsonText.write(handle(S3EventNotification.read(input))));
    }

    /** Handles each record of the event; returns the summary as JSON text. */
    String handle(S3EventNotification event) {
        List<EventRecord> records = event.records();
        if (records.isEmpty()) {
            Log.info("Event has no records (an s3:TestEvent or an empty notification); nothing to import");
        }
        List<Map<String, Object>> results = new ArrayList<>();
        RuntimeException firstFailure = null;
        int failures = 0;
        for (EventRecord record : records) {
            try {
                results.add(handle(record));
            } catch (RuntimeException e) {
                // One record's failure must not keep the others from their imports; the event fails after them.
                failures++;
                firstFailure = firstFailure == null ? e : firstFailure;
                Log.error("Record not processed; the event will be retried", "key", rawKey(record),
                        "error", e.getClass().getSimpleName(), "reason", e.getMessage());
            }
        }
        if (firstFailure != null) {
            throw new EventNotProcessedException(failures + " of " + records.size()
                    + " records not processed; first failure: " + firstFailure.getMessage(), firstFailure);
        }
        return JsonText.toJson(Map.of("records", results));
    }

    private Map<String, Object> handle(EventRecord record) {
        Notification notification = read(record);
        if (notification instanceof Notification.Skipped skipped) {
            return skip(skipped.key(), skipped.reason(), record.eventName());
        }
        var created = (Notification.Created) notification;
        Route route = config.routes().match(created.key()).orElse(null);
        if (route == null) {
            return skip(created.key(), "key matches no route; routed prefixes: "
                    + config.routes().routes().stream().map(Route::prefix).toList(), record.eventName());
        }
        boolean marker = route.isMarker(created.key());
        String folder = route.folderOf(created.key());
        if (!marker) {
            if (created.size() == 0) {
                return skip(created.key(), "object is empty (0 bytes)", record.eventName());
            }
            if (!created.key().toLowerCase(Locale.ROOT).endsWith(".csv")) {
                return skip(created.key(), "key does not end in .csv", record.eventName());
            }
            if (route.group() == Route.Group.FOLDER && folder == null) {
                return skip(created.key(), "route '" + route.name() + "' imports whole folders: expected "
                        + route.prefix() + "<folder>/<file>.csv and a " + route.marker() + " marker last",
                        record.eventName());
            }
        }
        S3Object object = created.object(() -> imports.object(created.bucket(), created.key())).orElse(null);
        if (object == null) {
            return skip(created.key(), "object no longer exists: deleted before it could be read", record.eventName());
        }
        FileEntry entry = new FileEntry(route.datasetArn(), route.name(), object.bucket(),
                marker ? folder : object.key(), marker ? null : object.versionId(), marker ? null : object.eTag(),
                marker ? -1 : object.size(), created.sequencer(), created.eventTime(), route.importMode(),
                FileStatus.PENDING, null, null, null, null, marker ? null : folder);
        Preflighted preflighted = marker || folder != null ? new Preflighted(null, null) : preflight(route, entry);
        if (preflighted.rejection() != null) {
            return reject(route, entry, preflighted.rejection());
        }
        boolean recorded = ledger.record(entry);
        if (!recorded) {
            Log.info("Duplicate delivery of an event already recorded; the lane is moved on in case it stopped",
                    "key", entry.key(), "sequencer", entry.sequencer());
        }
        if (entry.isPart()) {
            Log.info("File waits for its folder's marker", "key", entry.key(), "folder", folder, "marker",
                    route.marker());
            watchFolder(route, entry);
            return result(recorded ? "WAITING_FOR_MARKER" : "DUPLICATE", entry, null);
        }
        if (marker) {
            ledger.closeFolder(entry.datasetArn(), folder);
        }
        LaneService.Advance advanced = lanes.advance(entry.datasetArn(), stateMachineArn, null, preflighted.head());
        outcomes.drain(entry.datasetArn());
        // The file as the ledger holds it now: known without a read when this very claim moved it.
        FileEntry now = advanced instanceof LaneService.Advance.Started started
                && started.movedWithClaim(Ledger.sortKey(entry))
                ? entry.withStatus(FileStatus.IMPORTING, started.running().jobName(), null, null)
                : ledger.file(entry.datasetArn(), Ledger.sortKey(entry)).orElse(entry);
        String detail = switch (now.status()) {
            case PENDING -> "waits in the lane of " + entry.datasetArn();
            case SUPERSEDED -> "superseded by " + now.supersededBy() + ": " + now.reason();
            default -> now.reason();
        };
        Log.info("File " + now.status(), "key", entry.key(), "datasetArn", entry.datasetArn(), "jobName",
                now.jobName(), "detail", detail);
        Map<String, Object> result = result(recorded ? now.status().name() : "DUPLICATE", now, detail);
        if (now.jobName() != null) {
            // The lane names each import's execution after its job.
            result.put("executionArn", MonitorStarter.executionArn(stateMachineArn, now.jobName()));
        }
        return result;
    }

    /**
     * The first part of a folder starts the folder's watch: an execution that waits the route's marker timeout and then
     * reports the folder if its marker has not come. A later part, or a duplicate, starts the same one again, which
     * Step Functions deduplicates.
     */
    private void watchFolder(Route route, FileEntry part) {
        String name = JobNames.forFolderWatch(route.name(), part.folder(), part.sequencer());
        String watch = ledger.openFolder(part.datasetArn(), part.folder(), name);
        if (watch.equals(name)) {
            monitors.start(name, new MonitorInput(null, null, null, null, null, null,
                    new MonitorInput.FolderWatch(part.datasetArn(), part.bucket(), part.folder(), route.name(),
                            route.marker(), route.markerTimeout().toSeconds())));
        }
    }

    /**
     * Preflight's verdict on a file (null when none), and the first bytes it read, which the lane's check of the same
     * file then uses instead of reading it again (null when preflight is off or could not read it).
     */
    private record Preflighted(String rejection, Preflight.ObjectHead head) {
    }

    /** Preflight of a file; a check that cannot be made now is made again when its import starts. */
    private Preflighted preflight(Route route, FileEntry entry) {
        Preflight.ObjectHead head = null;
        try {
            head = config.preflight() ? imports.head(entry.bucket(), entry.key(), Preflight.HEAD_BYTES).orElse(null)
                    : null;
            return new Preflighted(imports.check(request(route, entry), head).orElse(null), head);
        } catch (AwsCallException | InvalidImportRequestException e) {
            Log.info("Preflight check left to the import's start: " + e.getMessage(), "key", entry.key());
            // What was read stays good for the lane's check.
            return new Preflighted(null, head);
        }
    }

    /** A refused file ends REJECTED in the ledger and fails its own execution, where operators see every outcome. */
    private Map<String, Object> reject(Route route, FileEntry entry, String reason) {
        ImportRequest request = request(route, entry);
        FileEntry rejected = entry.withStatus(FileStatus.REJECTED, request.jobName(), null, reason);
        boolean recorded = ledger.record(rejected, OutcomeReporter.rejected(rejected, reason,
                MonitorStarter.executionArn(stateMachineArn, request.jobName())));
        Log.info("Rejected before import: " + reason, "key", entry.key(), "jobName", request.jobName());
        MonitorInput input = new MonitorInput(request.jobArn(), request,
                new ImportSource(entry.bucket(), entry.key(), entry.versionId(), entry.eTag(), entry.size(),
                        route.name()), new Rejection(reason));
        String execution = monitors.start(request.jobName(), input);
        outcomes.drain(entry.datasetArn());
        Map<String, Object> result = result(recorded ? "REJECTED" : "DUPLICATE", rejected, reason);
        result.put("executionArn", execution);
        return result;
    }

    private static ImportRequest request(Route route, FileEntry entry) {
        return new ImportRequest(JobNames.forWrite(route.name(), entry.object(), entry.sequencer()), entry.datasetArn(),
                entry.location(), route.roleArn(), entry.importMode(), route.tags(),
                route.publishAttributionMetricsToS3());
    }

    private static Map<String, Object> skip(String key, String reason, String eventName) {
        Log.info("Skipped: " + reason, "key", key, "eventName", eventName);
        return summary("SKIPPED", key, reason);
    }

    private static Map<String, Object> result(String outcome, FileEntry entry, String detail) {
        Map<String, Object> result = summary(outcome, entry.key(), detail);
        result.put("datasetArn", entry.datasetArn());
        if (entry.jobName() != null) {
            result.put("jobName", entry.jobName());
        }
        return result;
    }

    private static Map<String, Object> summary(String outcome, String key, String detail) {
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("outcome", outcome);
        summary.put("key", key);
        if (detail != null) {
            summary.put("detail", detail);
        }
        return summary;
    }

    private static String rawKey(EventRecord record) {
        return record.s3() == null || record.s3().object() == null ? null : record.s3().object().key();
    }

    /** What one notification record asks for, with AWS's event types left behind. */
    sealed interface Notification {

        /** A record that will not become an import, and why. */
        record Skipped(String key, String reason) implements Notification {
        }

        /** A created object; versionId and eTag are null when the event lacks them. */
        record Created(String bucket, String key, String versionId, String eTag, long size, String sequencer,
                       Instant eventTime) implements Notification {

            /**
             * The object's identity, read from S3 only when the event carries neither version id nor eTag; empty when
             * it had to be read and is gone.
             */
            Optional<S3Object> object(Supplier<Optional<S3Object>> read) {
                if (versionId == null && eTag == null) {
                    return read.get();
                }
                return Optional.of(new S3Object(bucket, key, versionId, eTag, size));
            }
        }
    }

    /**
     * Reads one record (Amazon S3 User Guide, "Event message structure"): event version 2.x, ObjectCreated events
     * only, the key decoded as a form field, no folder placeholders ({@code key/}); with the write's sequencer and
     * event time, which place it in its lane. Whether the object is a CSV or a folder route's marker depends on its
     * route.
     */
    static Notification read(EventRecord record) {
        String eventName = record.eventName() == null ? "" : record.eventName();
        String version = record.eventVersion() == null ? "" : record.eventVersion();
        if (record.s3() == null || record.s3().object() == null || record.s3().object().key() == null
                || record.s3().bucket() == null) {
            return new Notification.Skipped(null, "record has no s3 bucket or object");
        }
        var object = record.s3().object();
        String key = URLDecoder.decode(object.key(), StandardCharsets.UTF_8);
        if (!version.equals("2") && !version.startsWith("2.")) {
            return new Notification.Skipped(key, "event version '" + version + "' is not 2.x");
        }
        if (!eventName.startsWith("ObjectCreated:")) {
            return new Notification.Skipped(key, "event " + eventName + " is not an ObjectCreated event");
        }
        if (key.endsWith("/")) {
            return new Notification.Skipped(key, "key is a folder marker");
        }
        Long size = object.size();
        String versionId = blankToNull(object.versionId());
        String eTag = blankToNull(object.eTag());
        // Every S3 event has both (Amazon S3 User Guide, 'Event message structure'); without them a duplicate cannot be
        // told from a re-upload, so the write's own identity stands in and a re-upload of the same bytes counts as a
        // duplicate.
        String sequencer = blankToNull(object.sequencer());
        if (sequencer == null) {
            sequencer = "write-" + new S3Object("", key, versionId, eTag, 0).revision().replaceAll("[^A-Za-z0-9]", "");
        }
        Instant eventTime = blankToNull(record.eventTime()) == null ? Instant.EPOCH : Instant.parse(record.eventTime());
        return new Notification.Created(record.s3().bucket().name(), key, versionId, eTag,
                size == null ? -1 : size, sequencer, eventTime);
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
