package io.personalizeimport.lambdas;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import io.personalizeimport.lambdas.aws.AwsCallException;
import io.personalizeimport.lambdas.aws.AwsClients;
import io.personalizeimport.lambdas.config.Environment;
import io.personalizeimport.lambdas.config.PipelineConfig;
import io.personalizeimport.lambdas.config.Route;
import io.personalizeimport.lambdas.domain.MonitorInput.FolderWatch;
import io.personalizeimport.lambdas.domain.MonitorInput.LaneTicket;
import io.personalizeimport.lambdas.errors.InvalidImportRequestException;
import io.personalizeimport.lambdas.ledger.FileEntry;
import io.personalizeimport.lambdas.ledger.FileStatus;
import io.personalizeimport.lambdas.ledger.Ledger;
import io.personalizeimport.lambdas.ledger.LedgerTable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

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

    private final PipelineConfig config;
    private final AwsClients clients;
    private final Ledger ledger;
    private final LaneService lanes;

    public LaneHandler() {
        this(Environment.system());
    }

    private LaneHandler(Environment env) {
        this(PipelineConfig.from(env, Json.MAPPER), AwsClients.forFunction(FunctionSettings.LANE, env),
                LedgerTable.name(env), Clock.systemUTC());
        Priming.register(ImportPriming.lane(this, config, clients, ledger, env));
    }

    public LaneHandler(PipelineConfig config, AwsClients clients, String ledgerTable, Clock clock) {
        this.config = config;
        this.clients = clients;
        this.ledger = new Ledger(clients.dynamoDb(), ledgerTable, clock);
        this.lanes = new LaneService(config, clients, ledger, new ImportService(config, clients, clock), clock);
    }

    /**
     * What the task did.
     *
     * @param outcome the status its files ended with
     * @param files the files it carried
     * @param next the job the lane runs next, or null when nothing waits or another import holds the lane
     */
    public record Released(String datasetArn, FileStatus outcome, List<String> files, String next) {
    }

    /**
     * A folder watch's finding: {@code complete} when the marker came; otherwise {@code cause} says which folder waits
     * and what to do.
     */
    public record FolderCheck(boolean complete, String cause) {
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        JsonNode event = Json.MAPPER.readTree(input);
        JsonNode node = event == null ? Json.MAPPER.nullNode() : event;
        Object result = node.path("input").hasNonNull("folderWatch") ? checkFolder(node) : release(node);
        Json.MAPPER.writeValue(output, result);
    }

    /** The "Check the folder's marker" task of a folder watch. */
    FolderCheck checkFolder(JsonNode event) {
        FolderWatch watch = Json.MAPPER.convertValue(event.path("input").path("folderWatch"), FolderWatch.class);
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

    Released release(JsonNode event) {
        JsonNode ticketNode = event.path("input").path("lane");
        String executionName = event.path("executionName").asText("");
        String stateMachineArn = event.path("stateMachineArn").asText("");
        if (executionName.isEmpty() || stateMachineArn.isEmpty()) {
            throw new InvalidImportRequestException("The lane task needs executionName and stateMachineArn; got "
                    + event);
        }
        LaneTicket ticket = ticketNode.isObject() ? Json.MAPPER.convertValue(ticketNode, LaneTicket.class)
                : operatorsTicket(event.path("input"), executionName);
        if (ticket == null) {
            return new Released(null, null, List.of(), null);
        }
        JsonNode verdict = event.path("verdict");
        FileStatus outcome = IMPORTED.equals(verdict.path("outcome").asText()) ? FileStatus.IMPORTED
                : REJECTED_ERROR.equals(verdict.path("error").asText()) ? FileStatus.REJECTED : FileStatus.FAILED;
        String reason = outcome == FileStatus.IMPORTED ? null
                : verdict.path("error").asText("Failed") + ": " + verdict.path("cause").asText("(no cause)");
        String jobName = event.path("input").path("createRequest").path("jobName").asText(null);
        try {
            for (String entry : ticket.entries()) {
                ledger.file(ticket.datasetArn(), entry).ifPresent(file -> settle(file, outcome, jobName, reason));
            }
            String imported = outcome != FileStatus.IMPORTED ? null
                    : ticket.files().size() == 1 ? ticket.files().getFirst()
                    : ticket.files().size() + " files from " + ticket.files().getFirst();
            if (ledger.release(ticket.datasetArn(), executionName, imported, jobName)) {
                Log.info("Lane released", "datasetArn", ticket.datasetArn(), "executionName", executionName,
                        "outcome", outcome, "files", ticket.files().size());
            }
            String next = switch (lanes.advance(ticket.datasetArn(), stateMachineArn, null)) {
                case LaneService.Advance.Started started -> started.running().jobName();
                default -> null;
            };
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
        String datasetArn = input.path("datasetArn").asText(null);
        if (datasetArn == null && input.hasNonNull("key")) {
            datasetArn = config.routes().match(input.path("key").asText()).map(Route::datasetArn).orElse(null);
        }
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

    /** Settles a file and, for a folder, the part files its marker completed. */
    private void settle(FileEntry file, FileStatus outcome, String jobName, String reason) {
        List<FileEntry> settled = new ArrayList<>();
        settled.add(file);
        if (file.isFolder()) {
            ledger.files(file.datasetArn(), FileStatus.PENDING).stream()
                    .filter(part -> file.key().equals(part.folder()) && part.order().compareTo(file.order()) < 0)
                    .forEach(settled::add);
        }
        for (FileEntry each : settled) {
            if (ledger.settle(each.withStatus(outcome, jobName, null, reason))) {
                Log.info("File " + outcome, "key", each.key(), "datasetArn", each.datasetArn(), "jobName", jobName,
                        "reason", reason);
            }
        }
    }
}
