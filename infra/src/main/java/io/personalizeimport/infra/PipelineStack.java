package io.personalizeimport.infra;

import static io.personalizeimport.lambdas.FunctionSettings.CREATE;
import static io.personalizeimport.lambdas.FunctionSettings.DESCRIBE;
import static io.personalizeimport.lambdas.FunctionSettings.FINISH;
import static io.personalizeimport.lambdas.FunctionSettings.PUBLISH;
import static io.personalizeimport.lambdas.FunctionSettings.RECOVER;
import static io.personalizeimport.lambdas.FunctionSettings.TRIGGER;

import io.github.cdklabs.cdknag.AwsSolutionsChecks;
import io.github.cdklabs.cdknag.NagPackProps;
import io.personalizeimport.lambdas.FunctionEnvironment;
import io.personalizeimport.lambdas.FunctionSettings;
import io.personalizeimport.lambdas.Priming;
import io.personalizeimport.lambdas.StateMachineSubstitutions;
import io.personalizeimport.lambdas.config.Staging;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Aspects;
import software.amazon.awscdk.Aws;
import software.amazon.awscdk.CfnElement;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.CfnOutputProps;
import software.amazon.awscdk.CfnResource;
import software.amazon.awscdk.Environment;
import software.amazon.awscdk.Names;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.Token;
import software.amazon.awscdk.services.cloudwatch.IAlarm;
import software.amazon.awscdk.services.iam.IRole;
import software.amazon.awscdk.services.iam.Policy;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.lambda.Alias;
import software.amazon.awscdk.services.lambda.CfnVersion;
import software.constructs.Construct;
import software.constructs.IConstruct;

/**
 * The whole pipeline in one stack, wired from one construct per concern: the data bucket, what Personalize may read, the
 * import ledger, the functions, the import monitor state machine, the outcome events, the alarms, the dashboard, and
 * the dataset groups of the {@code datasets} context key (without it or routes, the demo's).
 */
public final class PipelineStack extends Stack {

    public static final String STACK_NAME = "PersonalizeImportPipeline";

    private static final String BUCKET = "Bucket";
    private static final String ACCESS = "Access";
    private static final String LEDGER = "Ledger";
    private static final String FUNCTIONS = "Functions";
    private static final String MONITOR = "Monitor";
    private static final String ALARMS = "Alarms";
    private static final String DASHBOARD = "Dashboard";
    /**
     * Where each construct's resources stood when the stack first deployed them, before it had these constructs. A
     * logical ID is made from the construct path, and CloudFormation replaces a resource whose logical ID changes (an
     * empty bucket, an empty ledger table), so a resource's ID is made as if its construct were not in its path, or,
     * for the dashboard, as if it were still in Outcomes. LogicalIdsTest holds the deployed IDs.
     */
    private static final Map<String, List<String>> DEPLOYED_SCOPES = Map.of(BUCKET, List.of(), ACCESS, List.of(),
            LEDGER, List.of(), FUNCTIONS, List.of(), MONITOR, List.of(), ALARMS, List.of(),
            DASHBOARD, List.of("Outcomes"));

    /** Reads the app's context, builds the stack and applies the cdk-nag AwsSolutions checks to the app. */
    public static PipelineStack create(App app) {
        RepositoryPaths paths = RepositoryPaths.locate();
        StackConfig config = StackConfig.fromContext(key -> app.getNode().tryGetContext(key), paths.root());
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
        Routed routed = routes(config, paths);
        List<DeployedRoute> routes = routed.imports();
        List<DeployedDeletion> deletions = routed.deletions();
        DataBucket data = new DataBucket(this, BUCKET, new DataBucket.Props(config.existingBucketName(),
                config.kmsKeyArn(), config.createKmsKey(), config.removalPolicy()));
        // What SnapStart priming reads in this stack's account and region: resources that never exist.
        Priming.Targets priming = Priming.Targets.of(Aws.PARTITION, Aws.REGION, Aws.ACCOUNT_ID);
        PersonalizeAccess access = new PersonalizeAccess(this, ACCESS,
                new PersonalizeAccess.Props(data.bucket(), data.key(), routes, deletions, priming.executionArn()));
        Ledger ledger = new Ledger(this, LEDGER, new Ledger.Props(data.key(), config.removalPolicy()));
        List<Outcomes.Dataset> datasets = Outcomes.Dataset.of(routes);
        Outcomes outcomes = new Outcomes(this, "Outcomes", new Outcomes.Props(config.defaultEventBus(), datasets));

        List<Map<String, Object>> routesVariable = new ArrayList<>(routes.stream().map(DeployedRoute::environmentEntry)
                .toList());
        deletions.forEach(deletion -> routesVariable.add(deletion.environmentEntry()));
        FunctionEnvironment environment = new FunctionEnvironment(data.bucket().getBucketName(),
                toJsonString(routesVariable),
                access.role().getRoleArn(), config.preflight(), config.pollPolicy(), ledger.table().getTableName(),
                Outcomes.busName(config.defaultEventBus()), priming, config.maxImportJobs());
        Functions functions = new Functions(this, FUNCTIONS, new Functions.Props(environment, packages(paths),
                config.logRetention(), config.removalPolicy()));
        access.grantDescribeImports(functions.role(DESCRIBE));
        // The create task stages a coalesced import: it lists the batch's staging folder and copies the files missing
        // there server-side, from the version that was notified. A copy carries its source's tags (S3Proxy, the local S3,
        // refuses x-amz-tagging-directive, so the lane copies with S3's default), which reads them at the source and
        // writes them on the copy.
        grantImports(functions.role(CREATE), List.of("s3:GetObject", "s3:GetObjectVersion", "s3:GetObjectTagging",
                "s3:GetObjectVersionTagging"), access, ledger, outcomes);
        data.grantStagingWrites(functions.role(CREATE));
        // The verdict task starts the lane's next import, reading its files' first bytes; it copies nothing.
        grantImports(functions.role(FINISH), List.of("s3:GetObject"), access, ledger, outcomes);
        // The recovery function only hands an abandoned lane to a new execution of the same import: the ledger and the
        // executions, nothing of Personalize, S3 or the bus.
        ledger.grantItems(functions.role(RECOVER));
        access.grantPrimingExecution(functions.role(RECOVER));
        grantImports(functions.role(TRIGGER), List.of("s3:GetObject"), access, ledger, outcomes);
        // The publish function drains the outboxes: the ledger's outbox items and the bus, nothing else.
        ledger.grantOutbox(functions.role(PUBLISH));
        outcomes.grantPublish(functions.role(PUBLISH));
        Outcomes.PublishSchedule publishing = outcomes.publishOnSchedule(functions.alias(PUBLISH));
        // A run that failed is retried by the next one, which drains the same outbox: none of Lambda's own retries.
        DeadLetters.runFailuresTo(functions.alias(PUBLISH), 0, Outcomes.PUBLISH_MAX_EVENT_AGE,
                publishing.deadLetterQueue());

        Alias create = functions.alias(CREATE);
        Alias describe = functions.alias(DESCRIBE);
        Alias finish = functions.alias(FINISH);
        ImportMonitor monitor = new ImportMonitor(this, MONITOR, new ImportMonitor.Props(
                paths.stateMachineDefinition(), StateMachineSubstitutions.of(create.getFunctionArn(),
                        describe.getFunctionArn(), finish.getFunctionArn(), config.pollPolicy()),
                List.of(create, describe, finish), config.logRetention(), config.removalPolicy()));
        // The tasks and the recovery function learn the state machine's ARN from their input ($$.StateMachine.Id, the
        // status change's detail), not from a variable.
        Policy laneExecutions = monitor.grantStartAndDescribeToTasks(List.of(functions.role(CREATE),
                functions.role(FINISH), functions.role(RECOVER)));
        ImportMonitor.EndedExecutions ended = monitor.sendEndedExecutionsTo(functions.alias(RECOVER));
        DeadLetters.runFailuresTo(functions.alias(RECOVER), Functions.RETRY_ATTEMPTS, Functions.MAX_EVENT_AGE,
                ended.deadLetterQueue());
        functions.addEnvironment(TRIGGER, "STATE_MACHINE_ARN", monitor.stateMachine().getStateMachineArn());
        monitor.grantStartAndDescribe(functions.role(TRIGGER));
        // Deletions: the trigger records a deletion file and the create task checks it before its job (both read it);
        // the create task starts the job, and the describe and verdict tasks watch it.
        access.grantReadDeletions(functions.role(TRIGGER));
        access.grantCheckDeletionGroups(functions.role(TRIGGER));
        access.grantReadDeletions(functions.role(CREATE));
        access.grantStartDeletions(functions.role(CREATE));
        access.grantDescribeDeletions(functions.role(DESCRIBE));
        access.grantDescribeDeletions(functions.role(FINISH));
        data.notify(functions.alias(TRIGGER), routes, deletions);

        Alarms alarms = new Alarms(this, ALARMS, new Alarms.Props(functions.deadLetterQueue(),
                ended.deadLetterQueue(), publishing.deadLetterQueue(), monitor.stateMachine(), config.alarmEmail(), config.removalPolicy()));
        alarms.topic().ifPresent(outcomes::notifyFailures);
        List<IAlarm> all = new ArrayList<>(alarms.alarms());
        all.addAll(outcomes.stalenessAlarms(alarms.topic()));
        new PipelineDashboard(this, DASHBOARD, new PipelineDashboard.Props(STACK_NAME, datasets,
                functions.deadLetterQueue(), all, outcomes.bus().getEventBusName(), config.maxImportJobs()));

        output("BucketName", data.bucket().getBucketName(), "Drop CSV files here");
        output("StateMachineArn", monitor.stateMachine().getStateMachineArn(),
                "The import monitor: one execution per import");
        output("ImportRoleArn", access.role().getRoleArn(), "The role Personalize assumes to read the routed prefixes");
        output("LedgerTableName", ledger.table().getTableName(),
                "The import ledger: each dataset's lane and the outcome of each notified file");
        output("EventBusName", outcomes.bus().getEventBusName(),
                "The bus the pipeline publishes its outcome events on (source personalize-import)");
        output("DeadLetterQueueUrl", functions.deadLetterQueue().getQueueUrl(),
                "S3 events the trigger could not process after its retries");
        output("RecoveryDeadLetterQueueUrl", ended.deadLetterQueue().getQueueUrl(),
                "Ended executions EventBridge could not deliver to the recovery function, or it failed on, after retries");
        output("PublishDeadLetterQueueUrl", publishing.deadLetterQueue().getQueueUrl(),
                "Scheduled runs of the publish function that were not delivered or failed");
        output("RoutedPrefixes", routes.stream().map(DeployedRoute::prefix).collect(Collectors.joining(",")),
                "Key prefixes that start imports (files must end in .csv or .CSV)");
        if (!deletions.isEmpty()) {
            output("DeletionPrefixes", deletions.stream().map(DeployedDeletion::prefix).collect(Collectors.joining(",")),
                    "Key prefixes whose CSV files of USER_IDs start data deletion jobs");
        }
        acceptFindings(routes, deletions, data, access, functions, monitor, laneExecutions, ended, publishing);
        fixLogicalIds();
        keepDeployedId(data.bucket(), "AllowBucketNotificationsTo", functions.alias(TRIGGER));
    }

    /** The deployed import routes and deletion routes, in the order the functions' ROUTES variable lists them. */
    private record Routed(List<DeployedRoute> imports, List<DeployedDeletion> deletions) {
    }

    /**
     * The routes to existing datasets, then those to the datasets the stack creates; the demo's without either. The
     * deletion routes to existing groups, then those of the groups the stack creates.
     */
    private Routed routes(StackConfig config, RepositoryPaths paths) {
        if (config.demoDatasets()) {
            return new Routed(demoRoutes(config, paths), List.of());
        }
        List<DeployedRoute> routes = new ArrayList<>(config.routes().stream().map(DeployedRoute::of).toList());
        List<DeployedDeletion> deletions = new ArrayList<>(config.deletions().stream().map(DeployedDeletion::of)
                .toList());
        if (config.datasets().isEmpty()) {
            return new Routed(routes, deletions);
        }
        Construct created = new Construct(this, "Datasets");
        List<String> groupArns = new ArrayList<>();
        for (DatasetsContext.Group spec : config.datasets()) {
            Map<DatasetType, String> schemas = new LinkedHashMap<>();
            spec.datasets().forEach(dataset -> schemas.put(dataset.type(), dataset.schema()));
            DatasetGroup group = new DatasetGroup(created, spec.name(), new DatasetGroup.Props(spec.name(),
                    spec.domain(), schemas, config.removalPolicy()));
            groupArns.add(group.datasetGroupArn());
            for (DatasetsContext.Dataset dataset : spec.datasets()) {
                DatasetGroup.Dataset arns = group.dataset(dataset.type());
                dataset.routes().forEach(route -> routes.add(new DeployedRoute(route.name(), route.prefix(),
                        arns.datasetArn(), arns.schemaArn(), route)));
            }
            spec.deletions().forEach(deletion -> deletions.add(new DeployedDeletion(deletion.name(),
                    deletion.prefix(), group.datasetGroupArn(), deletion)));
        }
        output("DatasetGroupArns", String.join(",", groupArns),
                "The dataset groups the stack created from the datasets context key");
        return new Routed(routes, deletions);
    }

    /** The demo group's interactions, users and items, each routed from the prefix named after its type. */
    private List<DeployedRoute> demoRoutes(StackConfig config, RepositoryPaths paths) {
        List<DatasetType> types = List.of(DatasetType.INTERACTIONS, DatasetType.USERS, DatasetType.ITEMS);
        Map<DatasetType, String> schemas = new LinkedHashMap<>();
        types.forEach(type -> schemas.put(type, paths.demoSchema(type.nameSuffix() + ".avsc")));
        DatasetGroup demo = new DatasetGroup(this, "DemoDatasets", new DatasetGroup.Props(STACK_NAME + "-demo",
                Optional.empty(), schemas, config.removalPolicy()));
        output("DemoDatasetGroupArn", demo.datasetGroupArn(), "The demo dataset group the routed prefixes import into");
        return types.stream().map(type -> new DeployedRoute(type.nameSuffix(), type.nameSuffix() + "/",
                demo.dataset(type).datasetArn(), demo.dataset(type).schemaArn(), null)).toList();
    }

    private static Map<FunctionSettings, Path> packages(RepositoryPaths paths) {
        Map<FunctionSettings, Path> packages = new EnumMap<>(FunctionSettings.class);
        Arrays.stream(FunctionSettings.values()).forEach(function -> packages.put(function,
                paths.functionPackage(function)));
        return packages;
    }

    /** What every function that starts imports holds: the import grants, the ledger's items, and outcome events. */
    private static void grantImports(Role role, List<String> objectReads, PersonalizeAccess access, Ledger ledger,
                                     Outcomes outcomes) {
        access.grantStartImports(role, objectReads);
        ledger.grantItems(role);
        outcomes.grantPublish(role);
    }

    private void output(String id, String value, String description) {
        new CfnOutput(this, id, CfnOutputProps.builder().value(value).description(description).build());
    }

    /** CDK's logical ID of the element, made from its path as deployed (DEPLOYED_SCOPES). */
    @Override
    protected String allocateLogicalId(CfnElement element) {
        List<String> path = pathBelowStack(element);
        return DEPLOYED_SCOPES.containsKey(path.get(0)) ? LogicalIds.of(deployedPath(path))
                : super.allocateLogicalId(element);
    }

    /**
     * Writes each element's logical ID into it once the stack is built. CDK asks allocateLogicalId again at every
     * resolution of a reference, and jsii handles each such call from JavaScript into this class one stack frame deeper
     * than the last, so one synthesis of a few more resources overflows the thread's stack. A Lambda version keeps its
     * own ID: CDK appends a hash of its function's configuration to the ID allocated when the version was made.
     */
    private void fixLogicalIds() {
        for (IConstruct construct : getNode().findAll()) {
            if (construct instanceof CfnElement element && !(construct instanceof CfnVersion)) {
                element.overrideLogicalId(getLogicalId(element));
            }
        }
    }

    /**
     * CDK names the permission that lets S3 or EventBridge invoke a function after the function's whole construct path
     * (Names.nodeUniqueId), which now runs through the Functions construct: the permission keeps the logical ID it was
     * deployed with, named after the function's path as it was then.
     */
    private void keepDeployedId(IConstruct scope, String prefix, IConstruct function) {
        CfnResource permission = (CfnResource) scope.getNode().findChild(prefix + Names.nodeUniqueId(function.getNode()));
        List<String> functionPath = new ArrayList<>(List.of(getNode().getPath().split("/")));
        functionPath.addAll(deployedPath(pathBelowStack(function)));
        List<String> path = deployedPath(pathBelowStack(scope));
        path.add(prefix + LogicalIds.of(functionPath));
        permission.overrideLogicalId(LogicalIds.of(path));
    }

    private List<String> pathBelowStack(IConstruct construct) {
        return List.of(construct.getNode().getPath().substring(getNode().getPath().length() + 1).split("/"));
    }

    private static List<String> deployedPath(List<String> path) {
        List<String> deployed = new ArrayList<>(DEPLOYED_SCOPES.getOrDefault(path.get(0), List.of(path.get(0))));
        deployed.addAll(path.subList(1, path.size()));
        return deployed;
    }

    private void acceptFindings(List<DeployedRoute> routes, List<DeployedDeletion> deletions, DataBucket data,
                                PersonalizeAccess access, Functions functions, ImportMonitor monitor,
                                Policy laneExecutions, ImportMonitor.EndedExecutions ended,
                                Outcomes.PublishSchedule publishing) {
        NagFindings findings = new NagFindings(this);
        List<String> prefixes = routes.stream().map(DeployedRoute::prefix).toList();
        String bucketArn = data.owned()
                ? "<" + getLogicalId((CfnElement) data.bucket().getNode().getDefaultChild()) + ".Arn>"
                : "arn:<AWS::Partition>:s3:::" + data.bucket().getBucketName();
        IConstruct importPolicy = defaultPolicy(access.role());
        List<String> deletionPrefixes = deletions.stream().map(DeployedDeletion::prefix).toList();
        List<String> read = new ArrayList<>(prefixes);
        read.addAll(deletionPrefixes);
        findings.objectPrefixes(importPolicy, bucketArn, read, "Personalize (through the import role)");
        String staging = bucketArn + "/" + Staging.PREFIX + "*";
        findings.stagingFolder(importPolicy, staging,
                "Personalize (through the import role) reads the copies that a coalesced import job imports");
        findings.stagingFolder(defaultPolicy(functions.role(CREATE)), staging,
                "The create function writes the copies that a coalesced import job imports (PutObject and PutObjectTagging only)");
        Map<FunctionSettings, String> readers = new EnumMap<>(FunctionSettings.class);
        readers.put(TRIGGER, "The trigger function's preflight");
        readers.put(CREATE, "The create function's preflight and its copies for coalesced imports");
        readers.put(FINISH, "The verdict function's preflight");
        readers.forEach((reader, use) -> {
            IConstruct policy = defaultPolicy(functions.role(reader));
            findings.objectPrefixes(policy, bucketArn, prefixes, use);
            findings.importJobs(policy, "CreateDatasetImportJob and TagResource");
            List<String> existingSchemas = routes.stream().map(DeployedRoute::schemaArn)
                    .filter(arn -> !Token.isUnresolved(arn)).distinct().toList();
            if (!existingSchemas.isEmpty()) {
                findings.existingSchemas(policy, existingSchemas);
            }
        });
        findings.importJobs(defaultPolicy(functions.role(DESCRIBE)), "DescribeDatasetImportJob");
        if (!deletions.isEmpty()) {
            findings.objectPrefixes(defaultPolicy(functions.role(TRIGGER)), bucketArn, deletionPrefixes,
                    "The trigger function, recording a file of users to forget,");
            findings.objectPrefixes(defaultPolicy(functions.role(CREATE)), bucketArn, deletionPrefixes,
                    "The create function, checking a file of users to forget before its data deletion job,");
            findings.deletionJobs(defaultPolicy(functions.role(CREATE)),
                    "CreateDataDeletionJob, TagResource and DescribeDataDeletionJob");
            findings.deletionJobs(defaultPolicy(functions.role(DESCRIBE)), "DescribeDataDeletionJob");
            findings.deletionJobs(defaultPolicy(functions.role(FINISH)), "DescribeDataDeletionJob");
        }
        String machine = getLogicalId((CfnElement) monitor.stateMachine().getNode().getDefaultChild());
        findings.executions(defaultPolicy(functions.role(TRIGGER)), machine);
        findings.executions(laneExecutions.getNode().getDefaultChild(), machine);
        findings.stateMachineLoggingAndTracing(defaultPolicy(monitor.stateMachine().getRole()));
        findings.deadLetterQueue(functions.deadLetterQueue().getNode().getDefaultChild());
        findings.recoveryDeadLetterQueue(ended.deadLetterQueue().getNode().getDefaultChild());
        findings.publishDeadLetterQueue(publishing.deadLetterQueue().getNode().getDefaultChild());
        if (data.owned()) {
            findings.accessLogsBucket(data.accessLogsBucket().orElseThrow().getNode().getDefaultChild());
        } else {
            findings.importedBucketNotifications(data.bucket().getNode().findChild("Notifications").getNode()
                    .findChild("HandlerPolicy").getNode().getDefaultChild());
        }
        for (IConstruct child : getNode().getChildren()) {
            String childId = child.getNode().getId();
            if (childId.startsWith("BucketNotificationsHandler")) {
                findings.bucketNotificationsHandler(child.getNode().findChild("Role").getNode().getDefaultChild());
            }
            if (childId.startsWith("Custom::S3AutoDeleteObjects")) {
                findings.autoDeleteObjectsProvider(child.getNode().findChild("Handler"));
            }
        }
    }

    /** The CloudFormation policy that holds the statements added to a role. */
    private static IConstruct defaultPolicy(IRole role) {
        return role.getNode().findChild("DefaultPolicy").getNode().getDefaultChild();
    }
}
