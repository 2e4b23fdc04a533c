package io.personalizeimport.local.stack;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.personalizeimport.lambdas.FunctionEnvironment;
import io.personalizeimport.lambdas.FunctionSettings;
import io.personalizeimport.lambdas.StateMachineSubstitutions;
import io.personalizeimport.lambdas.domain.PollPolicy;
import io.personalizeimport.local.lambda.FunctionConfig;
import io.personalizeimport.local.lambda.LambdaHost;
import io.personalizeimport.local.notifications.LambdaAsyncTarget;
import io.personalizeimport.local.notifications.NotificationFilter;
import io.personalizeimport.local.notifications.RetryPolicy;
import io.personalizeimport.local.notifications.S3NotificationSource;
import io.personalizeimport.local.personalize.PersonalizeEmulator;
import io.personalizeimport.local.personalize.S3Settings;
import io.personalizeimport.local.s3.LocalS3;
import io.personalizeimport.local.stepfunctions.StepFunctionsLocal;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.personalize.PersonalizeClient;
import software.amazon.awssdk.services.personalize.model.ResourceAlreadyExistsException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sfn.SfnClient;

/**
 * The whole pipeline on 127.0.0.1: a local S3, the Personalize emulator seeded with the demo dataset group, the
 * three functions of {@code lambdas/target/function.jar} on the Lambda host, and the state machine of
 * {@code statemachine/} on the Step Functions endpoint, and S3 event notifications that deliver each new CSV under a
 * route's prefix to the trigger, with Lambda's async retries and a dead-letter folder. Only the endpoints differ from a
 * deployment: the functions get the standard {@code AWS_ENDPOINT_URL_*} variables.
 */
public final class LocalStack implements AutoCloseable {

    public static final String REGION = "us-east-1";
    public static final String ACCOUNT_ID = "000000000000";
    public static final String BUCKET = "personalize-import-data";
    public static final String DATASET_GROUP = "personalize-import-demo";
    public static final String STATE_MACHINE_NAME = "personalize-import-monitor";
    public static final String LEDGER_TABLE = "personalize-import-ledger";
    public static final String IMPORT_ROLE_ARN = "arn:aws:iam::" + ACCOUNT_ID + ":role/PersonalizeImportRole";
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
    private final List<AutoCloseable> started = new ArrayList<>();
    private final Map<String, String> datasetArns = new LinkedHashMap<>();
    private LocalS3 s3;
    private PersonalizeEmulator personalize;
    private LambdaHost lambdaHost;
    private StepFunctionsLocal stepFunctions;
    private S3NotificationSource notifications;

    private LocalStack(Builder settings) {
        this.settings = settings;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Starts every part, seeds the demo datasets; on any failure stops what was started. */
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
                    .s3(new S3Settings(s3.endpoint(), REGION, s3.accessKey(), s3.secretKey()))
                    .build()
                    .start());
            seedDatasets();
            lambdaHost = track(LambdaHost.builder()
                    .port(settings.lambdaPort)
                    .region(REGION)
                    .accountId(ACCOUNT_ID)
                    .credentials(s3.accessKey(), s3.secretKey())
                    .logSink(settings.logSink)
                    .build()
                    .start());
            stepFunctions = track(StepFunctionsLocal.builder()
                    .repositoryRoot(settings.root)
                    .definition(settings.root.resolve("statemachine/import-monitor.asl.json"))
                    .substitutions(StateMachineSubstitutions.of(
                            lambdaHost.functionArn(FunctionSettings.CREATE.functionName()),
                            lambdaHost.functionArn(FunctionSettings.DESCRIBE.functionName()),
                            lambdaHost.functionArn(FunctionSettings.LANE.functionName()), pollPolicy()))
                    .lambdaEndpoint(lambdaHost.endpoint())
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
                lambdaHost.register(new FunctionConfig(function.functionName(), function.handler(), functionJar(),
                        functionEnvironment(function), function.timeoutSeconds(), function.memoryMb()));
            }
            if (!settings.s3Notifications) {
                return this;
            }
            // Last, so that no event is delivered before the functions it goes to exist.
            notifications = track(S3NotificationSource.builder()
                    .bucket(BUCKET)
                    .bucketFolder(bucketFolder())
                    .filters(DEMO_ROUTES.stream().map(route -> NotificationFilter.csv(route.name(), route.prefix())).toList())
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

    private Path functionJar() {
        Path jar = settings.root.resolve("lambdas/target/function.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("The deployment jar " + jar + " is missing: build it with "
                    + "'mvn -pl lambdas package' (local/run does it for you)");
        }
        return jar;
    }

    private void seedDatasets() throws IOException {
        try (PersonalizeClient client = personalizeClient()) {
            String groupArn = arn("dataset-group/" + DATASET_GROUP);
            try {
                client.createDatasetGroup(request -> request.name(DATASET_GROUP));
            } catch (ResourceAlreadyExistsException e) {
                // Seeded by an earlier start over the same data directory.
            }
            for (DemoRoute route : DEMO_ROUTES) {
                String schemaName = DATASET_GROUP + "-" + route.name();
                String schema = Files.readString(settings.root.resolve("infra/schemas").resolve(route.schemaFile()));
                try {
                    client.createSchema(request -> request.name(schemaName).schema(schema));
                } catch (ResourceAlreadyExistsException e) {
                    // Seeded earlier.
                }
                try {
                    client.createDataset(request -> request.name(DATASET_GROUP + "-" + route.name())
                            .datasetGroupArn(groupArn).datasetType(route.datasetType())
                            .schemaArn(arn("schema/" + schemaName)));
                } catch (ResourceAlreadyExistsException e) {
                    // Seeded earlier.
                }
                datasetArns.put(route.name(), arn("dataset/" + DATASET_GROUP + "/" + route.datasetType()));
            }
        }
    }

    private static String arn(String resource) {
        return "arn:aws:personalize:" + REGION + ":" + ACCOUNT_ID + ":" + resource;
    }

    /** The functions' environment, as the CDK stack sets it, plus the local endpoints. */
    public Map<String, String> functionEnvironment(FunctionSettings function) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("AWS_ENDPOINT_URL_PERSONALIZE", personalize.endpoint().toString());
        env.put("AWS_ENDPOINT_URL_S3", s3.endpoint().toString());
        env.put("AWS_ENDPOINT_URL_SFN", stepFunctions.endpoint().toString());
        env.put("S3_FORCE_PATH_STYLE", "true");
        env.putAll(new FunctionEnvironment(BUCKET, routesJson(), IMPORT_ROLE_ARN, true, pollPolicy(),
                LEDGER_TABLE).variables(function));
        if (function == FunctionSettings.TRIGGER) {
            env.put("STATE_MACHINE_ARN", stepFunctions.stateMachineArn());
        }
        return env;
    }

    private PollPolicy pollPolicy() {
        return new PollPolicy(Duration.ofSeconds(settings.pollInitialSeconds), Duration.ofSeconds(settings.pollMaxSeconds),
                settings.monitorDeadline);
    }

    /** The {@code ROUTES} variable of the demo configuration. */
    public String routesJson() {
        ArrayNode routes = MAPPER.createArrayNode();
        for (DemoRoute route : DEMO_ROUTES) {
            ObjectNode node = routes.addObject();
            node.put("name", route.name());
            node.put("prefix", route.prefix());
            node.put("datasetArn", datasetArn(route.name()));
            node.put("importMode", "FULL");
        }
        return routes.toString();
    }

    public String datasetArn(String routeName) {
        return Objects.requireNonNull(datasetArns.get(routeName), () -> "no demo route " + routeName);
    }

    public LocalS3 s3() {
        return s3;
    }

    public PersonalizeEmulator personalize() {
        return personalize;
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

    public Path bucketFolder() {
        return s3.dataDir().resolve(BUCKET);
    }

    public S3Client s3Client() {
        return S3Client.builder().endpointOverride(s3.endpoint()).forcePathStyle(true)
                .region(Region.of(REGION)).credentialsProvider(credentials())
                .httpClient(UrlConnectionHttpClient.create()).build();
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
        private Duration monitorDeadline = Duration.ofHours(48);
        private int pollInitialSeconds = 15;
        private int pollMaxSeconds = 300;
        private int s3Port;
        private int personalizePort;
        private int lambdaPort;
        private int stepFunctionsPort;
        private Consumer<String> logSink = System.err::println;
        private boolean s3Notifications = true;

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

        public Builder ports(int s3, int personalize, int lambda, int stepFunctions) {
            s3Port = s3;
            personalizePort = personalize;
            lambdaPort = lambda;
            stepFunctionsPort = stepFunctions;
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
