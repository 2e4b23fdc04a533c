package io.personalizeimport.lambdas;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import io.personalizeimport.lambdas.aws.AwsCallException;
import io.personalizeimport.lambdas.aws.AwsClients;
import io.personalizeimport.lambdas.aws.EventPublisher;
import io.personalizeimport.lambdas.config.Environment;
import io.personalizeimport.lambdas.config.PipelineConfig;
import io.personalizeimport.lambdas.config.Route;
import io.personalizeimport.lambdas.domain.MonitorInput.FolderWatch;
import io.personalizeimport.lambdas.domain.MonitorInput.LaneTicket;
import io.personalizeimport.lambdas.errors.InvalidImportRequestException;
import io.personalizeimport.lambdas.events.EventDetail;
import io.personalizeimport.lambdas.events.FileRef;
import io.personalizeimport.lambdas.events.ImportEnded;
import io.personalizeimport.lambdas.events.OutboxEvent;
import io.personalizeimport.lambdas.ledger.FileEntry;
import io.personalizeimport.lambdas.ledger.FileStatus;
import io.personalizeimport.lambdas.ledger.Lane;
import io.personalizeimport.lambdas.ledger.Ledger;
import io.personalizeimport.lambdas.ledger.LedgerTable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import software.amazon.awssdk.protocols.jsoncore.JsonNode;

/**
 * The state machine's "Release dataset lane" task, the last of every execution that held a lane: it records the
 * import's outcome on each of its files, frees the lane, and starts the lane's next import. It is also a folder watch's
 * "Check the folder's marker" task ({@link #checkFolder}).
 *
 * <p>Input: {@code {"input": <execution state with its lane ticket>, "verdict": {"outcome": "IMPORTED" | "FAILED",
 * "error"?, "cause"?}, "executionName": "...", "stateMachineArn": "..."}}. Output: {@link Released}. Every step is
 * idempotent, so transient errors are retried by the state machine.
 */
public final class LaneHandler implements RequestStreamHandler {

    static final String IMPORTED = "IMPORTED";
    static final String REJECTED_ERROR = "DatasetImportRejected";
    /** The detail-type of the events Step Functions sends to EventBridge when an execution's status changes. */
    static final String STATUS_CHANGE = "Step Functions Execution Status Change";

    private final PipelineConfig config;
    private final AwsClients clients;
    private final Ledger ledger;
    private final LaneService lanes;
    private final Clock clock;
    private final OutcomeReporter outcomes;

    public LaneHandler() {
        this(Environment.system());
    }

    private LaneHandler(Environment env) {
        this(PipelineConfig.from(env), AwsClients.forFunction(FunctionSettings.LANE, env),
                LedgerTable.name(env), Clock.systemUTC());
        Priming.register(ImportPriming.lane(this, config, clients, ledger, env));
    }

    public LaneHandler(PipelineConfig config, AwsClients clients, String ledgerTable, Clock clock) {
        this.config = config;
        this.clock = clock;
        this.clients = clients;
        this.ledger = new Ledger(clients.dynamoDb(), ledgerTable, clock);
        this.lanes = new LaneService(config, clients, ledger, new ImportService(config, clients, clock), clock);
        this.outcomes = new OutcomeReporter(ledger, new EventPublisher(clients::eventBridge, config.eventBusName()),
                clock);
    }

    /**
     * What the task did.
     *
     * @param outcome the status its files ended with
     * @param files the files it carried
     * @param next the job the lane runs next, or null when nothing waits or another import holds the lane
     */
    @JsonText.Include(JsonText.Inclusion.ALWAYS)
    public record Released(String datasetArn, FileStatus outcome, List<String> files, String next) {
    }

    /**
     * What a status change of an ended execution led to.
     *
     * @param datasetArn the dataset whose lane the execution's input names, or null when it names none
     * @param resumedIn the execution that took over the lane the ended one held, or null when it held none
     */
    @JsonText.Include(JsonText.Inclusion.ALWAYS)
    public record Recovered(String datasetArn, String executionName, String status, String resumedIn) {
    }

    /**
     * A folder watch's finding: {@code complete} when the marker came; otherwise {@code cause} says which folder waits
     * and what to do.
     */
    @JsonText.Include(JsonText.Inclusion.ALWAYS)
    public record FolderCheck(boolean complete, String cause) {
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        JsonNode event = JsonText.parse(input);
        Object result = STATUS_CHANGE.equals(JsonText.text(event, "detail-type")) ? recover(JsonText.node(event, "detail"))
                : JsonText.has(event, "input", "folderWatch") ? checkFolder(event) : release(event);
        output.write(JsonText.write(result));
    }

    /** The "Check the folder's marker" task of a folder watch. */
    FolderCheck checkFolder(JsonNode event) {
        FolderWatch watch = TaskInput.read(JsonText.node(event, "input", "folderWatch"), FolderWatch.class);
        try {
            if (ledger.isFolderClosed(watch.datasetArn(), watch.folder())) {
                return new FolderCheck(true, null);
            }
            long parts = ledger.files(watch.datasetArn(), FileStatus.PENDING).stream()
                    .filter(file -> watch.folder().equals(file.folder())).count();
            return new FolderCheck(false, "Folder s3://" + watch.bucket() + "/" + watch.folder() + " of route '"
                    + watch.route() + "' has " + parts + " part file(s) waiting but no " + watch.marker() + " marker "
                    + Duration.ofSeconds(watch.waitSeconds()) + " after its first part: it is not imported half; "
                    + "write s3://" + watch.bucket() + "/" + watch.folder() + watch.marker() + " to import it whole");
        } catch (AwsCallException e) {
            throw e.escalate();
        }
    }

    /**
     * Handles the EventBridge event of an execution that stopped, failed or timed out (the stack's rule sends only
     * those): if it still holds its dataset's lane, it ended without releasing it, and its import resumes in a new
     * execution ({@link LaneService#recover}). Executions that released their lane, as every ordinary one does, change
     * nothing.
     */
    Recovered recover(JsonNode detail) {
        String executionName = textOr(detail, "", "name");
        String stateMachineArn = textOr(detail, "", "stateMachineArn");
        String status = textOr(detail, "", "status");
        if (executionName.isEmpty() || stateMachineArn.isEmpty()) {
            throw new InvalidImportRequestException("A status change event needs detail.name and detail.stateMachineArn;"
                    + " got " + detail);
        }
        JsonNode input;
        try {
            input = JsonText.parse(textOr(detail, "{}", "input"));
        } catch (IllegalArgumentException e) {
            throw new InvalidImportRequestException("The input of execution " + executionName
                    + " in its status change event is not JSON: " + e.getMessage());
        }
        String datasetArn = JsonText.text(input, "lane", "datasetArn");
        if (datasetArn == null) {
            datasetArn = datasetOf(input);
        }
        if (datasetArn == null) {
            return new Recovered(null, executionName, status, null);
        }
        try {
            Lane.Running resumed = lanes.recover(datasetArn, stateMachineArn, executionName);
            return new Recovered(datasetArn, executionName, status, resumed == null ? null : resumed.executionName());
        } catch (AwsCallException e) {
            throw e.escalate();
        }
    }

    Released release(JsonNode event) {
        JsonNode ticketNode = JsonText.node(event, "input", "lane");
        String executionName = textOr(event, "", "executionName");
        String stateMachineArn = textOr(event, "", "stateMachineArn");
        if (executionName.isEmpty() || stateMachineArn.isEmpty()) {
            throw new InvalidImportRequestException("The lane task needs executionName and stateMachineArn; got "
                    + event);
        }
        LaneTicket ticket = ticketNode.isObject() ? TaskInput.read(ticketNode, LaneTicket.class)
                : operatorsTicket(JsonText.node(event, "input"), executionName);
        if (ticket == null) {
            return new Released(null, null, List.of(), null);
        }
        JsonNode verdict = JsonText.node(event, "verdict");
        FileStatus outcome = IMPORTED.equals(JsonText.text(verdict, "outcome")) ? FileStatus.IMPORTED
                : REJECTED_ERROR.equals(JsonText.text(verdict, "error")) ? FileStatus.REJECTED : FileStatus.FAILED;
        String reason = outcome == FileStatus.IMPORTED ? null
                : textOr(verdict, "Failed", "error") + ": " + textOr(verdict, "(no cause)", "cause");
        String jobName = JsonText.text(event, "input", "createRequest", "jobName");
        String executionArn = MonitorStarter.executionArn(stateMachineArn, executionName);
        try {
            List<FileEntry> carried = new ArrayList<>();
            for (String entry : ticket.entries()) {
                ledger.file(ticket.datasetArn(), entry).ifPresent(file -> {
                    carried.add(file);
                    settle(file, outcome, jobName, reason, executionArn);
                });
            }
            String imported = outcome != FileStatus.IMPORTED ? null
                    : ticket.files().size() == 1 ? ticket.files().getFirst()
                    : ticket.files().size() + " files from " + ticket.files().getFirst();
            // A rejected file was reported on its own; an import that ran (or was meant to) is reported as a whole.
            OutboxEvent ended = outcome == FileStatus.REJECTED || jobName == null ? null
                    : OutcomeReporter.ended(importEnded(event, ticket, carried, jobName, executionArn, verdict,
                            clock.instant()));
            if (ledger.release(ticket.datasetArn(), executionName, imported, jobName, ended)) {
                Log.info("Lane released", "datasetArn", ticket.datasetArn(), "executionName", executionName,
                        "outcome", outcome, "files", ticket.files().size());
            }
            String next = switch (lanes.advance(ticket.datasetArn(), stateMachineArn, null)) {
                case LaneService.Advance.Started started -> started.running().jobName();
                default -> null;
            };
            outcomes.drain(ticket.datasetArn());
            outcomes.waiting(ticket.datasetArn(), (int) ledger.files(ticket.datasetArn(), FileStatus.PENDING).stream()
                    .filter(file -> !file.isPart()).count());
            return new Released(ticket.datasetArn(), outcome, ticket.files(), next);
        } catch (AwsCallException e) {
            throw e.escalate();
        }
    }

    /**
     * The files an operator's execution placed in its lane, when it ended before its create task handed it a ticket
     * (the import was refused, or the request invalid): their dataset follows from the input as the create task read
     * it, and they carry this execution's name. Null when there are none.
     */
    private LaneTicket operatorsTicket(JsonNode input, String executionName) {
        String datasetArn = datasetOf(input);
        if (datasetArn == null) {
            return null;
        }
        List<FileEntry> mine = new ArrayList<>();
        try {
            for (FileStatus status : List.of(FileStatus.PENDING, FileStatus.IMPORTING)) {
                ledger.files(datasetArn, status).stream()
                        .filter(file -> executionName.equals(file.executionName())).forEach(mine::add);
            }
        } catch (AwsCallException e) {
            throw e.escalate();
        }
        return new LaneTicket(datasetArn, mine.stream().map(Ledger::sortKey).toList(),
                mine.stream().map(FileEntry::key).toList());
    }

    /** The dataset an operator's input names, directly or by its key's route; null when it names none. */
    private String datasetOf(JsonNode input) {
        String datasetArn = JsonText.text(input, "datasetArn");
        String key = JsonText.text(input, "key");
        if (datasetArn == null && key != null) {
            datasetArn = config.routes().match(key).map(Route::datasetArn).orElse(null);
        }
        return datasetArn;
    }

    /**
     * The import's end as its event reports it: the job as the describe task last saw it ({@code $.monitor}), the files,
     * the verdict, and how long the first file waited for the job.
     */
    private static ImportEnded importEnded(JsonNode event, LaneTicket ticket, List<FileEntry> files, String jobName,
                                           String executionArn, JsonNode verdict, Instant now) {
        JsonNode input = JsonText.node(event, "input");
        JsonNode job = JsonText.node(input, "monitor", "datasetImportJob");
        JsonNode request = JsonText.node(input, "createRequest");
        String createdAt = JsonText.text(job, "creationDateTime");
        String endedAt = JsonText.text(job, "lastUpdatedDateTime");
        Long duration = createdAt == null || endedAt == null ? null
                : Duration.between(Instant.parse(createdAt), Instant.parse(endedAt)).toSeconds();
        Instant firstWrite = files.stream().map(FileEntry::eventTime).min(Instant::compareTo).orElse(null);
        Long wait = createdAt == null || firstWrite == null || firstWrite.equals(Instant.EPOCH) ? null
                : Math.max(0, Duration.between(firstWrite, Instant.parse(createdAt)).toSeconds());
        boolean succeeded = IMPORTED.equals(JsonText.text(verdict, "outcome"));
        String route = files.isEmpty() ? null : files.getFirst().route();
        return new ImportEnded(EventDetail.SCHEMA_VERSION,
                EventDetail.idOf(succeeded ? ImportEnded.SUCCEEDED : ImportEnded.FAILED, jobName + "\n" + executionArn),
                ticket.datasetArn(), route, jobName,
                text(job, "datasetImportJobArn", text(input, "datasetImportJobArn", null)),
                text(request, "importMode", text(job, "importMode", null)),
                text(request, "dataLocation", text(job, "dataLocation", null)),
                text(job, "status", null), files.stream().map(FileRef::of).toList(), ticket.files().size(),
                executionArn, createdAt, endedAt, duration, wait,
                JsonText.has(job, "polls") ? JsonText.number(job, 0, "polls") : null,
                endedAt == null ? null : Math.max(0, Duration.between(Instant.parse(endedAt), now).toSeconds()),
                succeeded ? null : textOr(verdict, "Failed", "error"),
                succeeded ? null : textOr(verdict, "(no cause)", "cause"));
    }

    /** The non-empty text of a field, or {@code fallback}. */
    private static String text(JsonNode node, String field, String fallback) {
        String value = JsonText.text(node, field);
        return value == null || value.isEmpty() ? fallback : value;
    }

    /** The text at {@code path}, or {@code fallback} when there is none. */
    private static String textOr(JsonNode node, String fallback, String... path) {
        return Objects.requireNonNullElse(JsonText.text(node, path), fallback);
    }

    /** Settles a file and, for a folder, the part files its marker completed. */
    private void settle(FileEntry file, FileStatus outcome, String jobName, String reason, String executionArn) {
        List<FileEntry> settled = new ArrayList<>();
        settled.add(file);
        if (file.isFolder()) {
            ledger.files(file.datasetArn(), FileStatus.PENDING).stream()
                    .filter(part -> file.key().equals(part.folder()) && part.order().compareTo(file.order()) < 0)
                    .forEach(settled::add);
        }
        for (FileEntry each : settled) {
            OutboxEvent rejected = outcome == FileStatus.REJECTED && each == file
                    ? OutcomeReporter.rejected(each, reason, executionArn) : null;
            if (ledger.settle(each.withStatus(outcome, jobName, null, reason), rejected)) {
                Log.info("File " + outcome, "key", each.key(), "datasetArn", each.datasetArn(), "jobName", jobName,
                        "reason", reason);
            }
        }
    }
}
