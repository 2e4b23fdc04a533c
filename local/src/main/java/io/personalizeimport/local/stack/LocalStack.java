package io.personalizeimport.local.stack;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.personalizeimport.lambdas.FunctionEnvironment;
import io.personalizeimport.lambdas.FunctionSettings;
import io.personalizeimport.lambdas.Priming;
import io.personalizeimport.lambdas.StateMachineSubstitutions;
import io.personalizeimport.lambdas.aws.EventPublisher;
import io.personalizeimport.lambdas.config.PipelineConfig;
import io.personalizeimport.lambdas.config.DeletionRoute;
import io.personalizeimport.lambdas.config.Route;
import io.personalizeimport.lambdas.config.RouteTable;
import io.personalizeimport.lambdas.domain.PollPolicy;
import io.personalizeimport.lambdas.errors.ConfigurationException;
import io.personalizeimport.lambdas.lane.BatchStaging;
import io.personalizeimport.local.dynamodb.LocalDynamoDb;
import io.personalizeimport.local.events.LocalEventBridge;
import io.personalizeimport.local.lambda.FunctionConfig;
import io.personalizeimport.local.lambda.LambdaHost;
import io.personalizeimport.local.ledger.LedgerListing;
import io.personalizeimport.local.metrics.LocalMetrics;
import io.personalizeimport.local.notifications.LambdaAsyncTarget;
import io.personalizeimport.local.notifications.NotificationFilter;
import io.personalizeimport.local.notifications.RetryPolicy;
import io.personalizeimport.local.notifications.S3NotificationSource;
import io.personalizeimport.local.personalize.Domain;
import io.personalizeimport.local.personalize.PersonalizeEmulator;
import io.personalizeimport.local.personalize.S3Settings;
import io.personalizeimport.local.s3.LocalS3;
import io.personalizeimport.local.s3.LocalS3Clients;
import io.personalizeimport.local.stepfunctions.StepFunctionsLocal;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClientBuilder;
import software.amazon.awssdk.services.personalize.PersonalizeClient;
import software.amazon.awssdk.services.personalize.model.ResourceAlreadyExistsException;
import software.amazon.awssdk.services.personalize.model.ResourceInUseException;
import software.amazon.awssdk.services.personalize.model.ResourceNotFoundException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sfn.SfnClient;

/**
 * The whole pipeline on 127.0.0.1: a local S3, the Personalize emulator seeded with the demo dataset group, DynamoDB
 * Local holding the import ledger's table, the functions on the Lambda host, each with the package CDK deploys it with
 * ({@code lambdas/target/<name>.jar}), the state machine of {@code statemachine/} on the Step Functions endpoint, and
 * S3 event notifications that deliver each new CSV (and each folder marker) under a route's prefix to the trigger, with
 * Lambda's async retries and a dead-letter folder. Only the endpoints differ from a deployment: the functions get the
 * standard {@code AWS_ENDPOINT_URL_*} variables.
 *
 * <p>The routes are the demo routes unless {@link Builder#routes(String)} gives others, which may name any dataset of
 * the local account and region ({@code dataset/GROUP/TYPE}, any of the five types). On every start the stack creates
 * each dataset group and dataset the routes name that the data directory lacks, through the emulator's own API. A
 * dataset's schema is the type's default in {@code infra/schemas} unless {@link Builder#schema} gives one, and a group
 * may have a {@link Builder#domain domain}, whose rules its schemas must follow ({@link DatasetPlan}); a data directory
 * seeded with another schema gets the dataset updated to the new one (Personalize's UpdateDataset), its imported
 * records kept.
 */
public final class LocalStack implements AutoCloseable {

    public static final String REGION = "us-east-1";
    public static final String ACCOUNT_ID = "000000000000";
    public static final String BUCKET = "personalize-import-data";
    public static final String DATASET_GROUP = "personalize-import-demo";
    public static final String STATE_MACHINE_NAME = "personalize-import-monitor";
    public static final String LEDGER_TABLE = "personalize-import-ledger";
    public static final String IMPORT_ROLE_ARN = "arn:aws:iam::" + ACCOUNT_ID + ":role/PersonalizeImportRole";
    /** The dataset types the demo dataset group has. */
    public static final List<String> DATASET_TYPES = List.of("INTERACTIONS", "USERS", "ITEMS");
    /** The default schema of each dataset type, a file of {@code infra/schemas}. */
    public static final Map<String, String> DEFAULT_SCHEMAS = Map.of("INTERACTIONS", "interactions.avsc",
            "USERS", "users.avsc", "ITEMS", "items.avsc", "ACTIONS", "actions.avsc",
            "ACTION_INTERACTIONS", "action-interactions.avsc");
    /** The demo routes: prefix, dataset type and schema file, as the CDK stack creates them when given no ARNs. */
    public static final List<DemoRoute> DEMO_ROUTES = List.of(
            new DemoRoute("interactions", "interactions/", "INTERACTIONS", "interactions.avsc"),
            new DemoRoute("users", "users/", "USERS", "users.avsc"),
            new DemoRoute("items", "items/", "ITEMS", "items.avsc"));

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** One route of the demo configuration. */
    public record DemoRoute(String name, String prefix, String datasetType, String schemaFile) {
    }

    private final Builder settings;
    private final RouteTable routes;
    private final List<DatasetPlan.Dataset> datasets;
    private final List<AutoCloseable> started = new ArrayList<>();
    private LocalS3 s3;
    private PersonalizeEmulator personalize;
    private LocalDynamoDb dynamoDb;
    private LocalEventBridge eventBridge;
    private LambdaHost lambdaHost;
    private StepFunctionsLocal stepFunctions;
    private S3NotificationSource notifications;

    private LocalStack(Builder settings) {
        this.settings = settings;
        this.routes = parseRoutes(settings.routesJson == null ? demoRoutesJson() : settings.routesJson);
        this.datasets = DatasetPlan.resolve(routes, settings.domains, settings.schemas,
                type -> defaultSchema(settings.root, type));
    }

    /** The default schema of {@code datasetType}, from {@code infra/schemas}. */
    public static String defaultSchema(Path root, String datasetType) {
        Path file = root.resolve("infra/schemas").resolve(DEFAULT_SCHEMAS.get(datasetType));
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the default " + datasetType + " schema " + file, e);
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Starts every part, creates the routes' datasets; on any failure stops what was started. */
    public LocalStack start() {
        try {
            Files.createDirectories(settings.dataDir);
            s3 = track(LocalS3.builder().dataDir(settings.dataDir.resolve("s3")).port(settings.s3Port).build().start());
            s3.createBucket(BUCKET);
            personalize = track(PersonalizeEmulator.builder()
                    .port(settings.personalizePort)
                    .dataDir(settings.dataDir.resolve("personalize"))
                    .region(REGION)
                    .accountId(ACCOUNT_ID)
                    .stepMillis(settings.personalizeStepMillis)
                    .inProgressMillis(settings.personalizeInProgressMillis < 0 ? settings.personalizeStepMillis
                            : settings.personalizeInProgressMillis)
                    .s3(new S3Settings(s3.endpoint(), REGION, s3.accessKey(), s3.secretKey()))
                    .build()
                    .start());
            seedDatasets();
            dynamoDb = track(LocalDynamoDb.builder()
                    .dataDir(settings.dataDir.resolve("dynamodb"))
                    .port(settings.dynamoDbPort)
                    .build()
                    .start());
            try (DynamoDbClient client = dynamoDbClient()) {
                LedgerListing.createTable(client, LEDGER_TABLE);
            }
            eventBridge = track(LocalEventBridge.create(settings.dataDir.resolve("events"), settings.eventBridgePort,
                    REGION, ACCOUNT_ID, Clock.systemUTC()).start());
            lambdaHost = track(LambdaHost.builder()
                    .port(settings.lambdaPort)
                    .region(REGION)
                    .accountId(ACCOUNT_ID)
                    .credentials(s3.accessKey(), s3.secretKey())
                    .logSink(new LocalMetrics(settings.dataDir.resolve("metrics"), settings.logSink))
                    .build()
                    .start());
            stepFunctions = track(StepFunctionsLocal.builder()
                    .repositoryRoot(settings.root)
                    .definition(settings.root.resolve("statemachine/import-monitor.asl.json"))
                    .substitutions(StateMachineSubstitutions.of(
                            lambdaHost.functionArn(FunctionSettings.CREATE.functionName()),
                            lambdaHost.functionArn(FunctionSettings.DESCRIBE.functionName()),
                            lambdaHost.functionArn(FunctionSettings.FINISH.functionName()), pollPolicy()))
                    .lambdaEndpoint(lambdaHost.endpoint())
                    // The stack's EventBridge rule: executions that end without success go to the recovery function.
                    .onStatusChange(lambdaHost.functionArn(FunctionSettings.RECOVER.functionName()))
                    .port(settings.stepFunctionsPort)
                    .timeScale(settings.timeScale)
                    .dataDir(settings.dataDir.resolve("stepfunctions"))
                    .stateMachineName(STATE_MACHINE_NAME)
                    .region(REGION)
                    .accountId(ACCOUNT_ID)
                    .logSink(settings.logSink)
                    .build()
                    .start());
            for (FunctionSettings function : FunctionSettings.values()) {
                lambdaHost.register(new FunctionConfig(function.functionName(), function.handler(),
                        functionJar(function), functionEnvironment(function), function.timeoutSeconds(),
                        function.memoryMb()));
            }
            // The stack's schedule rule, scaled as the state machine's waits are: every 3 s at the tests' scale.
            Duration publishEvery = Duration.ofMinutes(FunctionSettings.PUBLISH_EVERY_MINUTES);
            track(PublishSchedule.start(lambdaHost, Duration.ofMillis(Math.round(publishEvery.toMillis()
                    * settings.timeScale)), "arn:aws:events:" + REGION + ":" + ACCOUNT_ID
                    + ":rule/personalize-import-publish", settings.logSink));
            if (!settings.s3Notifications) {
                return this;
            }
            // Last, so that no event is delivered before the functions it goes to exist.
            notifications = track(S3NotificationSource.builder()
                    .bucket(BUCKET)
                    .bucketFolder(bucketFolder())
                    .filters(notificationFilters(routes))
                    .stateDir(settings.dataDir.resolve("notifications"))
                    .target(new LambdaAsyncTarget(lambdaHost, FunctionSettings.TRIGGER.functionName()))
                    .retryPolicy(new RetryPolicy(FunctionSettings.TRIGGER_RETRY_ATTEMPTS,
                            Duration.ofHours(FunctionSettings.TRIGGER_MAX_EVENT_AGE_HOURS), settings.timeScale))
                    .region(REGION)
                    .logSink(settings.logSink)
                    .build()
                    .start());
            return this;
        } catch (IOException e) {
            close();
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    private <T extends AutoCloseable> T track(T part) {
        started.add(0, part);
        return part;
    }

    /** The function's own deployment package, the one the CDK stack deploys it with. */
    private Path functionJar(FunctionSettings function) {
        Path jar = settings.root.resolve(function.packagePath());
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("The deployment package " + jar + " is missing: build it with "
                    + "'mvn -pl lambdas package' (local/run does it for you)");
        }
        return jar;
    }

    /**
     * Creates each dataset group and dataset the routes name, or brings those an earlier start made to the schemas asked
     * for: a dataset whose schema text differs is updated to the new schema (UpdateDataset), keeping its records.
     */
    private void seedDatasets() {
        try (PersonalizeClient client = personalizeClient()) {
            Map<String, Domain> groups = new LinkedHashMap<>();
            datasets.forEach(dataset -> groups.put(dataset.group(), dataset.domain()));
            groups.forEach((group, domain) -> createGroup(client, group, domain));
            for (DatasetPlan.Dataset dataset : datasets) {
                String schema = dataset.schema().orElseGet(() -> defaultSchema(settings.root, dataset.type()));
                Optional<String> current = currentSchema(client, dataset.arn());
                if (current.isPresent() && current.get().equals(schema)) {
                    continue;
                }
                String base = dataset.group() + "-" + dataset.type().toLowerCase(Locale.ROOT);
                String schemaArn = createSchema(client, name(base, "-" + digest(dataset.domain() + schema)), schema,
                        dataset.domain());
                if (current.isEmpty()) {
                    client.createDataset(request -> request.name(name(base, "")).datasetGroupArn(datasetGroupArn(
                            dataset.group())).datasetType(dataset.type()).schemaArn(schemaArn));
                } else {
                    updateSchema(client, dataset.arn(), schemaArn);
                    settings.logSink.accept("local-stack: dataset " + dataset.arn() + " now has schema " + schemaArn
                            + " (it had another one in " + settings.dataDir + ")");
                }
            }
        }
    }

    private void createGroup(PersonalizeClient client, String group, Domain domain) {
        try {
            client.createDatasetGroup(request -> request.name(group).domain(domain.apiValue().orElse(null)));
        } catch (ResourceAlreadyExistsException e) {
            // Made by an earlier start over the same data directory: it must have the domain asked for now.
            String had = client.describeDatasetGroup(request -> request.datasetGroupArn(datasetGroupArn(group)))
                    .datasetGroup().domainAsString();
            if (!Objects.equals(had, domain.apiValue().orElse(null))) {
                throw new IllegalStateException("Dataset group " + group + " in " + settings.dataDir + " has the "
                        + "domain " + (had == null ? Domain.CUSTOM : had) + ", not " + domain + ", and a group's domain"
                        + " cannot change: give it its domain of then, or use another data directory");
            }
        }
    }

    /** A resource name of at most 63 characters, Personalize's limit: {@code base}, shortened if need be, + suffix. */
    private static String name(String base, String suffix) {
        int room = 63 - suffix.length();
        return (base.length() > room ? base.substring(0, room) : base) + suffix;
    }

    private void updateSchema(PersonalizeClient client, String datasetArn, String schemaArn) {
        try {
            client.updateDataset(request -> request.datasetArn(datasetArn).schemaArn(schemaArn));
        } catch (ResourceInUseException e) {
            throw new IllegalStateException("Dataset " + datasetArn + " in " + settings.dataDir + " is still importing,"
                    + " so its schema cannot change now: start with its earlier schema until the import ends, or use"
                    + " another data directory (" + e.awsErrorDetails().errorMessage() + ")", e);
        }
    }

    /** The schema text of a seeded dataset, or empty when the dataset does not exist yet. */
    private static Optional<String> currentSchema(PersonalizeClient client, String datasetArn) {
        try {
            String schemaArn = client.describeDataset(request -> request.datasetArn(datasetArn)).dataset().schemaArn();
            return Optional.of(client.describeSchema(request -> request.schemaArn(schemaArn)).schema().schema());
        } catch (ResourceNotFoundException e) {
            return Optional.empty();
        }
    }

    private static String createSchema(PersonalizeClient client, String name, String schema, Domain domain) {
        try {
            client.createSchema(request -> request.name(name).schema(schema).domain(domain.apiValue().orElse(null)));
        } catch (ResourceAlreadyExistsException e) {
            // Made by an earlier start: the name holds a digest of the text, so it is this very schema.
        }
        return arn("schema/" + name);
    }

    /** Eight hex digits of the schema's SHA-256: schema names tell one version from another. */
    private static String digest(String schema) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(schema.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every JDK has SHA-256", e);
        }
    }

    private static String arn(String resource) {
        return "arn:aws:personalize:" + REGION + ":" + ACCOUNT_ID + ":" + resource;
    }

    /** The ARN of the demo dataset of {@code datasetType} (one of {@link #DATASET_TYPES}). */
    public static String demoDatasetArn(String datasetType) {
        return datasetArn(DATASET_GROUP, datasetType);
    }

    /** The ARN of the local dataset of {@code datasetType} in dataset group {@code group}. */
    public static String datasetArn(String group, String datasetType) {
        return arn("dataset/" + group + "/" + datasetType);
    }

    /** The ARN of the local dataset group {@code group}. */
    public static String datasetGroupArn(String group) {
        return arn("dataset-group/" + group);
    }

    /**
     * Parses and validates routes as the functions read their {@code ROUTES} variable, and checks that each names a
     * dataset of the local account and region, {@code dataset/GROUP/TYPE}, which the stack can create.
     *
     * @throws IllegalArgumentException saying what is wrong
     */
    public static RouteTable parseRoutes(String json) {
        RouteTable table;
        try {
            table = RouteTable.parse(json, IMPORT_ROLE_ARN);
        } catch (ConfigurationException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        for (Route route : table.routes()) {
            try {
                DatasetPlan.groupAndType(route.datasetArn());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("Route '" + route.name() + "': " + e.getMessage(), e);
            }
        }
        String local = datasetGroupArn("");
        for (DeletionRoute route : table.deletions()) {
            if (!route.datasetGroupArn().startsWith(local)) {
                throw new IllegalArgumentException("Deletion route '" + route.name() + "': dataset group "
                        + route.datasetGroupArn() + " is not of the local stack's account and region: expected "
                        + local + "<group>");
            }
        }
        return table;
    }

    /**
     * The notifications of the routes, as the CDK stack subscribes them: each route's .csv and .CSV objects, for a
     * folder route also its marker object, {@code <prefix><folder>/<marker>}, and each deletion route's lists of users.
     */
    static List<NotificationFilter> notificationFilters(RouteTable table) {
        List<NotificationFilter> filters = new ArrayList<>();
        for (Route route : table.routes()) {
            List<String> suffixes = new ArrayList<>(Route.CSV_SUFFIXES);
            if (route.group() == Route.Group.FOLDER) {
                suffixes.add("/" + route.marker());
            }
            filters.add(new NotificationFilter(route.name(), route.prefix(), suffixes));
        }
        for (DeletionRoute route : table.deletions()) {
            filters.add(new NotificationFilter(route.name(), route.prefix(), Route.CSV_SUFFIXES));
        }
        return filters;
    }

    /** The functions' environment, as the CDK stack sets it, plus the local endpoints. */
    public Map<String, String> functionEnvironment(FunctionSettings function) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("AWS_ENDPOINT_URL_PERSONALIZE", personalize.endpoint().toString());
        env.put("AWS_ENDPOINT_URL_S3", s3.endpoint().toString());
        env.put("AWS_ENDPOINT_URL_SFN", stepFunctions.endpoint().toString());
        env.put("AWS_ENDPOINT_URL_DYNAMODB", dynamoDb.endpoint().toString());
        env.put("AWS_ENDPOINT_URL_EVENTBRIDGE", eventBridge.endpoint().toString());
        env.put("S3_FORCE_PATH_STYLE", "true");
        env.putAll(new FunctionEnvironment(BUCKET, routesJson(), IMPORT_ROLE_ARN, true, pollPolicy(),
                LEDGER_TABLE, EventPublisher.PIPELINE_BUS, Priming.Targets.of("aws", REGION, ACCOUNT_ID), settings.maxImportJobs)
                .variables(function));
        if (function == FunctionSettings.TRIGGER) {
            env.put("STATE_MACHINE_ARN", stepFunctions.stateMachineArn());
        }
        if (function == FunctionSettings.CREATE && settings.stagingCopiesPerCall > 0) {
            env.put(BatchStaging.COPIES_PER_CALL, Integer.toString(settings.stagingCopiesPerCall));
        }
        return env;
    }

    private PollPolicy pollPolicy() {
        return new PollPolicy(Duration.ofSeconds(settings.pollInitialSeconds), Duration.ofSeconds(settings.pollMaxSeconds),
                settings.monitorDeadline);
    }

    /** The {@code ROUTES} variable the functions get: the routes given to the builder, or the demo routes. */
    public String routesJson() {
        return settings.routesJson == null ? demoRoutesJson() : compact(settings.routesJson);
    }

    /** The demo routes, one per demo dataset, as a {@code ROUTES} JSON array. */
    public static String demoRoutesJson() {
        ArrayNode routes = MAPPER.createArrayNode();
        for (DemoRoute route : DEMO_ROUTES) {
            ObjectNode node = routes.addObject();
            node.put("name", route.name());
            node.put("prefix", route.prefix());
            node.put("datasetArn", demoDatasetArn(route.datasetType()));
            node.put("importMode", "FULL");
        }
        return routes.toString();
    }

    private static String compact(String json) {
        try {
            return MAPPER.readTree(json).toString();
        } catch (IOException e) {
            throw new IllegalArgumentException("routes are not valid JSON", e);
        }
    }

    /** The datasets the stack creates, each with its group's domain and its schema. */
    public List<DatasetPlan.Dataset> datasets() {
        return datasets;
    }

    /** The routes the functions and the notifications follow. */
    /** The deletion routes: lists of users to delete from a dataset group. */
    public List<DeletionRoute> deletionRoutes() {
        return routes.deletions();
    }

    public List<Route> routes() {
        return routes.routes();
    }

    /** The dataset of the route named {@code routeName}. */
    public String datasetArn(String routeName) {
        return routes.byName(routeName).map(Route::datasetArn)
                .orElseThrow(() -> new IllegalArgumentException("no route " + routeName));
    }

    public LocalS3 s3() {
        return s3;
    }

    public PersonalizeEmulator personalize() {
        return personalize;
    }

    /** The local EventBridge, which keeps the outcome events the functions publish. */
    public LocalEventBridge eventBridge() {
        return eventBridge;
    }

    public LocalDynamoDb dynamoDb() {
        return dynamoDb;
    }

    public LambdaHost lambdaHost() {
        return lambdaHost;
    }

    /** The S3 event notifications, or null when the stack was built without them. */
    public S3NotificationSource notifications() {
        return notifications;
    }

    public StepFunctionsLocal stepFunctions() {
        return stepFunctions;
    }

    public String stateMachineArn() {
        return stepFunctions.stateMachineArn();
    }

    /** The folder that holds every part's state. */
    public Path dataDir() {
        return settings.dataDir;
    }

    public Path bucketFolder() {
        return s3.dataDir().resolve(BUCKET);
    }

    public S3Client s3Client() {
        return LocalS3Clients.client(s3.endpoint(), Region.of(REGION), credentials());
    }

    public PersonalizeClient personalizeClient() {
        return PersonalizeClient.builder().endpointOverride(personalize.endpoint())
                .region(Region.of(REGION)).credentialsProvider(credentials())
                .httpClient(UrlConnectionHttpClient.create()).build();
    }

    public SfnClient sfnClient() {
        return SfnClient.builder().endpointOverride(stepFunctions.endpoint())
                .region(Region.of(REGION)).credentialsProvider(credentials())
                .httpClient(UrlConnectionHttpClient.create()).build();
    }

    public DynamoDbClient dynamoDbClient() {
        return dynamoDbClientBuilder().build();
    }

    /** A client of the stack's DynamoDB whose requests {@link LocalDynamoDb#requestUnits()} leaves out. */
    public DynamoDbClient uncountedDynamoDbClient() {
        return dynamoDbClientBuilder()
                .overrideConfiguration(config -> config.putHeader(LocalDynamoDb.UNCOUNTED_HEADER, "observer")).build();
    }

    private DynamoDbClientBuilder dynamoDbClientBuilder() {
        return DynamoDbClient.builder().endpointOverride(dynamoDb.endpoint())
                .region(Region.of(REGION)).credentialsProvider(credentials())
                .httpClient(UrlConnectionHttpClient.create());
    }

    private StaticCredentialsProvider credentials() {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create(s3.accessKey(), s3.secretKey()));
    }

    /** The endpoints, for people and scripts. */
    public Map<String, URI> endpoints() {
        Map<String, URI> endpoints = new LinkedHashMap<>();
        endpoints.put("s3", s3.endpoint());
        endpoints.put("personalize", personalize.endpoint());
        endpoints.put("lambda", lambdaHost.endpoint());
        endpoints.put("stepfunctions", stepFunctions.endpoint());
        endpoints.put("dynamodb", dynamoDb.endpoint());
        endpoints.put("eventbridge", eventBridge.endpoint());
        return endpoints;
    }

    /** Stops every part, last started first. */
    @Override
    public void close() {
        RuntimeException failure = null;
        for (AutoCloseable part : started) {
            try {
                part.close();
            } catch (Exception e) {
                if (failure == null) {
                    failure = new IllegalStateException("Stopping the local stack failed: " + e.getMessage(), e);
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        started.clear();
        if (failure != null) {
            throw failure;
        }
    }

    /** Where the stack keeps its state, how fast it runs, and which ports it takes (0 = any free port). */
    public static final class Builder {

        private Path root = Path.of(System.getProperty("personalizeimport.root", ".")).toAbsolutePath().normalize();
        private Path dataDir;
        private double timeScale = 1.0;
        private long personalizeStepMillis = 5_000;
        private long personalizeInProgressMillis = -1;
        private Duration monitorDeadline = Duration.ofHours(48);
        private int pollInitialSeconds = 15;
        private int pollMaxSeconds = 300;
        private int s3Port;
        private int personalizePort;
        private int lambdaPort;
        private int stepFunctionsPort;
        private int dynamoDbPort;
        private int eventBridgePort;
        private Consumer<String> logSink = System.err::println;
        private boolean s3Notifications = true;
        private int stagingCopiesPerCall;
        private int maxImportJobs = PipelineConfig.REGION_IMPORT_JOBS;
        private String routesJson;
        private final Map<String, String> schemas = new LinkedHashMap<>();
        private final Map<String, Domain> domains = new LinkedHashMap<>();

        /** The repository checkout: where the jar, the state machine and the schemas are. */
        public Builder root(Path value) {
            root = value.toAbsolutePath().normalize();
            return this;
        }

        public Builder dataDir(Path value) {
            dataDir = value;
            return this;
        }

        /** Multiplies every Wait and retry interval of the state machine; 1 keeps real seconds. */
        public Builder timeScale(double value) {
            if (!(value > 0 && value <= 1)) {
                throw new IllegalArgumentException("time scale must be in (0, 1], was " + value);
            }
            timeScale = value;
            return this;
        }

        /** How long an emulated import job stays in each of CREATE PENDING and CREATE IN_PROGRESS. */
        public Builder personalizeStepMillis(long value) {
            personalizeStepMillis = value;
            return this;
        }

        /** How long an emulated import job stays CREATE IN_PROGRESS, as a real job runs; default: one step. */
        public Builder personalizeInProgressMillis(long value) {
            personalizeInProgressMillis = value;
            return this;
        }

        public Builder monitorDeadline(Duration value) {
            monitorDeadline = value;
            return this;
        }

        /** The describe function's POLL_INITIAL_SECONDS and POLL_MAX_SECONDS. */
        public Builder pollSeconds(int initial, int max) {
            pollInitialSeconds = initial;
            pollMaxSeconds = max;
            return this;
        }

        public Builder ports(int s3, int personalize, int lambda, int stepFunctions, int dynamoDb, int eventBridge) {
            s3Port = s3;
            personalizePort = personalize;
            lambdaPort = lambda;
            stepFunctionsPort = stepFunctions;
            dynamoDbPort = dynamoDb;
            eventBridgePort = eventBridge;
            return this;
        }

        /**
         * The {@code ROUTES} JSON array the functions get instead of the demo routes; each route must name a dataset of
         * the local account and region ({@link #parseRoutes(String)} checks it, and {@link #build()} fails as it does).
         */
        public Builder routes(String json) {
            routesJson = json;
            return this;
        }

        /**
         * The Avro schema of the dataset {@code dataset} names ({@code GROUP/TYPE}, or {@code TYPE} for the demo
         * group's) instead of its type's default; {@link #build()} checks it against the type's and domain's rules.
         */
        public Builder schema(String dataset, String avroSchema) {
            schemas.put(DatasetPlan.datasetKey(dataset), avroSchema);
            return this;
        }

        /** The domain of dataset group {@code group}, whose datasets' schemas must then follow its rules. */
        public Builder domain(String group, Domain domain) {
            domains.put(group, domain);
            return this;
        }

        /**
         * The create function's {@value BatchStaging#COPIES_PER_CALL}: how many files of a coalesced batch one call
         * copies, so that staging takes several rounds; 0 keeps the function's default.
         */
        public Builder stagingCopiesPerCall(int value) {
            stagingCopiesPerCall = value;
            return this;
        }

        /** The functions' {@value PipelineConfig#MAX_IMPORT_JOBS}: the most import jobs the pipeline runs at once. */
        public Builder maxImportJobs(int value) {
            if (value < 1 || value > PipelineConfig.REGION_IMPORT_JOBS) {
                throw new IllegalArgumentException("max import jobs must be 1 to " + PipelineConfig.REGION_IMPORT_JOBS
                        + ", was " + value);
            }
            maxImportJobs = value;
            return this;
        }

        /** Off for tests that deliver S3 events to the trigger themselves. */
        public Builder s3Notifications(boolean value) {
            s3Notifications = value;
            return this;
        }

        public Builder logSink(Consumer<String> value) {
            logSink = value;
            return this;
        }

        public LocalStack build() {
            Objects.requireNonNull(dataDir, "dataDir");
            return new LocalStack(this);
        }
    }
}
