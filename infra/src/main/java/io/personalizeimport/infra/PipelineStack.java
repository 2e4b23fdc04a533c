package io.personalizeimport.infra;

import io.github.cdklabs.cdknag.AwsSolutionsChecks;
import io.github.cdklabs.cdknag.NagPackProps;
import io.personalizeimport.lambdas.config.PipelineConfig;
import io.personalizeimport.lambdas.config.Route;
import io.personalizeimport.lambdas.config.Staging;
import io.personalizeimport.lambdas.domain.PollPolicy;
import io.personalizeimport.lambdas.FunctionEnvironment;
import io.personalizeimport.lambdas.FunctionSettings;
import io.personalizeimport.lambdas.Priming;
import io.personalizeimport.lambdas.StateMachineSubstitutions;
import io.personalizeimport.lambdas.ledger.LedgerTable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import software.amazon.awscdk.Annotations;
import software.amazon.awscdk.App;
import software.amazon.awscdk.CfnElement;
import software.amazon.awscdk.ArnComponents;
import software.amazon.awscdk.ArnFormat;
import software.amazon.awscdk.Aspects;
import software.amazon.awscdk.Aws;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.CfnOutputProps;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Environment;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.cloudwatch.Alarm;
import software.amazon.awscdk.services.cloudwatch.IAlarm;
import software.amazon.awscdk.services.cloudwatch.ComparisonOperator;
import software.amazon.awscdk.services.cloudwatch.MetricOptions;
import software.amazon.awscdk.services.cloudwatch.TreatMissingData;
import software.amazon.awscdk.services.cloudwatch.actions.SnsAction;
import software.amazon.awscdk.services.dynamodb.Attribute;
import software.amazon.awscdk.services.dynamodb.AttributeType;
import software.amazon.awscdk.services.dynamodb.BillingMode;
import software.amazon.awscdk.services.dynamodb.PointInTimeRecoverySpecification;
import software.amazon.awscdk.services.dynamodb.Table;
import software.amazon.awscdk.services.dynamodb.TableEncryption;
import software.amazon.awscdk.services.events.EventPattern;
import software.amazon.awscdk.services.events.Rule;
import software.amazon.awscdk.services.events.targets.LambdaFunction;
import software.amazon.awscdk.services.iam.Effect;
import software.amazon.awscdk.services.iam.IPrincipal;
import software.amazon.awscdk.services.iam.Policy;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.kms.IKey;
import software.amazon.awscdk.services.kms.Key;
import software.amazon.awscdk.services.lambda.Alias;
import software.amazon.awscdk.services.lambda.Architecture;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.lambda.LoggingFormat;
import software.amazon.awscdk.services.lambda.Runtime;
import software.amazon.awscdk.services.lambda.SnapStartConf;
import software.amazon.awscdk.services.lambda.destinations.SqsDestination;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.s3.BlockPublicAccess;
import software.amazon.awscdk.services.s3.Bucket;
import software.amazon.awscdk.services.s3.BucketEncryption;
import software.amazon.awscdk.services.s3.EventType;
import software.amazon.awscdk.services.s3.IBucket;
import software.amazon.awscdk.services.s3.LifecycleRule;
import software.amazon.awscdk.services.s3.NotificationKeyFilter;
import software.amazon.awscdk.services.s3.ObjectOwnership;
import software.amazon.awscdk.services.s3.notifications.LambdaDestination;
import software.amazon.awscdk.services.sns.ITopic;
import software.amazon.awscdk.services.sns.Topic;
import software.amazon.awscdk.services.sns.subscriptions.EmailSubscription;
import software.amazon.awscdk.services.sqs.Queue;
import software.amazon.awscdk.services.sqs.QueueEncryption;
import software.amazon.awscdk.services.stepfunctions.DefinitionBody;
import software.amazon.awscdk.services.stepfunctions.LogLevel;
import software.amazon.awscdk.services.stepfunctions.LogOptions;
import software.amazon.awscdk.services.stepfunctions.StateMachine;
import software.amazon.awscdk.services.stepfunctions.StateMachineType;
import software.constructs.Construct;

/**
 * The whole pipeline in one stack: the data bucket, the role Personalize assumes, the import ledger table, the four
 * functions, the import monitor state machine, the trigger's dead-letter queue and alarms, and (without routes) demo
 * datasets.
 */
public final class PipelineStack extends Stack {

    public static final String STACK_NAME = "PersonalizeImportPipeline";
    /** The alias that S3 notifications and the state machine invoke, so they always reach a SnapStart version. */
    public static final String ALIAS = "live";
    static final String PERSONALIZE = "personalize.amazonaws.com";
    /**
     * An S3-invoked function gets at most two retries within six hours (AWS Lambda Developer Guide, 'Asynchronous
     * invocation').
     */
    static final int TRIGGER_RETRY_ATTEMPTS = FunctionSettings.TRIGGER_RETRY_ATTEMPTS;
    static final Duration TRIGGER_MAX_EVENT_AGE = Duration.hours(FunctionSettings.TRIGGER_MAX_EVENT_AGE_HOURS);
    /**
     * The ledger's item actions: reads of items or of one dataset's partition, and conditional writes, some of them in
     * transactions (TransactWriteItems is authorized by the Put, Update and Delete actions of its items). No Scan.
     */
    static final List<String> LEDGER_ACTIONS = List.of("dynamodb:GetItem", "dynamodb:BatchGetItem",
            "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:Query");
    /** What a function needs from a customer managed key to read and write the ledger table encrypted with it. */
    static final List<String> LEDGER_KEY_ACTIONS = List.of(
            "kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey", "kms:DescribeKey");
    /**
     * Staged copies are read only by the one import job they were made for, and the lifecycle rule expires them; a
     * version replaced or expired in the versioned bucket is never read again, so it goes the next day.
     */
    static final int STAGED_NONCURRENT_DAYS = 1;

    /** The detail-type of Step Functions' events when an execution's status changes (EventBridge). */
    static final String LANE_STATUS_CHANGE = "Step Functions Execution Status Change";
    static final List<String> ENDED_WITHOUT_SUCCESS = List.of("FAILED", "TIMED_OUT", "ABORTED");
    static final int ENDED_EXECUTION_RETRY_ATTEMPTS = 8;

    /** A route as deployed: the dataset ARN may be a token of a demo dataset. */
    record DeployedRoute(String name, String prefix, String datasetArn, String schemaArn, Route settings) {
    }

    private final StackConfig config;
    private final List<DeployedRoute> routes;
    private final IBucket bucket;
    private final IKey dataKey;
    private final Role importRole;
    private final Table ledger;
    private final Queue deadLetterQueue;
    private final Outcomes outcomes;
    private final List<IAlarm> alarms = new ArrayList<>();
    private final StateMachine stateMachine;
    private final RepositoryPaths paths;
    /** What SnapStart priming reads in this stack's account and region: resources that never exist. */
    private final Priming.Targets priming = Priming.Targets.of(Aws.PARTITION, Aws.REGION, Aws.ACCOUNT_ID);

    /** Reads the app's context, builds the stack and applies the cdk-nag AwsSolutions checks to the app. */
    public static PipelineStack create(App app) {
        StackConfig config = StackConfig.fromContext(key -> app.getNode().tryGetContext(key));
        RepositoryPaths paths = RepositoryPaths.locate();
        StackProps props = StackProps.builder()
                .description("Personalize import pipeline: CSV uploads become Amazon Personalize dataset import jobs"
                        + " followed by Step Functions")
                .env(Environment.builder()
                        .account(System.getenv("CDK_DEFAULT_ACCOUNT"))
                        .region(System.getenv("CDK_DEFAULT_REGION"))
                        .build())
                .build();
        PipelineStack stack = new PipelineStack(app, STACK_NAME, props, config, paths);
        Aspects.of(app).add(new AwsSolutionsChecks(NagPackProps.builder().verbose(true).build()));
        return stack;
    }

    public PipelineStack(Construct scope, String id, StackProps props, StackConfig config, RepositoryPaths paths) {
        super(scope, id, props);
        this.config = config;
        this.paths = paths;
        this.dataKey = dataKey();
        this.bucket = dataBucket();
        this.routes = deployedRoutes(paths);
        this.importRole = importRole();
        allowPersonalizeInBucketPolicy();
        expireStagedCopies();
        this.ledger = ledgerTable();
        this.deadLetterQueue = deadLetterQueue();
        this.outcomes = new Outcomes(this, "Outcomes", config.defaultEventBus());

        Role describeRole = functionRole("DescribeRole");
        FunctionEnvironment environment = functionEnvironment();
        Alias describe = function(FunctionSettings.DESCRIBE, "Describe", describeRole,
                environment.variables(FunctionSettings.DESCRIBE));
        describeRole.addToPolicy(statement(List.of("personalize:DescribeDatasetImportJob"), List.of(importJobArns())));

        Role createRole = functionRole("CreateRole");
        Alias create = function(FunctionSettings.CREATE, "Create", createRole,
                environment.variables(FunctionSettings.CREATE));
        grantImport(createRole, List.of("s3:GetObject"));
        grantLedger(createRole);
        outcomes.grantPublish(createRole);

        // The lane task learns the state machine's ARN from its input ($$.StateMachine.Id), not from a variable.
        Role laneRole = functionRole("LaneRole");
        Alias lane = function(FunctionSettings.LANE, "Lane", laneRole,
                environment.variables(FunctionSettings.LANE));
        // A coalesced import copies its files server-side, from the version that was notified, into the staging folder.
        // A copy carries its source's tags (S3Proxy, the local S3, refuses x-amz-tagging-directive, so the lane copies with
        // S3's default), which reads them at the source and writes them on the copy.
        grantImport(laneRole, List.of("s3:GetObject", "s3:GetObjectVersion", "s3:GetObjectTagging",
                "s3:GetObjectVersionTagging"));
        grantLedger(laneRole);
        outcomes.grantPublish(laneRole);
        grantStaging(laneRole);

        this.stateMachine = stateMachine(paths, create, describe, lane);
        grantLaneExecutions(createRole, laneRole);
        resumeAbandonedLanes(lane);

        Role triggerRole = functionRole("TriggerRole");
        Map<String, String> triggerEnvironment = environment.variables(FunctionSettings.TRIGGER);
        triggerEnvironment.put("STATE_MACHINE_ARN", stateMachine.getStateMachineArn());
        Alias trigger = function(FunctionSettings.TRIGGER, "Trigger", triggerRole, triggerEnvironment);
        grantImport(triggerRole, List.of("s3:GetObject"));
        grantLedger(triggerRole);
        outcomes.grantPublish(triggerRole);
        triggerRole.addToPolicy(statement(List.of("states:StartExecution"),
                List.of(stateMachine.getStateMachineArn())));
        triggerRole.addToPolicy(statement(List.of("states:DescribeExecution"), List.of(executionArns())));
        notifications(trigger);

        ITopic topic = alarms();
        reportOutcomes(topic);
        outputs();
        acceptFindings();
    }

    private IKey dataKey() {
        if (config.kmsKeyArn().isPresent()) {
            return Key.fromKeyArn(this, "DataKey", config.kmsKeyArn().get());
        }
        if (!config.createKmsKey()) {
            return null;
        }
        Key key = Key.Builder.create(this, "DataKey")
                .description("Encrypts the Personalize import pipeline's data bucket")
                .enableKeyRotation(true)
                .removalPolicy(config.removalPolicy())
                .build();
        // Personalize decrypts the objects itself while importing (Amazon Personalize Developer Guide, 'Giving Amazon
        // Personalize permission to use your AWS KMS key').
        key.addToResourcePolicy(PolicyStatement.Builder.create()
                .sid("AllowPersonalizeToReadImportData")
                .principals(List.of(new ServicePrincipal(PERSONALIZE)))
                .actions(kmsActionsForPersonalize())
                .resources(List.of("*"))
                .conditions(Map.of("StringEquals", Map.of("aws:SourceAccount", Aws.ACCOUNT_ID)))
                .build());
        return key;
    }

    private static List<String> kmsActionsForPersonalize() {
        return List.of("kms:Decrypt", "kms:GenerateDataKey", "kms:DescribeKey", "kms:CreateGrant", "kms:ListGrants");
    }

    private IBucket dataBucket() {
        if (config.existingBucketName().isPresent()) {
            return Bucket.fromBucketName(this, "DataBucket", config.existingBucketName().get());
        }
        Bucket accessLogs = Bucket.Builder.create(this, "AccessLogsBucket")
                .encryption(BucketEncryption.S3_MANAGED)
                .blockPublicAccess(BlockPublicAccess.BLOCK_ALL)
                .enforceSsl(true)
                .objectOwnership(ObjectOwnership.BUCKET_OWNER_ENFORCED)
                .removalPolicy(config.removalPolicy())
                .autoDeleteObjects(config.removalPolicy() == RemovalPolicy.DESTROY)
                .build();
        Bucket.Builder data = Bucket.Builder.create(this, "DataBucket")
                .blockPublicAccess(BlockPublicAccess.BLOCK_ALL)
                .enforceSsl(true)
                .objectOwnership(ObjectOwnership.BUCKET_OWNER_ENFORCED)
                // A version id per write gives each upload its own job name (README, Names and duplicates).
                .versioned(true)
                .serverAccessLogsBucket(accessLogs)
                .serverAccessLogsPrefix("data-bucket/")
                .removalPolicy(config.removalPolicy())
                .autoDeleteObjects(config.removalPolicy() == RemovalPolicy.DESTROY);
        if (dataKey == null) {
            data.encryption(BucketEncryption.S3_MANAGED);
        } else {
            data.encryption(BucketEncryption.KMS).encryptionKey(dataKey).bucketKeyEnabled(true);
        }
        return data.build();
    }

    private List<DeployedRoute> deployedRoutes(RepositoryPaths paths) {
        if (config.demoDatasets()) {
            DemoDatasets demo = new DemoDatasets(this, "DemoDatasets", STACK_NAME, paths, config.removalPolicy());
            new CfnOutput(this, "DemoDatasetGroupArn", outputProps(demo.datasetGroupArn(),
                    "The demo dataset group the routed prefixes import into"));
            return demo.datasets().stream()
                    .map(d -> new DeployedRoute(d.routeName(), d.prefix(), d.datasetArn(), d.schemaArn(), null))
                    .toList();
        }
        return config.routes().stream()
                .map(route -> new DeployedRoute(route.name(), route.prefix(), route.datasetArn(),
                        schemaArnsOf(route.datasetArn()), route))
                .toList();
    }

    /**
     * The schema of an existing dataset is known only at run time (DescribeDataset), so the grant covers the schemas
     * of the dataset's account and region.
     */
    private static String schemaArnsOf(String datasetArn) {
        String[] parts = datasetArn.split(":", 6);
        return String.join(":", parts[0], parts[1], parts[2], parts[3], parts[4], "schema/*");
    }

    private Role importRole() {
        ServicePrincipal personalize = ServicePrincipal.Builder.create(PERSONALIZE).build();
        // Confused-deputy guard: only Personalize acting for this account and region may assume the role.
        IPrincipal trusted = personalize.withConditions(Map.of(
                "StringEquals", Map.of("aws:SourceAccount", Aws.ACCOUNT_ID),
                "ArnLike", Map.of("aws:SourceArn", "arn:" + Aws.PARTITION + ":personalize:" + Aws.REGION + ":"
                        + Aws.ACCOUNT_ID + ":*")));
        Role role = Role.Builder.create(this, "PersonalizeImportRole")
                .assumedBy(trusted)
                .description("Assumed by Amazon Personalize to read the routed prefixes and the staging folder of the"
                        + " data bucket")
                .build();
        role.addToPolicy(statement(List.of("s3:GetObject"), importedObjectArns()));
        // Personalize's own listing calls are not documented, so the listing grant has no prefix condition: it
        // reveals key names of this bucket only, never contents.
        role.addToPolicy(statement(List.of("s3:ListBucket"), List.of(bucket.getBucketArn())));
        if (dataKey != null) {
            dataKey.grant(role, kmsActionsForPersonalize().toArray(String[]::new));
            if (dataKey instanceof Key owned) {
                owned.addToResourcePolicy(PolicyStatement.Builder.create()
                        .sid("AllowImportRoleToReadImportData")
                        .principals(List.of(role))
                        .actions(kmsActionsForPersonalize())
                        .resources(List.of("*"))
                        .build());
            }
        }
        return role;
    }

    /**
     * The bucket policy Personalize needs besides the role (Amazon Personalize Developer Guide, 'Giving Amazon
     * Personalize access to Amazon S3 resources'); an existing bucket's is the user's.
     */
    private void allowPersonalizeInBucketPolicy() {
        if (config.existingBucketName().isPresent()) {
            return;
        }
        List<String> resources = new ArrayList<>();
        resources.add(bucket.getBucketArn());
        resources.addAll(importedObjectArns());
        bucket.addToResourcePolicy(PolicyStatement.Builder.create()
                .sid("AllowPersonalizeToReadRoutedPrefixes")
                .effect(Effect.ALLOW)
                .principals(List.of(new ServicePrincipal(PERSONALIZE)))
                .actions(List.of("s3:GetObject", "s3:ListBucket"))
                .resources(resources)
                .conditions(Map.of("StringEquals", Map.of("aws:SourceAccount", Aws.ACCOUNT_ID)))
                .build());
    }

    /**
     * Staged copies serve one import job each, within its monitor's deadline; the rule removes what a failed or
     * finished import left behind. An existing bucket's lifecycle configuration is the user's (README, Deploy).
     */
    private void expireStagedCopies() {
        if (bucket instanceof Bucket owned) {
            owned.addLifecycleRule(LifecycleRule.builder()
                    .id("ExpireStagedCopies")
                    .prefix(Staging.PREFIX)
                    .expiration(Duration.days(Staging.EXPIRATION_DAYS))
                    .noncurrentVersionExpiration(Duration.days(STAGED_NONCURRENT_DAYS))
                    .build());
        }
    }

    /**
     * The import ledger (README, "Dataset lanes"): one partition per dataset with its lane and its files. Encrypted
     * like the bucket: with the stack's customer managed key when there is one, else with the AWS managed key.
     */
    private Table ledgerTable() {
        Table.Builder table = Table.Builder.create(this, "LedgerTable")
                .partitionKey(Attribute.builder().name(LedgerTable.PARTITION_KEY).type(AttributeType.STRING).build())
                .sortKey(Attribute.builder().name(LedgerTable.SORT_KEY).type(AttributeType.STRING).build())
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .pointInTimeRecoverySpecification(PointInTimeRecoverySpecification.builder()
                        .pointInTimeRecoveryEnabled(true)
                        .build())
                .timeToLiveAttribute(LedgerTable.TTL_ATTRIBUTE)
                .removalPolicy(config.removalPolicy());
        if (dataKey == null) {
            table.encryption(TableEncryption.AWS_MANAGED);
        } else {
            table.encryption(TableEncryption.CUSTOMER_MANAGED).encryptionKey(dataKey);
        }
        return table.build();
    }

    private Queue deadLetterQueue() {
        return Queue.Builder.create(this, "TriggerDeadLetterQueue")
                .encryption(QueueEncryption.SQS_MANAGED)
                .enforceSsl(true)
                .retentionPeriod(Duration.days(14))
                .build();
    }

    private Role functionRole(String id) {
        return Role.Builder.create(this, id)
                .assumedBy(new ServicePrincipal("lambda.amazonaws.com"))
                .build();
    }

    /**
     * A function with its own deployment package (README, "Deployment packages"), SnapStart on its published versions
     * and primed before each snapshot (Priming), behind the alias that S3 and the state machine invoke.
     */
    private Alias function(FunctionSettings settings, String id, Role role, Map<String, String> environment) {
        LogGroup logs = LogGroup.Builder.create(this, id + "Logs")
                .retention(config.logRetention())
                .removalPolicy(config.removalPolicy())
                .build();
        logs.grant(role, "logs:CreateLogStream", "logs:PutLogEvents");
        Function function = Function.Builder.create(this, id + "Function")
                .description("Personalize import pipeline: " + settings.functionName())
                .runtime(Runtime.JAVA_25)
                .architecture(Architecture.ARM_64)
                .handler(settings.handler())
                .code(Code.fromAsset(paths.functionPackage(settings).toString()))
                .memorySize(settings.memoryMb())
                .timeout(Duration.seconds(settings.timeoutSeconds()))
                .snapStart(SnapStartConf.ON_PUBLISHED_VERSIONS)
                .loggingFormat(LoggingFormat.JSON)
                .logGroup(logs)
                .role(role)
                .environment(environment)
                .build();
        Annotations.of(function).acknowledgeWarning("@aws-cdk/aws-lambda:snapStartRequirePublish",
                "S3 and the state machine invoke the alias of a published version, never $LATEST");
        Alias.Builder alias = Alias.Builder.create(this, id + "Alias")
                .aliasName(ALIAS)
                .version(function.getCurrentVersion());
        if (settings == FunctionSettings.TRIGGER) {
            alias.retryAttempts(TRIGGER_RETRY_ATTEMPTS)
                    .maxEventAge(TRIGGER_MAX_EVENT_AGE)
                    .onFailure(new SqsDestination(deadLetterQueue));
        }
        return alias.build();
    }

    /** The functions' environment from this stack's configuration (FunctionEnvironment, read by PipelineConfig). */
    private FunctionEnvironment functionEnvironment() {
        List<Map<String, Object>> json = new ArrayList<>();
        for (DeployedRoute route : routes) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("name", route.name());
            entry.put("prefix", route.prefix());
            entry.put("datasetArn", route.datasetArn());
            Route settings = route.settings();
            entry.put("importMode", settings == null ? "FULL" : settings.importMode().name());
            if (settings != null && !settings.tags().isEmpty()) {
                entry.put("tags", settings.tags());
            }
            if (settings != null && settings.publishAttributionMetricsToS3() != null) {
                entry.put("publishAttributionMetricsToS3", settings.publishAttributionMetricsToS3());
            }
            if (settings != null) {
                // Written out as resolved, so the functions batch exactly as the validated context said.
                entry.put("group", settings.group().name().toLowerCase(Locale.ROOT));
                if (settings.group() == Route.Group.FOLDER) {
                    entry.put("marker", settings.marker());
                    entry.put("markerTimeout", settings.markerTimeout().toString());
                }
                entry.put("coalesce", settings.coalesce());
            }
            json.add(entry);
        }
        return new FunctionEnvironment(bucket.getBucketName(), toJsonString(json), importRole.getRoleArn(),
                config.preflight(), config.pollPolicy(), ledger.getTableName(),
                Outcomes.busName(config.defaultEventBus()), priming);
    }

    /**
     * What the trigger, create and lane functions call: preflight reads, CreateDatasetImportJob, PassRole.
     *
     * @param objectReads the actions on the routed objects: reads, and for the lane reads of a version as a copy source
     */
    private void grantImport(Role role, List<String> objectReads) {
        role.addToPolicy(statement(objectReads, objectArns()));
        role.addToPolicy(PolicyStatement.Builder.create()
                .actions(List.of("s3:ListBucket"))
                .resources(List.of(bucket.getBucketArn()))
                .conditions(Map.of("StringLike", Map.of("s3:prefix",
                        routes.stream().map(route -> route.prefix() + "*").toList())))
                .build());
        role.addToPolicy(statement(List.of("personalize:DescribeDataset"),
                routes.stream().map(DeployedRoute::datasetArn).distinct().toList()));
        role.addToPolicy(statement(List.of("personalize:DescribeSchema"),
                routes.stream().map(DeployedRoute::schemaArn).distinct().toList()));
        // Job names come from the uploaded objects, so only the job type of this account and region can be named.
        // Describe verifies that a job whose name is taken imports the same data into the same dataset.
        role.addToPolicy(statement(List.of("personalize:CreateDatasetImportJob", "personalize:TagResource",
                "personalize:DescribeDatasetImportJob"), List.of(importJobArns())));
        // SnapStart priming describes an execution that never exists; StartExecution stays on the state machine alone.
        role.addToPolicy(statement(List.of("states:DescribeExecution"), List.of(priming.executionArn())));
        role.addToPolicy(PolicyStatement.Builder.create()
                .actions(List.of("iam:PassRole"))
                .resources(List.of(importRole.getRoleArn()))
                .conditions(Map.of("StringEquals", Map.of("iam:PassedToService", PERSONALIZE)))
                .build());
        if (dataKey != null) {
            dataKey.grantDecrypt(role);
        }
    }

    /** The ledger's item reads and writes, nothing else: no scans, no deletes (TTL removes old items), no table admin. */
    private void grantLedger(Role role) {
        role.addToPolicy(statement(LEDGER_ACTIONS, List.of(ledger.getTableArn())));
        if (dataKey != null) {
            // DynamoDB unwraps the table key with the caller's own KMS permissions (AWS KMS Developer Guide, "How
            // Amazon DynamoDB uses AWS KMS"). These are the key actions of CDK's grantReadWriteData without ReEncrypt*,
            // which only a change of key needs, and with GenerateDataKey instead of GenerateDataKey*.
            dataKey.grant(role, LEDGER_KEY_ACTIONS.toArray(String[]::new));
        }
    }

    /**
     * Writes into the staging folder only: PutObject and PutObjectTagging are what a server-side CopyObject needs on its
     * destination (the copy keeps the source's tags), and GenerateDataKey encrypts the copy under a KMS bucket key.
     */
    private void grantStaging(Role role) {
        role.addToPolicy(statement(List.of("s3:PutObject", "s3:PutObjectTagging"), List.of(stagingArn())));
        if (dataKey != null) {
            dataKey.grant(role, "kms:GenerateDataKey");
        }
    }

    /**
     * What the create and lane functions need to move a dataset's lane on: StartExecution of its next import, and
     * DescribeExecution to tell whether the execution holding a lane still runs. It is a policy of its own: the state
     * machine invokes their aliases, and a function depends on its role's default policy, so a statement there naming
     * the state machine would be a dependency cycle.
     */
    private void grantLaneExecutions(Role... roles) {
        Policy.Builder.create(this, "LaneExecutionsPolicy")
                .roles(List.of(roles))
                .statements(List.of(
                        statement(List.of("states:StartExecution"), List.of(stateMachine.getStateMachineArn())),
                        statement(List.of("states:DescribeExecution"), List.of(executionArns()))))
                .build();
    }

    /**
     * Step Functions reports each execution that fails, times out or is stopped to EventBridge; the rule sends those of
     * this state machine to the lane function, which resumes the import of one that ended still holding its dataset's
     * lane (stopped by hand, for instance), so the files behind it do not wait for the next upload.
     */
    private void resumeAbandonedLanes(Alias lane) {
        Rule.Builder.create(this, "EndedExecutionsRule")
                .description("Executions of the import monitor that ended without success, for the lane function")
                .eventPattern(EventPattern.builder()
                        .source(List.of("aws.states"))
                        .detailType(List.of(LANE_STATUS_CHANGE))
                        .detail(Map.of("status", ENDED_WITHOUT_SUCCESS,
                                "stateMachineArn", List.of(stateMachine.getStateMachineArn())))
                        .build())
                .targets(List.of(LambdaFunction.Builder.create(lane)
                        .retryAttempts(ENDED_EXECUTION_RETRY_ATTEMPTS)
                        .maxEventAge(TRIGGER_MAX_EVENT_AGE)
                        .build()))
                .build();
    }

    /** The executions of the import monitor, by name. */
    private String executionArns() {
        return formatArn(ArnComponents.builder()
                .service("states")
                .resource("execution")
                .resourceName(stateMachine.getStateMachineName() + ":*")
                .arnFormat(ArnFormat.COLON_RESOURCE_NAME)
                .build());
    }

    private StateMachine stateMachine(RepositoryPaths paths, Alias create, Alias describe, Alias lane) {
        LogGroup logs = LogGroup.Builder.create(this, "StateMachineLogs")
                .retention(config.logRetention())
                .removalPolicy(config.removalPolicy())
                .build();
        StateMachine machine = StateMachine.Builder.create(this, "ImportMonitor")
                .stateMachineType(StateMachineType.STANDARD)
                .definitionBody(DefinitionBody.fromFile(paths.stateMachineDefinition().toString()))
                .definitionSubstitutions(StateMachineSubstitutions.of(create.getFunctionArn(),
                        describe.getFunctionArn(), lane.getFunctionArn(), config.pollPolicy()))
                .logs(LogOptions.builder().destination(logs).level(LogLevel.ALL).includeExecutionData(true).build())
                .tracingEnabled(true)
                .build();
        // The definition comes from a file, so CDK cannot see the tasks it invokes: grant them explicitly.
        create.grantInvoke(machine);
        describe.grantInvoke(machine);
        lane.grantInvoke(machine);
        return machine;
    }

    private void notifications(Alias trigger) {
        LambdaDestination destination = new LambdaDestination(trigger);
        for (DeployedRoute route : routes) {
            // One prefix with two suffixes is a valid configuration: S3 refuses overlapping filters for one event type,
            // but "two suffixes are considered overlapping if a given string can end with both", and no key ends with
            // both .csv and .CSV (Amazon S3 User Guide, "Configuring event notifications using object key name
            // filtering", https://docs.aws.amazon.com/AmazonS3/latest/userguide/notification-how-to-filtering.html).
            for (String suffix : Route.CSV_SUFFIXES) {
                bucket.addEventNotification(EventType.OBJECT_CREATED, destination, NotificationKeyFilter.builder()
                        .prefix(KeyFilters.encode(route.prefix()))
                        .suffix(suffix)
                        .build());
            }
            // A folder is complete when its marker arrives. The marker's suffix "/<marker>" overlaps neither CSV suffix,
            // since a marker never ends in .csv in any case (RouteTable).
            if (route.settings() != null && route.settings().group() == Route.Group.FOLDER) {
                bucket.addEventNotification(EventType.OBJECT_CREATED, destination, NotificationKeyFilter.builder()
                        .prefix(KeyFilters.encode(route.prefix()))
                        .suffix(KeyFilters.encode("/" + route.settings().marker()))
                        .build());
            }
        }
    }

    /** The dead-letter and failed-import alarms; with alarmEmail, the topic that mails them, else null. */
    private ITopic alarms() {
        Alarm deadLetters = Alarm.Builder.create(this, "DeadLetterAlarm")
                .alarmDescription("S3 events the trigger could not process after its retries are in the dead-letter"
                        + " queue: read them, fix the cause, and start executions for their objects")
                .metric(deadLetterQueue.metricApproximateNumberOfMessagesVisible(
                        MetricOptions.builder().period(Duration.minutes(5)).statistic("Maximum").build()))
                .threshold(0)
                .comparisonOperator(ComparisonOperator.GREATER_THAN_THRESHOLD)
                .evaluationPeriods(1)
                .treatMissingData(TreatMissingData.NOT_BREACHING)
                .build();
        Alarm failedImports = Alarm.Builder.create(this, "FailedImportsAlarm")
                .alarmDescription("An import monitor execution failed: its Error and Cause in the Step Functions"
                        + " console say why")
                .metric(stateMachine.metricFailed(MetricOptions.builder()
                        .period(Duration.minutes(5)).statistic("Sum").build()))
                .threshold(0)
                .comparisonOperator(ComparisonOperator.GREATER_THAN_THRESHOLD)
                .evaluationPeriods(1)
                .treatMissingData(TreatMissingData.NOT_BREACHING)
                .build();
        alarms.add(deadLetters);
        alarms.add(failedImports);
        if (config.alarmEmail().isEmpty()) {
            return null;
        }
        Key topicKey = Key.Builder.create(this, "AlarmTopicKey")
                .description("Encrypts the Personalize import pipeline's alarm topic")
                .enableKeyRotation(true)
                .removalPolicy(config.removalPolicy())
                .build();
        // CloudWatch alarms and EventBridge rules publish to an encrypted topic only when the key lets them use it.
        allowToPublish(topicKey, "AllowCloudWatchAlarmsToPublish", "cloudwatch.amazonaws.com");
        allowToPublish(topicKey, "AllowEventBridgeToPublish", "events.amazonaws.com");
        Topic topic = Topic.Builder.create(this, "AlarmTopic")
                .masterKey(topicKey)
                .enforceSsl(true)
                .build();
        topic.addSubscription(new EmailSubscription(config.alarmEmail().get()));
        deadLetters.addAlarmAction(new SnsAction(topic));
        failedImports.addAlarmAction(new SnsAction(topic));
        return topic;
    }

    /** Lets an AWS service of this account use the topic's key to publish to it. */
    private static void allowToPublish(Key topicKey, String sid, String servicePrincipal) {
        topicKey.addToResourcePolicy(PolicyStatement.Builder.create()
                .sid(sid)
                .principals(List.of(new ServicePrincipal(servicePrincipal)))
                .actions(List.of("kms:Decrypt", "kms:GenerateDataKey*"))
                .resources(List.of("*"))
                .conditions(Map.of("StringEquals", Map.of("aws:SourceAccount", Aws.ACCOUNT_ID)))
                .build());
    }

    /**
     * The events users subscribe to and what they look at: failure emails (with alarmEmail), an alarm per dataset whose
     * route expects a rhythm, and the dashboard.
     */
    private void reportOutcomes(ITopic topic) {
        if (topic != null) {
            outcomes.notifyFailures(topic);
        }
        Map<String, Outcomes.Dataset> datasets = new LinkedHashMap<>();
        for (DeployedRoute route : routes) {
            java.time.Duration every = route.settings() == null ? null : route.settings().expectEvery();
            Outcomes.Dataset known = datasets.get(route.datasetArn());
            if (known == null) {
                datasets.put(route.datasetArn(), new Outcomes.Dataset(route.name(), route.datasetArn(), every));
            } else {
                // Routes sharing a dataset: its label names them all, and the strictest rhythm applies.
                java.time.Duration strictest = known.expectEvery() == null ? every : every == null
                        ? known.expectEvery() : (every.compareTo(known.expectEvery()) < 0 ? every : known.expectEvery());
                datasets.put(route.datasetArn(), new Outcomes.Dataset(known.label() + ", " + route.name(),
                        route.datasetArn(), strictest));
            }
        }
        List<Outcomes.Dataset> list = List.copyOf(datasets.values());
        alarms.addAll(outcomes.stalenessAlarms(list, topic));
        outcomes.dashboard(list, deadLetterQueue, alarms);
    }

    private void outputs() {
        new CfnOutput(this, "BucketName", outputProps(bucket.getBucketName(), "Drop CSV files here"));
        new CfnOutput(this, "StateMachineArn", outputProps(stateMachine.getStateMachineArn(),
                "The import monitor: one execution per import"));
        new CfnOutput(this, "ImportRoleArn", outputProps(importRole.getRoleArn(),
                "The role Personalize assumes to read the routed prefixes"));
        new CfnOutput(this, "LedgerTableName", outputProps(ledger.getTableName(),
                "The import ledger: each dataset's lane and the outcome of each notified file"));
        new CfnOutput(this, "EventBusName", outputProps(outcomes.bus().getEventBusName(),
                "The bus the pipeline publishes its outcome events on (source personalize-import)"));
        new CfnOutput(this, "DeadLetterQueueUrl", outputProps(deadLetterQueue.getQueueUrl(),
                "S3 events the trigger could not process after its retries"));
        new CfnOutput(this, "RoutedPrefixes", outputProps(
                routes.stream().map(DeployedRoute::prefix).collect(Collectors.joining(",")),
                "Key prefixes that start imports (files must end in .csv or .CSV)"));
    }

    private static CfnOutputProps outputProps(String value, String description) {
        return CfnOutputProps.builder().value(value).description(description).build();
    }

    private List<String> objectArns() {
        return routes.stream().map(route -> bucket.arnForObjects(route.prefix() + "*")).toList();
    }

    private String stagingArn() {
        return bucket.arnForObjects(Staging.PREFIX + "*");
    }

    /** What Personalize reads: the routed prefixes, and the staging folder of coalesced imports. */
    private List<String> importedObjectArns() {
        List<String> arns = new ArrayList<>(objectArns());
        arns.add(stagingArn());
        return arns;
    }

    private String importJobArns() {
        return formatArn(ArnComponents.builder()
                .service("personalize")
                .resource("dataset-import-job")
                .resourceName("*")
                .arnFormat(ArnFormat.SLASH_RESOURCE_NAME)
                .build());
    }

    private void acceptFindings() {
        NagFindings findings = new NagFindings(this);
        List<String> prefixes = routes.stream().map(DeployedRoute::prefix).toList();
        String bucketArn = bucket instanceof Bucket owned
                ? "<" + getLogicalId((CfnElement) owned.getNode().getDefaultChild()) + ".Arn>"
                : "arn:<AWS::Partition>:s3:::" + bucket.getBucketName();
        findings.objectPrefixes("PersonalizeImportRole/DefaultPolicy/Resource", bucketArn, prefixes,
                "Personalize (through the import role)");
        String staging = bucketArn + "/" + Staging.PREFIX + "*";
        findings.stagingFolder("PersonalizeImportRole/DefaultPolicy/Resource", staging,
                "Personalize (through the import role) reads the copies that a coalesced import job imports");
        findings.stagingFolder("LaneRole/DefaultPolicy/Resource", staging,
                "The lane function writes the copies that a coalesced import job imports (PutObject and PutObjectTagging only)");
        Map<String, String> readers = new LinkedHashMap<>();
        readers.put("Trigger", "The trigger function's preflight");
        readers.put("Create", "The create function's preflight");
        readers.put("Lane", "The lane function's preflight and its copies for coalesced imports");
        for (Map.Entry<String, String> reader : readers.entrySet()) {
            String policy = reader.getKey() + "Role/DefaultPolicy/Resource";
            findings.objectPrefixes(policy, bucketArn, prefixes, reader.getValue());
            findings.importJobs(policy, "CreateDatasetImportJob and TagResource");
            if (!config.demoDatasets()) {
                findings.existingSchemas(policy, routes.stream().map(DeployedRoute::schemaArn).distinct().toList());
            }
        }
        findings.importJobs("DescribeRole/DefaultPolicy/Resource", "DescribeDatasetImportJob");
        String machine = getLogicalId((CfnElement) stateMachine.getNode().getDefaultChild());
        findings.executions("TriggerRole/DefaultPolicy/Resource", machine);
        findings.executions("LaneExecutionsPolicy/Resource", machine);
        findings.stateMachineLoggingAndTracing("ImportMonitor/Role/DefaultPolicy/Resource");
        findings.deadLetterQueue("TriggerDeadLetterQueue/Resource");
        if (bucket instanceof Bucket) {
            findings.accessLogsBucket("AccessLogsBucket/Resource");
        } else {
            findings.importedBucketNotifications("DataBucket/Notifications/HandlerPolicy/Resource");
        }
        for (var child : getNode().getChildren()) {
            String childId = child.getNode().getId();
            if (childId.startsWith("BucketNotificationsHandler")) {
                findings.bucketNotificationsHandler(childId + "/Role/Resource");
            }
            if (childId.startsWith("Custom::S3AutoDeleteObjects")) {
                findings.autoDeleteObjectsProvider(childId + "/Handler");
            }
        }
    }

    private static PolicyStatement statement(List<String> actions, List<String> resources) {
        return PolicyStatement.Builder.create().actions(actions).resources(resources).build();
    }
}
