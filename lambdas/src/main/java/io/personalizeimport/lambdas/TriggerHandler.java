package io.personalizeimport.lambdas;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.S3Event;
import com.amazonaws.services.lambda.runtime.events.models.s3.S3EventNotification.S3EventNotificationRecord;
import com.fasterxml.jackson.core.JsonProcessingException;
import io.personalizeimport.lambdas.aws.AwsCall;
import io.personalizeimport.lambdas.aws.AwsCallException;
import io.personalizeimport.lambdas.aws.AwsClients;
import io.personalizeimport.lambdas.config.Environment;
import io.personalizeimport.lambdas.config.PipelineConfig;
import io.personalizeimport.lambdas.config.Route;
import io.personalizeimport.lambdas.domain.ImportOutcome;
import io.personalizeimport.lambdas.domain.ImportRequest;
import io.personalizeimport.lambdas.domain.ImportSource;
import io.personalizeimport.lambdas.domain.MonitorInput;
import io.personalizeimport.lambdas.domain.MonitorInput.Rejection;
import io.personalizeimport.lambdas.domain.S3Object;
import io.personalizeimport.lambdas.errors.EventNotProcessedException;
import io.personalizeimport.lambdas.errors.InvalidImportRequestException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

/**
 * Handles S3 ObjectCreated notifications: each routed CSV becomes one import job and one monitor execution.
 *
 * <p>Returns a JSON summary of what it did with each record. Records that fail are retried by failing the whole
 * invocation after the others are done; every step is idempotent, so a retry repeats nothing.
 */
public final class TriggerHandler implements RequestHandler<S3Event, String> {

    private final ImportService imports;
    private final MonitorStarter monitors;
    private final AwsClients clients;
    private final PipelineConfig config;

    public TriggerHandler() {
        this(Environment.system());
    }

    private TriggerHandler(Environment env) {
        this(PipelineConfig.from(env, Json.MAPPER), AwsClients.forFunction(FunctionSettings.TRIGGER, env),
                PipelineConfig.stateMachineArn(env));
    }

    public TriggerHandler(PipelineConfig config, AwsClients clients, String stateMachineArn) {
        this.config = config;
        this.clients = clients;
        this.imports = new ImportService(config, clients, Clock.systemUTC());
        this.monitors = new MonitorStarter(clients.sfn(), stateMachineArn);
    }

    @Override
    public String handleRequest(S3Event event, Context context) {
        List<S3EventNotificationRecord> records = event == null || event.getRecords() == null
                ? List.of() : event.getRecords();
        if (records.isEmpty()) {
            Log.info("Event has no records (an s3:TestEvent or an empty notification); nothing to import");
        }
        List<Map<String, Object>> results = new ArrayList<>();
        RuntimeException firstFailure = null;
        int failures = 0;
        for (S3EventNotificationRecord record : records) {
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
        try {
            return Json.MAPPER.writeValueAsString(Map.of("records", results));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("summary not serializable", e);
        }
    }

    private Map<String, Object> handle(S3EventNotificationRecord record) {
        Notification notification = read(record);
        if (notification instanceof Notification.Skipped skipped) {
            Log.info("Skipped: " + skipped.reason(), "key", skipped.key(), "eventName", record.getEventName());
            return summary("SKIPPED", skipped.key(), skipped.reason());
        }
        var created = (Notification.Created) notification;
        Route route = config.routes().match(created.key()).orElse(null);
        if (route == null) {
            String reason = "key matches no route; routed prefixes: "
                    + config.routes().routes().stream().map(Route::prefix).toList();
            Log.info("Skipped: " + reason, "key", created.key(), "bucket", created.bucket());
            return summary("SKIPPED", created.key(), reason);
        }
        var object = created.object(() -> AwsCall.s3("HeadObject", created.key())
                .run(() -> clients.s3().headObject(r -> r.bucket(created.bucket()).key(created.key()))));
        ImportRequest request = ImportRequest.forObject(route, object);
        ImportSource source = ImportSource.of(object, route.name());
        MonitorInput input = new MonitorInput(request.jobArn(), request, source, null);
        String outcome;
        String detail = null;
        try {
            switch (imports.start(request, source)) {
                case ImportOutcome.Rejected rejected -> {
                    outcome = "REJECTED";
                    detail = rejected.reason();
                    input = new MonitorInput(request.jobArn(), request, source, new Rejection(rejected.reason()));
                }
                case ImportOutcome.Created job -> outcome = job.alreadyExisted() ? "ALREADY_EXISTS" : "CREATED";
                case ImportOutcome.Deferred deferred -> {
                    outcome = "QUEUED";
                    detail = deferred.message();
                }
            }
        } catch (AwsCallException | InvalidImportRequestException e) {
            // The execution's create task tries again: it retries what is transient until the monitor deadline and
            // ends with a one-line Cause on what is not, where operators look for the outcome of every file.
            outcome = "QUEUED";
            detail = e.getMessage();
            ImportService.log("Import handed to the state machine: " + e.getMessage(), request, source);
        }
        String execution = monitors.start(request.jobName(), input);
        Map<String, Object> result = summary(outcome, created.key(), detail);
        result.put("jobName", request.jobName());
        result.put("datasetImportJobArn", request.jobArn());
        result.put("executionArn", execution);
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

    private static String rawKey(S3EventNotificationRecord record) {
        return record.getS3() == null || record.getS3().getObject() == null ? null : record.getS3().getObject().getKey();
    }

    /** What one notification record asks for, with AWS's event types left behind. */
    sealed interface Notification {

        /** A record that will not become an import, and why. */
        record Skipped(String key, String reason) implements Notification {
        }

        /** A created object; versionId and eTag are null when the event lacks them. */
        record Created(String bucket, String key, String versionId, String eTag, long size) implements Notification {

            /** The object's identity, asking S3 only when the event carries neither version id nor eTag. */
            S3Object object(Supplier<HeadObjectResponse> head) {
                if (versionId == null && eTag == null) {
                    HeadObjectResponse response = head.get();
                    return new S3Object(
                            bucket, key, response.versionId(), response.eTag(), response.contentLength());
                }
                return new S3Object(bucket, key, versionId, eTag, size);
            }
        }
    }

    /**
     * Reads one record (FACTS.md, "Amazon S3 event notifications"): event version 2.x, ObjectCreated events only,
     * the key decoded as a form field, and neither folder markers, empty objects nor non-CSV keys.
     */
    static Notification read(S3EventNotificationRecord record) {
        String eventName = record.getEventName() == null ? "" : record.getEventName();
        String version = record.getEventVersion() == null ? "" : record.getEventVersion();
        if (record.getS3() == null || record.getS3().getObject() == null || record.getS3().getBucket() == null) {
            return new Notification.Skipped(null, "record has no s3 bucket or object");
        }
        var object = record.getS3().getObject();
        String key = URLDecoder.decode(object.getKey(), StandardCharsets.UTF_8);
        if (!version.equals("2") && !version.startsWith("2.")) {
            return new Notification.Skipped(key, "event version '" + version + "' is not 2.x");
        }
        if (!eventName.startsWith("ObjectCreated:")) {
            return new Notification.Skipped(key, "event " + eventName + " is not an ObjectCreated event");
        }
        if (key.endsWith("/")) {
            return new Notification.Skipped(key, "key is a folder marker");
        }
        Long size = object.getSizeAsLong();
        if (size != null && size == 0) {
            return new Notification.Skipped(key, "object is empty (0 bytes)");
        }
        if (!key.toLowerCase(Locale.ROOT).endsWith(".csv")) {
            return new Notification.Skipped(key, "key does not end in .csv");
        }
        return new Notification.Created(record.getS3().getBucket().getName(), key, blankToNull(object.getVersionId()),
                blankToNull(object.geteTag()), size == null ? -1 : size);
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
