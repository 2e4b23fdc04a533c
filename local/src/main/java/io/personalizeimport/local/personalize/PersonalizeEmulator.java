package io.personalizeimport.local.personalize;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.personalizeimport.local.faults.Fault;
import io.personalizeimport.local.faults.FaultInjector;
import io.personalizeimport.local.faults.FaultJson;
import io.personalizeimport.local.faults.FaultStats;
import io.personalizeimport.local.http.LoopbackOnly;
import io.personalizeimport.local.personalize.errors.InjectedFaultException;
import io.personalizeimport.local.personalize.errors.PersonalizeError;
import io.personalizeimport.local.personalize.errors.RequestTooLargeException;
import io.personalizeimport.local.personalize.errors.SerializationException;
import io.personalizeimport.local.personalize.errors.UnknownOperationException;
import io.personalizeimport.local.s3.LocalS3;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

/**
 * A local Amazon Personalize endpoint for dataset groups, schemas, datasets, dataset import and export jobs and data
 * deletion jobs, speaking the service's wire protocol (awsJson1.1: {@code POST /} with
 * {@code X-Amz-Target: AmazonPersonalize.<Operation>}), so the AWS SDK's {@code PersonalizeClient} works against it
 * unchanged. Signatures are accepted unchecked; the
 * caller's region is taken from the SigV4 credential scope.
 *
 * <p>Import jobs really read their CSV data from S3 (see {@link Builder#s3Endpoint(URI)}) and check it against the
 * dataset's schema, moving CREATE PENDING -> CREATE IN_PROGRESS -> ACTIVE | CREATE FAILED, one
 * {@link Builder#stepMillis(long) step} per waiting status. With a {@link Builder#dataDir(Path) data directory} the
 * state survives a restart and unfinished jobs carry on. Each dataset keeps its records' values, and export jobs write
 * them back to S3 as CSV parts ({@link ExportCsv}) on the same timing. Data deletion jobs read a CSV of
 * {@code USER_ID}s from S3 and remove those users' records from their group's users, interactions and action
 * interactions datasets, PENDING -> IN_PROGRESS -> COMPLETED | FAILED on the same timing
 * ({@link DataDeletionJobRunner}).
 *
 * <p>Admin endpoints on the same port, outside the AWS API:
 * <ul>
 *   <li>{@code GET /_emulator/datasets}: each dataset's ARN, type, record count and last successful job;</li>
 *   <li>{@code GET /_emulator/stats}: how the region's quota of five unfinished import jobs was used since start,
 *       {@code {"maxUnfinishedImportJobs": N, "limitExceededAnswers": M, "importJobsCreated": K}}
 *       ({@link ImportJobStats}), and {@code "dataDeletionJobsCreated"};</li>
 *   <li>{@code GET /_emulator/import-jobs}: {@code {"importJobs": [...]}}, each import job's name, dataset, status,
 *       creation and end times ({@link ImportJobSpan}), for the time-integral of the quota's use;</li>
 *   <li>{@code POST /_emulator/faults} with {@code {"operation": "CreateDatasetImportJob" | "*",
 *       "error": "ThrottlingException", "status": 400, "count": 1, "probability": 0.3, "seed": 42,
 *       "latencyMillis": 0, "message": "..."}} (see {@link FaultJson}): the next {@code count} matching calls, or
 *       with a {@code probability} each matching call with that chance, wait {@code latencyMillis} and then, if
 *       {@code error} is given, fail with it ({@code status} defaults to {@link Fault#defaultStatus}: 500 for
 *       InternalFailure, 503 for ServiceUnavailable, else 400);</li>
 *   <li>{@code GET /_emulator/faults} gives the fault seed and every fault armed since the last clear with its
 *       counters ({@code matched}, {@code injected}, {@code remaining}); {@code DELETE /_emulator/faults} clears
 *       them.</li>
 * </ul>
 * The same is available as {@link #injectFault(Fault)}, {@link #faults()}, {@link #clearFaults()},
 * {@link #recordCount(String)} and {@link #importJobStats()}. How overlapping faults combine is described on
 * {@link FaultInjector}.
 *
 * <p>Request bodies are limited to {@value #MAX_REQUEST_BYTES} bytes; a larger one is refused with HTTP 413
 * {@code RequestTooLargeException} before it is read.
 */
public final class PersonalizeEmulator implements AutoCloseable {

    /** Region used when a request carries no SigV4 credential scope. */
    public static final String DEFAULT_REGION = "us-east-1";
    /** Account id in every ARN unless configured. */
    public static final String DEFAULT_ACCOUNT_ID = "000000000000";
    /** Time spent in each of CREATE PENDING and CREATE IN_PROGRESS unless configured. */
    public static final long DEFAULT_STEP_MILLIS = 2_000;
    /**
     * The largest request body accepted. Personalize requests are small (names and ARNs of at most 256 characters,
     * an Avro schema of at most 20,000, up to 200 tags), so anything near this is a broken or hostile client, and
     * refusing it before reading keeps one request from filling the emulator's memory.
     */
    public static final int MAX_REQUEST_BYTES = 1024 * 1024;

    private static final String TARGET_PREFIX = "AmazonPersonalize.";
    private static final String CONTENT_TYPE = "application/x-amz-json-1.1";
    private static final Pattern CREDENTIAL_SCOPE = Pattern.compile("Credential=[^/,\\s]+/\\d{8}/([a-z0-9-]+)/");

    private final ObjectMapper json = new ObjectMapper();
    private final Builder config;
    private final FaultInjector faults;
    private HttpServer server;
    private ExecutorService requestThreads;
    private S3Client s3;
    private EmulatorState state;
    private ImportJobRunner runner;
    private ExportJobRunner exports;
    private DataDeletionJobRunner deletions;
    private PersonalizeApi api;
    private ImportJobCounts counts;

    private PersonalizeEmulator(Builder config) {
        this.config = config;
        this.faults = new FaultInjector(config.faultSeed);
    }

    /** Starts configuring an emulator; every setting has a default. */
    public static Builder builder() {
        return new Builder();
    }

    /** Loads the state, resumes unfinished import jobs and starts serving on 127.0.0.1. */
    public synchronized PersonalizeEmulator start() {
        if (server != null) {
            throw new IllegalStateException("The emulator is already started");
        }
        s3 = s3Client();
        state = new EmulatorState(config.dataDir);
        runner = new ImportJobRunner(state, config.readerWrapper.apply(new CsvImporter(s3)), config.stepMillis,
                config.inProgressMillis < 0 ? config.stepMillis : config.inProgressMillis, config.clock);
        exports = new ExportJobRunner(state, s3, config.stepMillis, config.clock);
        deletions = new DataDeletionJobRunner(state, new UserIdListReader(s3), config.stepMillis, config.clock);
        counts = new ImportJobCounts();
        counts.resumed(state.importJobs().stream().filter(Resources.ImportJob::unfinished).count());
        api = new PersonalizeApi(json, state, runner, exports, deletions, config.clock, config.accountId, counts);
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), config.port), 0);
        } catch (IOException e) {
            runner.close();
            exports.close();
            deletions.close();
            s3.close();
            throw new UncheckedIOException("Cannot listen on 127.0.0.1:" + config.port, e);
        }
        requestThreads = Executors.newVirtualThreadPerTaskExecutor();
        server.setExecutor(requestThreads);
        server.createContext("/", this::serve).getFilters()
                .add(LoopbackOnly.taking("application/x-amz-json-1.1").anyTypeUnder("/_emulator/").filter());
        server.start();
        state.importJobs().stream().filter(Resources.ImportJob::unfinished).forEach(job -> {
            EmulatorLog.info("resuming job " + job.jobName() + " (" + job.status() + ")");
            runner.resume(job);
        });
        state.exportJobs().stream().filter(Resources.ExportJob::unfinished).forEach(job -> {
            EmulatorLog.info("resuming export job " + job.jobName() + " (" + job.status() + ")");
            exports.resume(job);
        });
        state.dataDeletionJobs().stream().filter(Resources.DataDeletionJob::unfinished).forEach(job -> {
            EmulatorLog.info("resuming data deletion job " + job.jobName() + " (" + job.status() + ")");
            deletions.resume(job);
        });
        EmulatorLog.info("listening on " + endpoint() + (config.dataDir == null ? " (in memory)"
                : " (state in " + config.dataDir + ")") + ", fault seed " + faults.seed());
        return this;
    }

    /** The URL to give a Personalize client as endpoint override, e.g. {@code http://127.0.0.1:45678}. */
    public synchronized URI endpoint() {
        if (server == null) {
            throw new IllegalStateException("The emulator is not started");
        }
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** Arms a fault for the coming requests (see the class comment); returns its counters. */
    public FaultStats injectFault(Fault fault) {
        FaultStats armed = faults.arm(Objects.requireNonNull(fault, "fault"));
        EmulatorLog.info("fault " + armed.id() + " injected: " + fault);
        return armed;
    }

    /** The injected faults with uses left, each {@code count} being the uses left. */
    public List<Fault> activeFaults() {
        return faults.active();
    }

    /** Every fault armed since the last clear, exhausted ones included, with how often each was injected. */
    public List<FaultStats> faults() {
        return faults.stats();
    }

    /** The seed that faults without their own derive theirs from (see {@link Builder#faultSeed(long)}). */
    public long faultSeed() {
        return faults.seed();
    }

    /** Removes every injected fault. */
    public void clearFaults() {
        faults.clear();
    }

    /** The number of records successful imports left in the dataset; throws if there is no such dataset. */
    public long recordCount(String datasetArn) {
        return requireStarted().dataset(datasetArn)
                .orElseThrow(() -> new IllegalArgumentException("No dataset " + datasetArn))
                .recordCount();
    }

    /** The dataset's records as they are now, each keyed by its schema's field names; for tests of this package. */
    List<Map<String, String>> records(String datasetArn) {
        return requireStarted().records(datasetArn);
    }

    /** How the region's quota of import jobs was used since this emulator started ({@code GET /_emulator/stats}). */
    public synchronized ImportJobStats importJobStats() {
        requireStarted();
        return counts.snapshot();
    }

    /** Every import job's span in the quota, in the order of creation ({@code GET /_emulator/import-jobs}). */
    public List<ImportJobSpan> importJobTimeline() {
        return requireStarted().importJobs().stream()
                .map(job -> new ImportJobSpan(job.jobName(), job.datasetArn(), job.status(), job.created(),
                        job.unfinished() ? null : job.updated()))
                .sorted(Comparator.comparingLong(ImportJobSpan::createdMillis))
                .toList();
    }

    /** Stops serving and scheduling; whatever a job step was writing is written before this returns. */
    @Override
    public synchronized void close() {
        if (server == null) {
            return;
        }
        server.stop(0);
        requestThreads.shutdown();
        runner.close();
        exports.close();
        deletions.close();
        s3.close();
        server = null;
        EmulatorLog.info("stopped");
    }

    private synchronized EmulatorState requireStarted() {
        if (state == null) {
            throw new IllegalStateException("The emulator is not started");
        }
        return state;
    }

    private S3Client s3Client() {
        S3ClientBuilder builder = S3Client.builder()
                .region(Region.of(config.s3Region == null ? config.region : config.s3Region))
                .forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(config.s3AccessKey, config.s3SecretKey)))
                .httpClient(UrlConnectionHttpClient.create());
        if (config.s3Endpoint != null) {
            builder.endpointOverride(config.s3Endpoint);
        }
        return builder.build();
    }

    private void serve(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            if (path.startsWith("/_emulator/")) {
                serveAdmin(exchange, path);
            } else {
                serveApi(exchange);
            }
        }
    }

    private void serveApi(HttpExchange exchange) throws IOException {
        long started = System.nanoTime();
        String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
        String operation = target != null && target.startsWith(TARGET_PREFIX)
                ? target.substring(TARGET_PREFIX.length()) : String.valueOf(target);
        int status;
        String outcome;
        try {
            if (!"POST".equals(exchange.getRequestMethod()) || target == null || !target.startsWith(TARGET_PREFIX)) {
                throw new UnknownOperationException("Expected POST / with header X-Amz-Target: "
                        + TARGET_PREFIX + "<Operation>");
            }
            JsonNode body = readBody(exchange);
            Optional<Fault> fault = faults.draw(operation);
            if (fault.isPresent()) {
                answerFault(fault.get());
            }
            ObjectNode response = api.handle(operation, body, region(exchange));
            send(exchange, 200, withoutNulls(response), Map.of());
            status = 200;
            outcome = "OK";
        } catch (PersonalizeError e) {
            sendError(exchange, e.httpStatus(), e.type(), e.getMessage());
            status = e.httpStatus();
            outcome = e.type() + ": " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            sendError(exchange, 500, "InternalFailure", "The emulator is shutting down");
            status = 500;
            outcome = "interrupted";
        } catch (RuntimeException e) {
            EmulatorLog.error(operation + " failed unexpectedly", e);
            sendError(exchange, 500, "InternalFailure", "Internal emulator error: " + e);
            status = 500;
            outcome = "InternalFailure";
        }
        EmulatorLog.info(operation + " " + status + " " + (System.nanoTime() - started) / 1_000_000 + "ms "
                + outcome);
    }

    private static void answerFault(Fault fault) throws InterruptedException {
        if (fault.latencyMillis() > 0) {
            Thread.sleep(fault.latencyMillis());
        }
        if (fault.error() != null) {
            throw new InjectedFaultException(fault.error(), fault.status(), fault.messageOrDefault());
        }
    }

    private JsonNode readBody(HttpExchange exchange) throws IOException {
        byte[] bytes = readLimited(exchange);
        if (bytes.length == 0) {
            return json.createObjectNode();
        }
        JsonNode body;
        try {
            body = json.readTree(bytes);
        } catch (JsonProcessingException e) {
            throw new SerializationException("The request body is not valid JSON: " + e.getOriginalMessage());
        }
        if (body == null || !body.isObject()) {
            throw new SerializationException("The request body must be a JSON object");
        }
        return body;
    }

    /**
     * Reads at most {@link #MAX_REQUEST_BYTES}: a larger declared length is refused unread, and a body without one
     * (chunked) is cut off at one byte past the limit. The rest is left unread; the server then closes the
     * connection instead of draining it.
     */
    private static byte[] readLimited(HttpExchange exchange) throws IOException {
        String declared = exchange.getRequestHeaders().getFirst("Content-Length");
        if (declared != null && declared.matches("\\d+")
                && (declared.length() > 9 || Long.parseLong(declared) > MAX_REQUEST_BYTES)) {
            throw new RequestTooLargeException("The request body of " + declared + " bytes is larger than the "
                    + "emulator's limit of " + MAX_REQUEST_BYTES + " bytes");
        }
        InputStream in = exchange.getRequestBody();
        byte[] bytes = in.readNBytes(MAX_REQUEST_BYTES + 1);
        if (bytes.length > MAX_REQUEST_BYTES) {
            throw new RequestTooLargeException("The request body is larger than the emulator's limit of "
                    + MAX_REQUEST_BYTES + " bytes");
        }
        return bytes;
    }

    private String region(HttpExchange exchange) {
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        if (authorization != null) {
            Matcher scope = CREDENTIAL_SCOPE.matcher(authorization);
            if (scope.find()) {
                return scope.group(1);
            }
        }
        return config.region;
    }

    private void serveAdmin(HttpExchange exchange, String path) throws IOException {
        String method = exchange.getRequestMethod();
        try {
            if (path.equals("/_emulator/datasets") && method.equals("GET")) {
                ObjectNode out = json.createObjectNode();
                ArrayNode datasets = out.putArray("datasets");
                state.datasets().forEach(d -> datasets.addObject()
                        .put("datasetArn", d.arn())
                        .put("datasetType", d.datasetType())
                        .put("recordCount", d.recordCount())
                        .put("lastImportJobArn", d.lastImportJobArn()));
                send(exchange, 200, out, Map.of());
            } else if (path.equals("/_emulator/stats") && method.equals("GET")) {
                ObjectNode stats = json.valueToTree(counts.snapshot());
                send(exchange, 200, stats.put("dataDeletionJobsCreated", counts.dataDeletionJobsCreated()), Map.of());
            } else if (path.equals("/_emulator/import-jobs") && method.equals("GET")) {
                ObjectNode out = json.createObjectNode();
                out.set("importJobs", withoutNulls(json.valueToTree(importJobTimeline())));
                send(exchange, 200, out, Map.of());
            } else if (path.equals("/_emulator/faults") && method.equals("POST")) {
                FaultStats armed = injectFault(FaultJson.parse(readBody(exchange)));
                send(exchange, 200, FaultJson.write(json, armed), Map.of());
            } else if (path.equals("/_emulator/faults") && method.equals("GET")) {
                send(exchange, 200, FaultJson.write(json, faults), Map.of());
            } else if (path.equals("/_emulator/faults") && method.equals("DELETE")) {
                faults.clear();
                EmulatorLog.info("faults cleared");
                exchange.sendResponseHeaders(204, -1);
            } else {
                sendError(exchange, 404, "NotFound", "No admin endpoint " + method + " " + path
                        + "; try GET /_emulator/datasets, GET /_emulator/stats, GET /_emulator/import-jobs or"
                        + " POST|GET|DELETE /_emulator/faults");
            }
        } catch (PersonalizeError e) {
            sendError(exchange, e.httpStatus(), e.type(), e.getMessage());
        } catch (IllegalArgumentException e) {
            sendError(exchange, 400, "InvalidFault", e.getMessage());
        }
    }

    private void sendError(HttpExchange exchange, int status, String type, String message) throws IOException {
        // The SDK reads the error code from x-amzn-ErrorType first and from __type otherwise: send both.
        ObjectNode body = json.createObjectNode().put("__type", type).put("message", message);
        send(exchange, status, body, Map.of("x-amzn-ErrorType", type));
    }

    private void send(HttpExchange exchange, int status, JsonNode body, Map<String, String> headers)
            throws IOException {
        byte[] bytes = json.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", CONTENT_TYPE);
        exchange.getResponseHeaders().set("x-amzn-RequestId", UUID.randomUUID().toString());
        headers.forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    // AWS leaves absent members out rather than sending null.
    private static JsonNode withoutNulls(JsonNode node) {
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.properties().iterator(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> member = it.next();
                if (member.getValue().isNull()) {
                    it.remove();
                } else {
                    withoutNulls(member.getValue());
                }
            }
        } else if (node.isArray()) {
            node.forEach(PersonalizeEmulator::withoutNulls);
        }
        return node;
    }

    /** Configures a {@link PersonalizeEmulator}. */
    public static final class Builder {
        private int port;
        private Path dataDir;
        private String region = DEFAULT_REGION;
        private String accountId = DEFAULT_ACCOUNT_ID;
        private long stepMillis = DEFAULT_STEP_MILLIS;
        private long inProgressMillis = -1;
        private Clock clock = Clock.systemUTC();
        private URI s3Endpoint;
        private String s3Region;
        private String s3AccessKey = envOr("AWS_ACCESS_KEY_ID", LocalS3.DEFAULT_ACCESS_KEY);
        private String s3SecretKey = envOr("AWS_SECRET_ACCESS_KEY", LocalS3.DEFAULT_SECRET_KEY);
        private long faultSeed = ThreadLocalRandom.current().nextLong();
        private UnaryOperator<ImportJobRunner.DataReader> readerWrapper = UnaryOperator.identity();

        private Builder() {
        }

        /** The TCP port on 127.0.0.1; 0 (the default) picks a free one. */
        public Builder port(int port) {
            if (port < 0 || port > 65_535) {
                throw new IllegalArgumentException("port must be 0..65535, was " + port);
            }
            this.port = port;
            return this;
        }

        /** Where the state is kept across restarts; null (the default) keeps it in memory only. */
        public Builder dataDir(Path dataDir) {
            this.dataDir = dataDir;
            return this;
        }

        /** The region of requests that carry no SigV4 credential scope (default us-east-1). */
        public Builder region(String region) {
            this.region = Objects.requireNonNull(region, "region");
            return this;
        }

        /** The 12-digit account id in ARNs (default 000000000000). */
        public Builder accountId(String accountId) {
            if (accountId == null || !accountId.matches("\\d{12}")) {
                throw new IllegalArgumentException("accountId must be 12 digits, was " + accountId);
            }
            this.accountId = accountId;
            return this;
        }

        /** Time an import job spends in each of CREATE PENDING and CREATE IN_PROGRESS (default 2000 ms). */
        public Builder stepMillis(long stepMillis) {
            if (stepMillis < 0) {
                throw new IllegalArgumentException("stepMillis must not be negative, was " + stepMillis);
            }
            this.stepMillis = stepMillis;
            return this;
        }

        /**
         * Time an import job spends in CREATE IN_PROGRESS, as a real job's run of minutes or hours (scaled), while it
         * stays {@link #stepMillis(long) one step} in CREATE PENDING; default: one step too.
         */
        public Builder inProgressMillis(long inProgressMillis) {
            if (inProgressMillis < 0) {
                throw new IllegalArgumentException("inProgressMillis must not be negative, was " + inProgressMillis);
            }
            this.inProgressMillis = inProgressMillis;
            return this;
        }

        /** The clock for creation and update times (default: system UTC). */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * The S3 endpoint import jobs read from, path-style. Without it the SDK resolves the endpoint itself,
         * honouring {@code AWS_ENDPOINT_URL_S3} and {@code AWS_ENDPOINT_URL}.
         */
        public Builder s3Endpoint(URI s3Endpoint) {
            this.s3Endpoint = s3Endpoint;
            return this;
        }

        /** The region S3 requests are signed for (default: the emulator's region). */
        public Builder s3Region(String s3Region) {
            this.s3Region = s3Region;
            return this;
        }

        /**
         * The keys S3 requests are signed with. Default: {@code AWS_ACCESS_KEY_ID}/{@code AWS_SECRET_ACCESS_KEY}
         * when both are set, else {@link LocalS3}'s default keys.
         */
        public Builder s3Credentials(String accessKey, String secretKey) {
            this.s3AccessKey = Objects.requireNonNull(accessKey, "accessKey");
            this.s3SecretKey = Objects.requireNonNull(secretKey, "secretKey");
            return this;
        }

        /** Sets the S3 endpoint, signing region and keys at once; a null endpoint means the SDK's default. */
        public Builder s3(S3Settings settings) {
            s3Endpoint(settings.endpoint());
            s3Region(settings.region());
            return s3Credentials(settings.accessKey(), settings.secretKey());
        }

        /**
         * The seed of the random draws of probabilistic faults that have no seed of their own (default: a random
         * one, logged at start and shown by {@code GET /_emulator/faults}, so a run can be repeated with it).
         */
        public Builder faultSeed(long seed) {
            this.faultSeed = seed;
            return this;
        }

        /**
         * Wraps the reader of import data, so a test can make the import path fail in ways no data can provoke
         * (an {@code OutOfMemoryError}, a bug); not for anything else.
         */
        Builder readerWrapper(UnaryOperator<ImportJobRunner.DataReader> wrapper) {
            this.readerWrapper = Objects.requireNonNull(wrapper, "wrapper");
            return this;
        }

        /** Builds an unstarted emulator. */
        public PersonalizeEmulator build() {
            return new PersonalizeEmulator(this);
        }

        private static String envOr(String name, String fallback) {
            boolean bothSet = System.getenv("AWS_ACCESS_KEY_ID") != null
                    && System.getenv("AWS_SECRET_ACCESS_KEY") != null;
            return bothSet ? System.getenv(name) : fallback;
        }
    }

    /** The operations this emulator implements. */
    public static List<String> operations() {
        return PersonalizeApi.OPERATIONS.stream().sorted().toList();
    }
}
