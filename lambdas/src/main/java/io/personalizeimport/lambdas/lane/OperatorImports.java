package io.personalizeimport.lambdas.lane;

import io.personalizeimport.lambdas.Log;
import io.personalizeimport.lambdas.domain.S3Location;
import io.personalizeimport.lambdas.config.ImportMode;
import io.personalizeimport.lambdas.config.Patterns;
import io.personalizeimport.lambdas.config.PipelineConfig;
import io.personalizeimport.lambdas.config.Route;
import io.personalizeimport.lambdas.domain.ImportOutcome;
import io.personalizeimport.lambdas.domain.ImportRequest;
import io.personalizeimport.lambdas.domain.ImportSource;
import io.personalizeimport.lambdas.domain.JobNames;
import io.personalizeimport.lambdas.domain.MonitorInput.LaneTicket;
import io.personalizeimport.lambdas.domain.MonitorInput;
import io.personalizeimport.lambdas.errors.DatasetBusyException;
import io.personalizeimport.lambdas.errors.DatasetImportRejectedException;
import io.personalizeimport.lambdas.errors.DatasetImportSupersededException;
import io.personalizeimport.lambdas.errors.ImportJobLimitExceededException;
import io.personalizeimport.lambdas.errors.InvalidImportRequestException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The create task's work: the job of an execution that started without one. An operator's import is confined to the
 * routes and takes its place in its dataset's lane like an uploaded file; a queued import is created as it was planned.
 */
public final class OperatorImports {

    /** How far Personalize's clock, which dates a job, may be behind the functions' clock, which dates a claim. */
    static final Duration CLOCK_SKEW = Duration.ofSeconds(5);

    private final PipelineConfig config;
    private final FileRecords files;
    private final LaneRecords laneRecords;
    private final ObjectStore objects;
    private final ImportJobs jobs;
    private final OutcomeEvents events;
    private final Lanes lanes;
    private final BatchStaging staging;
    private final Clock clock;

    public OperatorImports(PipelineConfig config, Uploads.Ports ports, LaneRecords laneRecords, Lanes lanes,
                           BatchStaging staging, Clock clock) {
        this.clock = clock;
        this.staging = staging;
        this.config = config;
        this.files = ports.files();
        this.laneRecords = laneRecords;
        this.objects = ports.objects();
        this.jobs = ports.jobs();
        this.events = ports.events();
        this.lanes = lanes;
    }

    /** An operator's import, with its file's read when it names one object (null for a location). */
    record Import(ImportRequest request, ImportSource source, ObjectHead head) {
    }

    /**
     * Creates the job; {@code head} is its file's read when this invocation made one, null otherwise. A coalesced batch
     * first has its files staged: until all are, the result is the same import with its progress, for the state machine
     * to call again.
     *
     * @throws DatasetImportRejectedException when the preflight check refuses the data
     * @throws DatasetBusyException when another import runs on the dataset
     * @throws ImportJobLimitExceededException when the region runs five import jobs
     */
    public MonitorInput.LaneImport create(ImportRequest request, ImportSource source, LaneTicket ticket, ObjectHead head) {
        if (BatchStaging.isBatch(request, ticket)) {
            BatchStaging.Staged staged = staging.stage(request, ticket);
            if (!staged.createNow()) {
                return new MonitorInput.LaneImport(request.jobArn(), request, source, ticket, staged.progress());
            }
        }
        return switch (jobs.start(request, source, head)) {
            case ImportOutcome.Rejected rejected -> throw new DatasetImportRejectedException(rejected.reason());
            case ImportOutcome.Created job -> {
                requireOwn(job, request, ticket);
                yield new MonitorInput.LaneImport(job.datasetImportJobArn(), request, source, ticket);
            }
            case ImportOutcome.Deferred deferred -> throw switch (deferred.reason()) {
                case DATASET_BUSY -> new DatasetBusyException(deferred.message());
                case JOB_LIMIT -> new ImportJobLimitExceededException(deferred.message());
            };
        };
    }

    /**
     * A job of the import's name that existed already counts only if it was created for this claim of the lane (by the
     * trigger, or an earlier attempt of this task): one Personalize created before the claim is an earlier import's,
     * perhaps of other data at the same location or under a name chosen by hand, and its verdict is not this import's.
     */
    private static void requireOwn(ImportOutcome.Created job, ImportRequest request, LaneTicket ticket) {
        if (!job.alreadyExisted() || job.existedSince() == null || ticket == null || ticket.claimedAt() == null
                || !job.existedSince().isBefore(ticket.claimedAt().minus(CLOCK_SKEW))) {
            return;
        }
        throw new InvalidImportRequestException("Import job " + request.jobName() + " already exists: Personalize"
                + " created it at " + job.existedSince() + ", before this import claimed its lane at "
                + ticket.claimedAt() + ", so it is an earlier import's and may have read other data. Start this import"
                + " with another jobName, or watch that job with {\"datasetImportJobArn\":\""
                + job.datasetImportJobArn() + "\"}");
    }

    /**
     * An operator's import takes its place in the dataset's lane like an uploaded file, placed at the execution's start:
     * on a free lane this execution runs it; on a busy one it waits in the ledger and runs later in an execution of its
     * own, which the result names.
     *
     * @param started when the execution started; null for an execution started before the field was passed
     * @throws DatasetImportSupersededException when newer data in the lane replaced it at once
     */
    public MonitorInput place(OperatorRequest asked, String executionName, Instant started) {
        Import request = resolve(asked, executionName);
        ImportRequest job = request.request();
        ImportSource source = request.source();
        FileEntry entry = FileEntry.requested(job, source, executionName, started == null ? clock.instant() : started);
        files.record(entry, null);
        Lanes.Advance advanced = lanes.advance(entry.file().datasetArn(), executionName, request.head());
        // Planning may have superseded waiting files: their events go out before this task goes on.
        events.drain(entry.file().datasetArn());
        if (advanced instanceof Lanes.Advance.Claimed claimed) {
            MonitorInput.LaneImport input = claimed.input();
            return create(input.createRequest(), input.source(), input.lane(), claimed.head());
        }
        FileEntry now = files.file(entry.file().datasetArn(), entry.file().sortKey()).orElse(entry);
        if (now.standing().status() == FileStatus.SUPERSEDED) {
            throw new DatasetImportSupersededException(job.dataLocation() + " was superseded in the lane of "
                    + job.datasetArn() + " by " + now.standing().supersededBy() + ": " + now.standing().reason());
        }
        Lane lane = laneRecords.lane(entry.file().datasetArn());
        String behind = lane.isBusy() ? lane.running().jobName() : null;
        String waitingFor = switch (advanced) {
            case Lanes.Advance.Waiting waiting -> waiting.describe();
            case Lanes.Advance.Holding held when lane.holding() != null -> lane.holding().describe(clock.instant());
            default -> behind != null ? "the import " + behind + " that holds the lane" : "the lane's next import";
        };
        Log.info("Operator's import waits in its lane", "dataLocation", job.dataLocation(), "datasetArn",
                job.datasetArn(), "behind", behind, "jobName", job.jobName(), "waitingFor", waitingFor);
        return new MonitorInput.QueuedImport(job, source,
                new MonitorInput.Queued(job.dataLocation(), job.datasetArn(), behind, job.jobName(), waitingFor));
    }

    /** The import an operator's request asks for, confined to the routes, or an error that says what is allowed. */
    Import resolve(OperatorRequest asked, String executionName) {
        return switch (asked) {
            case OperatorRequest.ForObject object -> fromObject(object.bucket(), object.key());
            case OperatorRequest.ForLocation location -> fromLocation(location, executionName);
        };
    }

    private Import fromObject(String bucket, String key) {
        if (bucket == null || key == null) {
            throw new InvalidImportRequestException("Execution input names a bucket or a key but not both: "
                    + OperatorRequest.FORMS);
        }
        checkBucket(bucket);
        Route route = config.routes().match(key).orElseThrow(() -> new InvalidImportRequestException("Key '" + key
                + "' matches no route: expected a key under one of " + config.routes().routes().stream()
                        .map(Route::prefix).toList()));
        if (key.endsWith("/") || !key.toLowerCase(Locale.ROOT).endsWith(".csv")) {
            throw new InvalidImportRequestException("Key '" + key + "' does not name a CSV file: expected a key ending"
                    + " in .csv (to import a folder, use {\"dataLocation\":\"s3://" + bucket + "/<prefix>/\","
                    + "\"datasetArn\":\"...\"})");
        }
        // Read once, as far as its preflight needs: the lane's check and the preflight take this read.
        ObjectHead head = objects.head(bucket, key, config.preflight() ? ObjectHead.HEAD_BYTES : 1)
                .orElseThrow(() -> new InvalidImportRequestException("Object s3://" + bucket + "/" + key
                        + " does not exist: expected an uploaded CSV file"));
        return new Import(ImportRequest.forObject(route, head.object()), ImportSource.of(head.object(), route.name()),
                head);
    }

    /**
     * An operator's import of a file or folder: only into a dataset a route names, from under that route's prefix, with
     * that route's role, so a console execution can do nothing the uploads could not.
     */
    private Import fromLocation(OperatorRequest.ForLocation asked, String executionName) {
        String dataLocation = matching("dataLocation", asked.dataLocation(), Patterns.DATA_LOCATION);
        String datasetArn = matching("datasetArn", asked.datasetArn(), Patterns.DATASET_ARN);
        if (dataLocation == null || datasetArn == null) {
            throw new InvalidImportRequestException("Execution input needs both dataLocation and datasetArn: "
                    + OperatorRequest.FORMS);
        }
        S3Location location = S3Location.parse(dataLocation);
        checkBucket(location.bucket());
        Route route = config.routes().routes().stream()
                .filter(candidate -> candidate.datasetArn().equals(datasetArn) && candidate.matches(location.key()))
                .findFirst()
                .orElseThrow(() -> new InvalidImportRequestException("Importing " + dataLocation + " into "
                        + datasetArn + " is not allowed: a console import must read from under a routed prefix into "
                        + "that route's dataset; allowed: " + allowed()));
        String roleArn = matching("roleArn", asked.roleArn(), Patterns.ROLE_ARN);
        if (roleArn != null && !roleArn.equals(route.roleArn())) {
            throw new InvalidImportRequestException("roleArn '" + roleArn + "' is not the role of route '"
                    + route.name() + "': expected no roleArn, or " + route.roleArn());
        }
        ImportMode mode = route.importMode();
        if (asked.importMode() != null) {
            try {
                mode = ImportMode.valueOf(asked.importMode());
            } catch (IllegalArgumentException e) {
                throw new InvalidImportRequestException("importMode is '" + asked.importMode()
                        + "': expected FULL or INCREMENTAL");
            }
        }
        String jobName = matching("jobName", asked.jobName(), Patterns.JOB_NAME);
        if (jobName == null) {
            jobName = JobNames.forRequest(route.name(), dataLocation, datasetArn, executionName);
        }
        ImportRequest request = new ImportRequest(jobName, datasetArn, dataLocation, route.roleArn(), mode,
                route.tags(), route.publishAttributionMetricsToS3());
        return new Import(request, new ImportSource(location.bucket(), location.key(), null, null, null, route.name()),
                null);
    }

    /** The value, checked against the pattern; null when not given. */
    private static String matching(String field, String value, Pattern pattern) {
        if (value != null && !pattern.matcher(value).matches()) {
            throw new InvalidImportRequestException(field + " '" + value + "' does not match " + pattern.pattern());
        }
        return value;
    }

    private void checkBucket(String bucket) {
        if (!bucket.equals(config.dataBucket())) {
            throw new InvalidImportRequestException("Bucket '" + bucket + "' is not the pipeline's bucket: expected "
                    + config.dataBucket() + "; allowed: " + allowed());
        }
    }

    /** Every dataset a console import may write, with the folder it may read from. */
    private String allowed() {
        return String.join(", ", config.routes().routes().stream()
                .map(route -> route.datasetArn() + " from s3://" + config.dataBucket() + "/" + route.prefix())
                .toList());
    }
}
