package io.personalizeimport.local.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.personalizeimport.lambdas.config.Route;
import io.personalizeimport.lambdas.lane.Lane;
import io.personalizeimport.lambdas.ledger.Ledger;
import io.personalizeimport.local.cli.ExecutionView;
import io.personalizeimport.local.cli.HistoryEntry;
import io.personalizeimport.local.ledger.LedgerFile;
import io.personalizeimport.local.ledger.LedgerListing;
import io.personalizeimport.local.stack.OnePartFolder;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionDoesNotExistException;
import software.amazon.awssdk.services.sfn.model.ExecutionListItem;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.HistoryEvent;

/**
 * What the console page shows, read only through the stack's public APIs: executions and their histories from Step
 * Functions, files and lanes from the import ledger (through the readers {@code local/run files} uses), record counts
 * from the Personalize emulator's admin endpoint; and the one write, a CSV put under a route's prefix in S3.
 */
public final class ConsoleApi {

    /** The largest CSV the page may upload: an INCREMENTAL import takes up to 1 GB, a laptop's page far less. */
    public static final long MAX_UPLOAD_BYTES = 64L * 1024 * 1024;

    /** A file name the page may upload: no folders, no spaces, a .csv suffix as the routes' notifications match. */
    private static final Pattern FILE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,199}\\.(csv|CSV)");
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** Where the API reads and writes. */
    public record Sources(SfnClient sfn, DynamoDbClient dynamoDb, S3Client s3, URI personalizeEndpoint,
                          String stateMachineArn, String bucket, String ledgerTable, List<Route> routes) {
    }

    /** One route as the page offers it for uploads. */
    public record RouteSummary(String name, String prefix, String datasetArn, String dataset, String importMode,
                               String group, String marker) {
    }

    /** One execution: its list view, its input and output, its events and the definition it runs. */
    public record ExecutionDetail(ExecutionView view, String startDate, String stopDate, String input, String output,
                                  List<HistoryEntry> events, String definition) {
    }

    /** The import holding a lane. */
    public record RunningImport(String jobName, String executionName, List<String> keys, String claimedAt) {
    }

    /** One dataset's lane: what imports now, what waits, what was imported last, and how many records it holds. */
    public record DatasetLane(String datasetArn, String dataset, String datasetType, List<String> routes,
                              RunningImport running, List<LedgerFile> waiting, LedgerFile lastImported,
                              Long recordCount, String lastImportJobArn) {
    }

    /** Where an upload went. */
    public record Upload(String route, String bucket, String key, String markerKey, String datasetArn, long size) {
    }

    /**
     * An uploaded file as the page follows it: its ledger entry once the notification arrived, and the execution the
     * entry names once Step Functions has started it (the ledger names an execution a moment before it exists).
     */
    public record Following(LedgerFile entry, ExecutionView execution) {
    }

    private final Sources sources;
    private final Ledger ledger;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    /** Views of ended executions, which no longer change. */
    private final Map<String, ExecutionView> ended = new ConcurrentHashMap<>();
    private volatile String definition;

    public ConsoleApi(Sources sources) {
        this.sources = sources;
        this.ledger = new Ledger(sources.dynamoDb(), sources.ledgerTable(), Clock.systemUTC());
    }

    public List<RouteSummary> routes() {
        return sources.routes().stream().map(route -> new RouteSummary(route.name(), route.prefix(),
                route.datasetArn(), ExecutionView.datasetName(route.datasetArn()), route.importMode().name(),
                route.group().name(), route.group() == Route.Group.FOLDER ? route.marker() : null)).toList();
    }

    /**
     * The executions, newest first, as {@code local/run executions} shows them.
     *
     * @param status a Step Functions execution status, or null for all
     * @param dataset a dataset's {@code group/TYPE} or ARN, or null for all
     */
    public List<ExecutionView> executions(String status, String dataset) {
        ExecutionStatus filter = null;
        if (status != null) {
            filter = ExecutionStatus.fromValue(status);
            if (filter == ExecutionStatus.UNKNOWN_TO_SDK_VERSION) {
                throw new BadRequestException("Unknown status '" + status + "': expected one of "
                        + ExecutionStatus.knownValues());
            }
        }
        ExecutionStatus statusFilter = filter;
        String datasetName = dataset == null ? null : ExecutionView.datasetName(dataset);
        List<ExecutionView> views = new ArrayList<>();
        for (ExecutionListItem item : sources.sfn().listExecutionsPaginator(request -> request
                .stateMachineArn(sources.stateMachineArn()).statusFilter(statusFilter)).executions()) {
            ExecutionView view = view(item.executionArn());
            if (datasetName == null || datasetName.equals(view.dataset())) {
                views.add(view);
            }
        }
        return views;
    }

    private ExecutionView view(String executionArn) {
        ExecutionView known = ended.get(executionArn);
        if (known != null) {
            return known;
        }
        ExecutionView view = ExecutionView.read(sources.sfn(), executionArn);
        if (!view.running()) {
            ended.put(executionArn, view);
        }
        return view;
    }

    /** One execution by name or ARN, with its whole history and the state machine's definition. */
    public ExecutionDetail execution(String nameOrArn) {
        String arn = ExecutionView.executionArn(sources.stateMachineArn(), nameOrArn);
        try {
            DescribeExecutionResponse described = sources.sfn().describeExecution(request -> request.executionArn(arn));
            List<HistoryEvent> history = sources.sfn().getExecutionHistoryPaginator(request -> request.executionArn(arn))
                    .events().stream().toList();
            List<HistoryEntry> events = history.stream().map(HistoryEntry::of).toList();
            return new ExecutionDetail(ExecutionView.of(arn, described, history.reversed()),
                    described.startDate().toString(),
                    described.stopDate() == null ? null : described.stopDate().toString(), described.input(),
                    described.output(), events, definition());
        } catch (ExecutionDoesNotExistException e) {
            throw new NotFoundException("No execution " + nameOrArn + " on " + sources.stateMachineArn());
        }
    }

    /**
     * The newest ledger entry of an uploaded file, or of its folder when the upload wrote a marker, and its execution.
     * Either is null until it exists, so the page can poll this while the file makes its way, without error answers.
     */
    public Following following(String key, String markerKey) {
        String watched = markerKey == null ? key : key.substring(0, key.lastIndexOf('/') + 1);
        LedgerFile entry = files().stream().filter(file -> file.key().equals(watched) || file.key().equals(key))
                .reduce((older, newer) -> newer).orElse(null);
        String name = entry == null ? null : entry.executionName() != null ? entry.executionName() : entry.jobName();
        if (name == null) {
            return new Following(entry, null);
        }
        try {
            return new Following(entry, view(ExecutionView.executionArn(sources.stateMachineArn(), name)));
        } catch (ExecutionDoesNotExistException e) {
            return new Following(entry, null);
        }
    }

    /** The definition the state machine runs, as DescribeStateMachine gives it: the page draws what runs. */
    public String definition() {
        if (definition == null) {
            definition = sources.sfn().describeStateMachine(request -> request
                    .stateMachineArn(sources.stateMachineArn())).definition();
        }
        return definition;
    }

    /** Every file of the import ledger, in lane order, as {@code local/run files --json} lists them. */
    public List<LedgerFile> files() {
        return LedgerListing.files(sources.dynamoDb(), sources.ledgerTable(), null);
    }

    /** The lane of every dataset a route names, with the emulator's record count of the dataset. */
    public List<DatasetLane> datasets() {
        Map<String, JsonNode> emulated = emulatorDatasets();
        Set<String> arns = new LinkedHashSet<>();
        sources.routes().forEach(route -> arns.add(route.datasetArn()));
        List<DatasetLane> lanes = new ArrayList<>();
        for (String arn : arns) {
            Lane lane = ledger.lane(arn);
            List<LedgerFile> files = LedgerListing.files(sources.dynamoDb(), sources.ledgerTable(), arn);
            RunningImport running = null;
            if (lane.isBusy()) {
                Set<String> entries = Set.copyOf(lane.running().entries());
                running = new RunningImport(lane.running().jobName(), lane.running().executionName(),
                        files.stream().filter(file -> entries.contains(Ledger.FILE_SK_PREFIX + file.order()))
                                .map(LedgerFile::key).toList(),
                        lane.running().claimedAt() == null ? null : lane.running().claimedAt().toString());
            }
            List<LedgerFile> waiting = files.stream().filter(file -> "PENDING".equals(file.status())).toList();
            LedgerFile lastImported = files.stream().filter(file -> "IMPORTED".equals(file.status()))
                    .max(Comparator.comparing(file -> file.updatedAt() == null ? "" : file.updatedAt())).orElse(null);
            JsonNode counts = emulated.getOrDefault(arn, MAPPER.missingNode());
            lanes.add(new DatasetLane(arn, ExecutionView.datasetName(arn), counts.path("datasetType").asText(null),
                    sources.routes().stream().filter(route -> route.datasetArn().equals(arn)).map(Route::name).toList(),
                    running, waiting, lastImported,
                    counts.path("recordCount").isNumber() ? counts.path("recordCount").asLong() : null,
                    counts.path("lastImportJobArn").asText(null)));
        }
        return lanes;
    }

    /** The emulator's {@code GET /_emulator/datasets}, by dataset ARN. */
    private Map<String, JsonNode> emulatorDatasets() {
        HttpRequest request = HttpRequest.newBuilder(sources.personalizeEndpoint().resolve("/_emulator/datasets"))
                .timeout(Duration.ofSeconds(5)).GET().build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new StackUnavailableException("The Personalize emulator answered " + response.statusCode()
                        + " to GET /_emulator/datasets, expected 200: " + response.body(), null);
            }
            Map<String, JsonNode> datasets = new HashMap<>();
            MAPPER.readTree(response.body()).path("datasets").forEach(node ->
                    datasets.put(node.path("datasetArn").asText(), node));
            return datasets;
        } catch (IOException e) {
            throw new StackUnavailableException("The Personalize emulator cannot be read: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StackUnavailableException("Interrupted while reading the Personalize emulator", e);
        }
    }

    /**
     * Puts a CSV under the prefix of the route {@code routeName}, where the stack's S3 notifications take it to the
     * trigger; through a folder route it is a folder of one part, completed by its marker at once, as
     * {@code local/run import} does.
     */
    public Upload upload(String routeName, String fileName, byte[] content) {
        Route route = sources.routes().stream().filter(candidate -> candidate.name().equals(routeName)).findFirst()
                .orElseThrow(() -> new BadRequestException("Unknown route '" + routeName + "': expected one of "
                        + sources.routes().stream().map(Route::name).toList()));
        if (fileName == null || !FILE_NAME.matcher(fileName).matches()) {
            throw new BadRequestException("The file name '" + fileName + "' is not a CSV file name: expected letters,"
                    + " digits, '.', '_' or '-' ending in .csv, e.g. clicks-2025-06-01.csv");
        }
        if (content.length == 0) {
            throw new BadRequestException("The file " + fileName + " is empty: a CSV needs a header row and records");
        }
        String folder = route.group() == Route.Group.FOLDER
                ? OnePartFolder.under(route.prefix(), "console", Instant.now()) : null;
        String key = (folder != null ? folder : route.prefix()) + fileName;
        sources.s3().putObject(request -> request.bucket(sources.bucket()).key(key).contentType("text/csv"),
                RequestBody.fromBytes(content));
        String markerKey = null;
        if (folder != null) {
            markerKey = folder + route.marker();
            String marker = markerKey;
            sources.s3().putObject(request -> request.bucket(sources.bucket()).key(marker), RequestBody.empty());
        }
        return new Upload(route.name(), sources.bucket(), key, markerKey, route.datasetArn(), content.length);
    }
}
