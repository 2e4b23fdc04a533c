package io.personalizeimport.lambdas;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import io.personalizeimport.lambdas.aws.AwsCallException;
import io.personalizeimport.lambdas.aws.Preflight;
import io.personalizeimport.lambdas.aws.AwsClients;
import io.personalizeimport.lambdas.aws.EventPublisher;
import io.personalizeimport.lambdas.aws.ErrorKind;
import io.personalizeimport.lambdas.aws.S3Location;
import io.personalizeimport.lambdas.config.Environment;
import io.personalizeimport.lambdas.config.ImportMode;
import io.personalizeimport.lambdas.config.Patterns;
import io.personalizeimport.lambdas.config.PipelineConfig;
import io.personalizeimport.lambdas.config.Route;
import io.personalizeimport.lambdas.domain.ImportOutcome;
import io.personalizeimport.lambdas.domain.ImportRequest;
import io.personalizeimport.lambdas.domain.ImportSource;
import io.personalizeimport.lambdas.domain.JobNames;
import io.personalizeimport.lambdas.domain.MonitorInput;
import io.personalizeimport.lambdas.domain.MonitorInput.LaneTicket;
import io.personalizeimport.lambdas.errors.DatasetImportSupersededException;
import io.personalizeimport.lambdas.ledger.FileEntry;
import io.personalizeimport.lambdas.ledger.FileStatus;
import io.personalizeimport.lambdas.ledger.Lane;
import io.personalizeimport.lambdas.ledger.Ledger;
import io.personalizeimport.lambdas.ledger.LedgerTable;
import io.personalizeimport.lambdas.domain.PollPolicy;
import io.personalizeimport.lambdas.domain.S3Object;
import io.personalizeimport.lambdas.errors.DatasetBusyException;
import io.personalizeimport.lambdas.errors.DatasetImportRejectedException;
import io.personalizeimport.lambdas.errors.ImportJobLimitExceededException;
import io.personalizeimport.lambdas.errors.InvalidImportRequestException;
import io.personalizeimport.lambdas.errors.MonitorDeadlineExceededException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import software.amazon.awssdk.protocols.jsoncore.JsonNode;

/**
 * The state machine's "Create import job" task: creates the job of an execution that started without one.
 *
 * <p>Input: {@code {"input": <execution state>, "executionName": "...", "executionStartTime": "<ISO-8601>"}} where
 * the state is a queued import from the trigger ({@code createRequest}), or an operator's {@code {"bucket","key"}} or
 * {@code {"dataLocation","datasetArn"}}, confined to the routes. Output: the execution's new state, a
 * {@link MonitorInput} naming the job. Everything else ends as one of the named exceptions of
 * {@code io.personalizeimport.lambdas.errors}; transient errors are retried by the state machine until the monitor
 * deadline.
 */
public final class CreateHandler implements RequestStreamHandler {

    private static final String FORMS = "expected {\"bucket\":\"...\",\"key\":\"...\"}, "
            + "{\"dataLocation\":\"s3://...\",\"datasetArn\":\"...\"} or {\"datasetImportJobArn\":\"...\"}";

    private final PipelineConfig config;
    private final AwsClients clients;
    private final PollPolicy policy;
    private final Clock clock;
    private final ImportService imports;
    private final Ledger ledger;
    private final LaneService lanes;
    private final OutcomeReporter outcomes;

    public CreateHandler() {
        this(Environment.system());
    }

    private CreateHandler(Environment env) {
        this(PipelineConfig.from(env), AwsClients.forFunction(FunctionSettings.CREATE, env),
                PollPolicy.from(env), LedgerTable.name(env), Clock.systemUTC());
        Priming.register(ImportPriming.create(this, config, clients, ledger, env));
    }

    public CreateHandler(PipelineConfig config, AwsClients clients, PollPolicy policy, String ledgerTable,
                         Clock clock) {
        this.config = config;
        this.clients = clients;
        this.policy = policy;
        this.clock = clock;
        this.imports = new ImportService(config, clients, clock);
        this.ledger = new Ledger(clients.dynamoDb(), ledgerTable, clock);
        this.lanes = new LaneService(config, clients, ledger, imports, clock);
        this.outcomes = new OutcomeReporter(ledger, new EventPublisher(clients::eventBridge, config.eventBusName()),
                clock);
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        output.write(JsonText.write(create(JsonText.parse(input))));
    }

    MonitorInput create(JsonNode event) {
        Instant started = startTime(JsonText.text(event, "executionStartTime"));
        String executionName = Objects.requireNonNullElse(JsonText.text(event, "executionName"), "");
        JsonNode state = JsonText.node(event, "input");
        try {
            if (JsonText.has(state, "createRequest")) {
                ImportSource source = JsonText.has(state, "source")
                        ? TaskInput.read(JsonText.node(state, "source"), ImportSource.class) : null;
                LaneTicket ticket = JsonText.has(state, "lane")
                        ? TaskInput.read(JsonText.node(state, "lane"), LaneTicket.class) : null;
                return createJob(queued(JsonText.node(state, "createRequest")), source, ticket, null);
            }
            return operatorImport(request(state, executionName), executionName, started,
                    JsonText.text(event, "stateMachineArn"));
        } catch (AwsCallException e) {
            if (e.kind() == ErrorKind.TRANSIENT && started != null) {
                Duration elapsed = Duration.between(started, clock.instant());
                if (policy.pastDeadline(elapsed)) {
                    throw new MonitorDeadlineExceededException("No import job was created within the monitor deadline "
                            + policy.deadline() + "; last error: " + e.getMessage(), e);
                }
            }
            throw e.escalate();
        }
    }

    /** Creates the job; {@code head} is its file's read when this invocation made one, null otherwise. */
    private MonitorInput createJob(ImportRequest request, ImportSource source, LaneTicket ticket,
                                   Preflight.ObjectHead head) {
        return switch (imports.start(request, source, head)) {
            case ImportOutcome.Rejected rejected -> throw new DatasetImportRejectedException(rejected.reason());
            case ImportOutcome.Created job ->
                    new MonitorInput(job.datasetImportJobArn(), request, source, null, ticket, null);
            case ImportOutcome.Deferred deferred -> throw switch (deferred.reason()) {
                case DATASET_BUSY -> new DatasetBusyException(deferred.message());
                case JOB_LIMIT -> new ImportJobLimitExceededException(deferred.message());
            };
        };
    }

    /**
     * An operator's import takes its place in the dataset's lane like an uploaded file, placed at the execution's start:
     * on a free lane this execution runs it; on a busy one it waits in the ledger and runs later in an execution of its
     * own, which this one names in its output.
     */
    private MonitorInput operatorImport(Import request, String executionName, Instant started, String stateMachineArn) {
        if (stateMachineArn == null || stateMachineArn.isEmpty()) {
            throw new InvalidImportRequestException("The create task's input has no stateMachineArn: expected the "
                    + "state machine to pass $$.StateMachine.Id (update the state machine definition)");
        }
        ImportRequest job = request.request();
        S3Location location = S3Location.parse(job.dataLocation());
        ImportSource source = request.source();
        FileEntry entry = new FileEntry(job.datasetArn(), source.route(), location.bucket(), location.key(),
                source.versionId(), source.eTag(), source.size() == null ? -1 : source.size(),
                "console-" + executionName, started == null ? clock.instant() : started, job.importMode(),
                FileStatus.PENDING, job.jobName(), executionName, null, null, null);
        ledger.record(entry);
        LaneService.Advance advanced = lanes.advance(entry.datasetArn(), stateMachineArn, executionName,
                request.head());
        // Planning may have superseded waiting files: their events go out before this task goes on.
        outcomes.drain(entry.datasetArn());
        if (advanced instanceof LaneService.Advance.Claimed claimed) {
            MonitorInput input = claimed.input();
            return createJob(input.createRequest(), input.source(), input.lane(), claimed.head());
        }
        FileEntry now = ledger.file(entry.datasetArn(), Ledger.sortKey(entry)).orElse(entry);
        if (now.status() == FileStatus.SUPERSEDED) {
            throw new DatasetImportSupersededException(job.dataLocation() + " was superseded in the lane of "
                    + job.datasetArn() + " by " + now.supersededBy() + ": " + now.reason());
        }
        Lane lane = ledger.lane(entry.datasetArn());
        String behind = lane.isBusy() ? lane.running().jobName() : null;
        Log.info("Operator's import waits in its lane", "dataLocation", job.dataLocation(), "datasetArn",
                job.datasetArn(), "behind", behind, "jobName", job.jobName());
        return new MonitorInput(null, job, source, null, null,
                new MonitorInput.Queued(job.dataLocation(), job.datasetArn(), behind, job.jobName()));
    }

    /** An import to create and where it came from. */
    /** An operator's import, with its file's read when it names one object (null for a location). */
    private record Import(ImportRequest request, ImportSource source, Preflight.ObjectHead head) {
    }

    private Import request(JsonNode state, String executionName) {
        if (!state.isObject()) {
            throw new InvalidImportRequestException("Execution input is " + state + ": " + FORMS);
        }
        if (JsonText.has(state, "bucket") || JsonText.has(state, "key")) {
            return fromObject(text(state, "bucket", null), text(state, "key", null));
        }
        if (JsonText.has(state, "dataLocation") || JsonText.has(state, "datasetArn")) {
            return fromLocation(state, executionName);
        }
        throw new InvalidImportRequestException("Execution input has none of the fields the import monitor reads: "
                + FORMS + "; got " + state);
    }

    private ImportRequest queued(JsonNode node) {
        ImportRequest request = TaskInput.read(node, ImportRequest.class);
        if (request.jobName() == null || request.datasetArn() == null || request.dataLocation() == null
                || request.roleArn() == null) {
            throw new InvalidImportRequestException("createRequest " + node
                    + " is incomplete: expected jobName, datasetArn, dataLocation and roleArn");
        }
        return request;
    }

    private Import fromObject(String bucket, String key) {
        if (bucket == null || key == null) {
            throw new InvalidImportRequestException("Execution input names a bucket or a key but not both: " + FORMS);
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
        Preflight.ObjectHead head = imports.head(bucket, key, config.preflight() ? Preflight.HEAD_BYTES : 1)
                .orElseThrow(() -> new InvalidImportRequestException("Object s3://" + bucket + "/" + key
                        + " does not exist: expected an uploaded CSV file"));
        S3Object object = head.object();
        return new Import(ImportRequest.forObject(route, object), ImportSource.of(object, route.name()), head);
    }

    /**
     * An operator's import of a file or folder: only into a dataset a route names, from under that route's prefix, with
     * that route's role, so a console execution can do nothing the uploads could not.
     */
    private Import fromLocation(JsonNode state, String executionName) {
        String dataLocation = text(state, "dataLocation", Patterns.DATA_LOCATION);
        String datasetArn = text(state, "datasetArn", Patterns.DATASET_ARN);
        if (dataLocation == null || datasetArn == null) {
            throw new InvalidImportRequestException("Execution input needs both dataLocation and datasetArn: " + FORMS);
        }
        S3Location location = S3Location.parse(dataLocation);
        checkBucket(location.bucket());
        Route route = config.routes().routes().stream()
                .filter(candidate -> candidate.datasetArn().equals(datasetArn) && candidate.matches(location.key()))
                .findFirst()
                .orElseThrow(() -> new InvalidImportRequestException("Importing " + dataLocation + " into "
                        + datasetArn + " is not allowed: a console import must read from under a routed prefix into "
                        + "that route's dataset; allowed: " + allowed()));
        String roleArn = text(state, "roleArn", Patterns.ROLE_ARN);
        if (roleArn != null && !roleArn.equals(route.roleArn())) {
            throw new InvalidImportRequestException("roleArn '" + roleArn + "' is not the role of route '"
                    + route.name() + "': expected no roleArn, or " + route.roleArn());
        }
        ImportMode mode = route.importMode();
        String rawMode = text(state, "importMode", null);
        if (rawMode != null) {
            try {
                mode = ImportMode.valueOf(rawMode);
            } catch (IllegalArgumentException e) {
                throw new InvalidImportRequestException("importMode is '" + rawMode + "': expected FULL or INCREMENTAL");
            }
        }
        String jobName = text(state, "jobName", Patterns.JOB_NAME);
        if (jobName == null) {
            jobName = JobNames.forRequest(route.name(), dataLocation, datasetArn, executionName);
        }
        Map<String, String> tags = route.tags();
        ImportRequest request = new ImportRequest(jobName, datasetArn, dataLocation, route.roleArn(), mode, tags,
                route.publishAttributionMetricsToS3());
        return new Import(request, new ImportSource(location.bucket(), location.key(), null, null, null, route.name()),
                null);
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

    /** When the execution started; absent in executions started before the field was passed, which skip the check. */
    private static Instant startTime(String text) {
        if (text == null || text.isEmpty()) {
            return null;
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new InvalidImportRequestException("executionStartTime '" + text + "' is not an ISO-8601 instant", e);
        }
    }

    private static String text(JsonNode node, String field, Pattern pattern) {
        JsonNode value = JsonText.node(node, field);
        if (value.isNull()) {
            return null;
        }
        if (!value.isString() || value.asString().isBlank()) {
            throw new InvalidImportRequestException(field + " is " + value + ": expected a non-empty string");
        }
        String text = value.asString();
        if (pattern != null && !pattern.matcher(text).matches()) {
            throw new InvalidImportRequestException(field + " '" + text + "' does not match " + pattern.pattern());
        }
        return text;
    }
}
