package io.personalizeimport.infra;

import static io.personalizeimport.infra.Cfn.allow;
import static io.personalizeimport.infra.Cfn.arnOf;
import static io.personalizeimport.infra.Cfn.executions;
import static io.personalizeimport.infra.Cfn.importJobs;
import static io.personalizeimport.infra.Cfn.objects;
import static io.personalizeimport.infra.Cfn.primingExecution;
import static io.personalizeimport.infra.Cfn.primingImportJob;
import static io.personalizeimport.infra.Cfn.ref;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.personalizeimport.lambdas.FunctionSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import software.amazon.awscdk.assertions.Capture;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

/** The stack cdk.json describes as committed: a new bucket with SSE-S3, demo datasets, RETAIN. */
class PipelineStackTest {

    private static Synthesized synth;
    private static Template template;

    @BeforeAll
    static void synthesize() {
        synth = Synthesized.of(Synthesized.DEFAULTS);
        template = synth.template();
    }

    private String bucket() {
        return synth.logicalId("DataBucket", "AWS::S3::Bucket");
    }

    /** PutEvents on the pipeline's bus, for the pipeline's own source only. */
    private Object publishStatement() {
        return allow("events:PutEvents", arnOf(synth.logicalId("OutcomesBus", "AWS::Events::EventBus")),
                Map.of("StringEquals", Map.of("events:source", "personalize-import")));
    }

    private Object ledgerStatement() {
        return allow(Ledger.ACTIONS, arnOf(synth.logicalId("LedgerTable", "AWS::DynamoDB::Table")));
    }

    @Test
    void dataBucket_shouldBeEncryptedPrivateVersionedAndLogged() {
        template.hasResourceProperties("AWS::S3::Bucket", Match.objectLike(Map.of(
                "BucketEncryption", Map.of("ServerSideEncryptionConfiguration", List.of(Map.of(
                        "ServerSideEncryptionByDefault", Map.of("SSEAlgorithm", "AES256")))),
                "PublicAccessBlockConfiguration", Map.of("BlockPublicAcls", true, "BlockPublicPolicy", true,
                        "IgnorePublicAcls", true, "RestrictPublicBuckets", true),
                "VersioningConfiguration", Map.of("Status", "Enabled"),
                "LoggingConfiguration", Map.of(
                        "DestinationBucketName", ref(synth.logicalId("AccessLogsBucket", "AWS::S3::Bucket")),
                        "LogFilePrefix", "data-bucket/"))));
    }

    @Test
    void defaultRemovalPolicy_shouldRetainBucketsDatasetsAndLogs() {
        for (String type : List.of("AWS::S3::Bucket", "AWS::Personalize::Dataset", "AWS::Personalize::DatasetGroup",
                "AWS::Personalize::Schema", "AWS::Logs::LogGroup", "AWS::DynamoDB::Table")) {
            Map<String, Map<String, Object>> resources = template.findResources(type);
            assertFalse(resources.isEmpty(), type);
            resources.forEach((id, resource) -> assertEquals("Retain", resource.get("DeletionPolicy"), id));
        }
        template.resourceCountIs("Custom::S3AutoDeleteObjects", 0);
    }

    @Test
    void bucketPolicy_shouldDenyPlainHttpAndLetOnlyThisAccountsPersonalizeReadRoutedPrefixesAndStaging() {
        String bucket = bucket();
        template.hasResourceProperties("AWS::S3::BucketPolicy", Match.objectLike(Map.of(
                "Bucket", ref(bucket),
                "PolicyDocument", Match.objectLike(Map.of("Statement", Match.arrayWith(List.of(
                        Match.objectLike(Map.of(
                                "Effect", "Deny",
                                "Action", "s3:*",
                                "Principal", Map.of("AWS", "*"),
                                "Condition", Map.of("Bool", Map.of("aws:SecureTransport", "false")))),
                        Match.exact(Map.of(
                                "Sid", "AllowPersonalizeToReadRoutedPrefixes",
                                "Effect", "Allow",
                                "Principal", Map.of("Service", "personalize.amazonaws.com"),
                                "Action", "s3:GetObject",
                                "Resource", List.of(objects(bucket, "interactions/"), objects(bucket, "users/"),
                                        objects(bucket, "items/"), objects(bucket, "_staging/")),
                                "Condition", PersonalizeAccessTest.THIS_ACCOUNTS_PERSONALIZE)),
                        Match.exact(Map.of(
                                "Sid", "AllowPersonalizeToListRoutedPrefixes",
                                "Effect", "Allow",
                                "Principal", Map.of("Service", "personalize.amazonaws.com"),
                                "Action", "s3:ListBucket",
                                "Resource", arnOf(bucket),
                                "Condition", Map.of(
                                        "StringEquals", PersonalizeAccessTest.THIS_ACCOUNTS_PERSONALIZE
                                                .get("StringEquals"),
                                        "ArnLike", PersonalizeAccessTest.THIS_ACCOUNTS_PERSONALIZE.get("ArnLike"),
                                        "StringLike", Map.of("s3:prefix", List.of("interactions/*", "users/*",
                                                "items/*", "_staging/*"))))))))))));
    }

    @Test
    void importRole_shouldTrustOnlyPersonalizeOfThisAccountAndRegion() {
        template.hasResourceProperties("AWS::IAM::Role", Match.objectLike(Map.of(
                "AssumeRolePolicyDocument", Match.objectLike(Map.of("Statement", List.of(Map.of(
                        "Effect", "Allow",
                        "Action", "sts:AssumeRole",
                        "Principal", Map.of("Service", "personalize.amazonaws.com"),
                        "Condition", PersonalizeAccessTest.THIS_ACCOUNTS_PERSONALIZE)))))));
    }

    @Test
    void importRole_shouldReadAndListOnlyTheRoutedPrefixesAndTheStagingFolder() {
        String bucket = bucket();
        template.hasResourceProperties("AWS::IAM::Policy", Match.objectLike(Map.of(
                "Roles", List.of(ref(synth.logicalId("PersonalizeImportRole", "AWS::IAM::Role"))),
                "PolicyDocument", Match.objectLike(Map.of("Statement", Match.arrayEquals(List.of(
                        allow("s3:GetObject", List.of(objects(bucket, "interactions/"), objects(bucket, "users/"),
                                objects(bucket, "items/"), objects(bucket, "_staging/"))),
                        allow("s3:ListBucket", arnOf(bucket), Map.of("StringLike", Map.of("s3:prefix", List.of(
                                "interactions/*", "users/*", "items/*", "_staging/*")))))))))));
    }

    @Test
    void triggerRole_shouldHoldOnlyWhatTheTriggerCalls() {
        String bucket = bucket();
        template.hasResourceProperties("AWS::IAM::Policy", Match.objectLike(Map.of(
                "Roles", List.of(ref(synth.logicalId("TriggerRole", "AWS::IAM::Role"))),
                "PolicyDocument", Match.objectLike(Map.of("Statement", Match.arrayEquals(List.of(
                        allow(List.of("logs:CreateLogStream", "logs:PutLogEvents"),
                                arnOf(synth.logicalId("TriggerLogs", "AWS::Logs::LogGroup"))),
                        allow(List.of("sqs:SendMessage", "sqs:GetQueueAttributes", "sqs:GetQueueUrl"),
                                arnOf(synth.logicalId("TriggerDeadLetterQueue", "AWS::SQS::Queue"))),
                        importStatements(bucket).get(0), importStatements(bucket).get(1),
                        importStatements(bucket).get(2), importStatements(bucket).get(3),
                        importStatements(bucket).get(4), importStatements(bucket).get(5),
                        importStatements(bucket).get(6), importStatements(bucket).get(7),
                        ledgerStatement(), publishStatement(),
                        allow("states:StartExecution",
                                ref(synth.logicalId("ImportMonitor", "AWS::StepFunctions::StateMachine"))),
                        allow("states:DescribeExecution",
                                executions(synth.logicalId("ImportMonitor", "AWS::StepFunctions::StateMachine"))))))))));
    }

    @Test
    void createRole_shouldHoldTheImportAndLedgerGrantsCopySourceReadsAndStagingWritesOnly() {
        // GIVEN the create function's role: it stages a coalesced batch before it creates the batch's job
        String bucket = bucket();
        List<Object> expected = new ArrayList<>();
        expected.add(allow(List.of("logs:CreateLogStream", "logs:PutLogEvents"),
                arnOf(synth.logicalId("CreateLogs", "AWS::Logs::LogGroup"))));
        // A staged copy is of the notified version of each file: GetObjectVersion reads it as a copy source.
        expected.addAll(importStatements(bucket, List.of("s3:GetObject", "s3:GetObjectVersion", "s3:GetObjectTagging",
                "s3:GetObjectVersionTagging")));
        expected.add(ledgerStatement());
        expected.add(publishStatement());
        expected.add(allow(List.of("s3:PutObject", "s3:PutObjectTagging"), objects(bucket, "_staging/")));
        expected.add(allow("s3:ListBucket", arnOf(bucket), Map.of("StringLike", Map.of("s3:prefix",
                List.of("_staging/*")))));
        template.hasResourceProperties("AWS::IAM::Policy", Match.objectLike(Map.of(
                "Roles", List.of(ref(synth.logicalId("CreateRole", "AWS::IAM::Role"))),
                "PolicyDocument", Match.objectLike(Map.of("Statement", Match.arrayEquals(expected))))));
    }

    @Test
    void finishRole_shouldHoldTheImportAndLedgerGrantsOnly() {
        // GIVEN the verdict function's role: it starts the lane's next import, whose create task stages a batch
        String bucket = bucket();
        Map<String, Object> laneRole = ref(synth.logicalId("FinishRole", "AWS::IAM::Role"));
        List<Object> expected = new ArrayList<>();
        expected.add(allow(List.of("logs:CreateLogStream", "logs:PutLogEvents"),
                arnOf(synth.logicalId("FinishLogs", "AWS::Logs::LogGroup"))));
        expected.addAll(importStatements(bucket));
        expected.add(ledgerStatement());
        expected.add(publishStatement());

        // WHEN / THEN its default policy holds exactly these
        template.hasResourceProperties("AWS::IAM::Policy", Match.objectLike(Map.of(
                "Roles", List.of(laneRole),
                "PolicyDocument", Match.objectLike(Map.of("Statement", Match.arrayEquals(expected))))));
        template.resourcePropertiesCountIs("AWS::IAM::Policy", Match.objectLike(Map.of("Roles", List.of(laneRole))), 1);
    }

    @Test
    void recoverRole_shouldHoldItsLogsTheLedgerAndItsDeadLettersOnly() {
        // GIVEN the recovery function's role: it hands an abandoned lane to a new execution of the same import
        Map<String, Object> recoverRole = ref(synth.logicalId("RecoverRole", "AWS::IAM::Role"));

        // WHEN / THEN its default policy holds its logs and the ledger's items, and nothing of Personalize, S3 or the bus
        template.hasResourceProperties("AWS::IAM::Policy", Match.objectLike(Map.of(
                "Roles", List.of(recoverRole),
                "PolicyDocument", Match.objectLike(Map.of("Statement", Match.arrayEquals(List.of(
                        allow(List.of("logs:CreateLogStream", "logs:PutLogEvents"),
                                arnOf(synth.logicalId("RecoverLogs", "AWS::Logs::LogGroup"))),
                        ledgerStatement(), allow("states:DescribeExecution", primingExecution()),
                        allow(List.of("sqs:SendMessage", "sqs:GetQueueAttributes", "sqs:GetQueueUrl"),
                                arnOf(synth.logicalId("EndedExecutionsDeadLetterQueue", "AWS::SQS::Queue"))))))))));
    }

    @Test
    void createFinishAndRecoverRoles_shouldStartAndDescribeExecutionsThroughAPolicyOfTheirOwn() {
        // GIVEN the functions that move a dataset's lane on from inside an execution, or after one ended
        String machine = synth.logicalId("ImportMonitor", "AWS::StepFunctions::StateMachine");

        // WHEN / THEN StartExecution of the next import and DescribeExecution of the lane's holder sit in one policy
        // apart from their default policies, since the state machine depends on their aliases and each function on its
        // role's default policy
        template.hasResourceProperties("AWS::IAM::Policy", Match.objectLike(Map.of(
                "Roles", List.of(ref(synth.logicalId("CreateRole", "AWS::IAM::Role")),
                        ref(synth.logicalId("FinishRole", "AWS::IAM::Role")),
                        ref(synth.logicalId("RecoverRole", "AWS::IAM::Role"))),
                "PolicyDocument", Match.objectLike(Map.of("Statement", Match.arrayEquals(List.of(
                        allow("states:StartExecution", ref(machine)),
                        allow("states:DescribeExecution", executions(machine)))))))));
    }

    @Test
    void executionsThatEndWithoutSuccess_shouldBeSentToTheRecoveryFunction() {
        // GIVEN the recovery function's alias and the state machine
        String machine = synth.logicalId("ImportMonitor", "AWS::StepFunctions::StateMachine");
        String laneAlias = synth.logicalId("RecoverAlias", "AWS::Lambda::Alias");
        String deadLetters = synth.logicalId("EndedExecutionsDeadLetterQueue", "AWS::SQS::Queue");

        // WHEN / THEN Step Functions' status change events of this state machine's failed, timed-out and stopped
        // executions go to the recovery alias, retried, then to an alarmed dead-letter queue, and EventBridge may invoke it
        template.hasResourceProperties("AWS::Events::Rule", Match.objectLike(Map.of(
                "EventPattern", Map.of(
                        "source", List.of("aws.states"),
                        "detail-type", List.of("Step Functions Execution Status Change"),
                        "detail", Map.of("status", List.of("FAILED", "TIMED_OUT", "ABORTED"),
                                "stateMachineArn", List.of(ref(machine)))),
                "State", "ENABLED",
                "Targets", Match.arrayEquals(List.of(Match.objectLike(Map.of(
                        "Arn", ref(laneAlias),
                        "RetryPolicy", Map.of("MaximumRetryAttempts", ImportMonitor.ENDED_EXECUTION_RETRY_ATTEMPTS,
                                "MaximumEventAgeInSeconds", 6 * 3600),
                        "DeadLetterConfig", Map.of("Arn", arnOf(deadLetters)))))))));
        template.hasResourceProperties("AWS::CloudWatch::Alarm", Match.objectLike(Map.of(
                "MetricName", "ApproximateNumberOfMessagesVisible",
                "Dimensions", List.of(Map.of("Name", "QueueName", "Value",
                        Map.of("Fn::GetAtt", List.of(deadLetters, "QueueName")))),
                "Threshold", 0,
                "ComparisonOperator", "GreaterThanThreshold")));
        template.hasResourceProperties("AWS::Lambda::Permission", Match.objectLike(Map.of(
                "Action", "lambda:InvokeFunction",
                "FunctionName", ref(laneAlias),
                "Principal", "events.amazonaws.com")));
    }

    @Test
    void describeRole_shouldOnlyDescribeImportJobs() {
        template.hasResourceProperties("AWS::IAM::Policy", Match.objectLike(Map.of(
                "Roles", List.of(ref(synth.logicalId("DescribeRole", "AWS::IAM::Role"))),
                "PolicyDocument", Match.objectLike(Map.of("Statement", Match.arrayEquals(List.of(
                        allow(List.of("logs:CreateLogStream", "logs:PutLogEvents"),
                                arnOf(synth.logicalId("DescribeLogs", "AWS::Logs::LogGroup"))),
                        allow("personalize:DescribeDatasetImportJob", importJobs()))))))));
    }

    /**
     * Preflight reads, the demo datasets and schemas, CreateDatasetImportJob (and DescribeDatasetImportJob, to verify a
     * job whose name is taken), and PassRole only to Personalize.
     */
    private List<Object> importStatements(String bucket) {
        return importStatements(bucket, "s3:GetObject");
    }

    /** The import statements with {@code objectReads} as the actions on the routed objects. */
    private List<Object> importStatements(String bucket, Object objectReads) {
        return List.of(
                allow(objectReads, List.of(objects(bucket, "interactions/"), objects(bucket, "users/"),
                        objects(bucket, "items/"))),
                allow("s3:ListBucket", arnOf(bucket), Map.of("StringLike", Map.of("s3:prefix",
                        List.of("interactions/*", "users/*", "items/*")))),
                allow("personalize:DescribeDataset", List.of(
                        demoAttribute("InteractionsDataset", "DatasetArn"),
                        demoAttribute("UsersDataset", "DatasetArn"),
                        demoAttribute("ItemsDataset", "DatasetArn"))),
                allow("personalize:DescribeSchema", List.of(
                        demoAttribute("InteractionsSchema", "SchemaArn"),
                        demoAttribute("UsersSchema", "SchemaArn"),
                        demoAttribute("ItemsSchema", "SchemaArn"))),
                allow("personalize:CreateDatasetImportJob", List.of(
                        demoAttribute("InteractionsDataset", "DatasetArn"),
                        demoAttribute("UsersDataset", "DatasetArn"),
                        demoAttribute("ItemsDataset", "DatasetArn"), importJobs())),
                allow(List.of("personalize:TagResource", "personalize:DescribeDatasetImportJob"), importJobs()),
                allow("states:DescribeExecution", primingExecution()),
                allow("iam:PassRole", arnOf(synth.logicalId("PersonalizeImportRole", "AWS::IAM::Role")),
                        Map.of("StringEquals", Map.of("iam:PassedToService", "personalize.amazonaws.com"))));
    }

    private Map<String, Object> demoAttribute(String prefix, String attribute) {
        String type = prefix.endsWith("Schema") ? "AWS::Personalize::Schema" : "AWS::Personalize::Dataset";
        return Map.of("Fn::GetAtt", List.of(synth.logicalId("DemoDatasets" + prefix, type), attribute));
    }

    @ParameterizedTest
    @EnumSource(FunctionSettings.class)
    void function_shouldRunJava25OnArmWithSnapStartJsonLogsAndTheLocalStacksSizing(FunctionSettings settings) {
        String id = Functions.idOf(settings);
        template.hasResourceProperties("AWS::Lambda::Function", Match.objectLike(Map.of(
                "Handler", settings.handler(),
                "Runtime", "java25",
                "Architectures", List.of("arm64"),
                "MemorySize", settings.memoryMb(),
                "Timeout", settings.timeoutSeconds(),
                "SnapStart", Map.of("ApplyOn", "PublishedVersions"),
                "LoggingConfig", Map.of("LogFormat", "JSON",
                        "LogGroup", ref(synth.logicalId(id + "Logs", "AWS::Logs::LogGroup"))),
                "Role", arnOf(synth.logicalId(id + "Role", "AWS::IAM::Role")))));
        template.hasResourceProperties("AWS::Lambda::Alias", Match.objectLike(Map.of(
                "Name", Functions.ALIAS,
                "FunctionName", ref(synth.logicalId(id + "Function", "AWS::Lambda::Function")),
                "FunctionVersion", Map.of("Fn::GetAtt", List.of(
                        synth.logicalId(id + "FunctionCurrentVersion", "AWS::Lambda::Version"), "Version")))));
        template.hasResourceProperties("AWS::Logs::LogGroup", Match.objectLike(Map.of("RetentionInDays", 90)));
    }

    @Test
    void functionEnvironments_shouldCarryTheConfiguration() {
        Capture routes = new Capture();
        template.hasResourceProperties("AWS::Lambda::Function", Match.objectLike(Map.of(
                "Handler", FunctionSettings.TRIGGER.handler(),
                "Environment", Map.of("Variables", Map.of(
                        "DATA_BUCKET", ref(bucket()),
                        "ROUTES", routes,
                        "IMPORT_ROLE_ARN", arnOf(synth.logicalId("PersonalizeImportRole", "AWS::IAM::Role")),
                        "PREFLIGHT", "true",
                        "LEDGER_TABLE", ref(synth.logicalId("LedgerTable", "AWS::DynamoDB::Table")),
                        "PRIMING_EXECUTION_ARN", primingExecution(),
                        "PRIMING_IMPORT_JOB_ARN", primingImportJob(),
                        "STATE_MACHINE_ARN", ref(synth.logicalId("ImportMonitor",
                                "AWS::StepFunctions::StateMachine")))))));
        assertTrue(routes.asObject().containsKey("Fn::Join"), "demo routes name the datasets the stack creates");
        template.hasResourceProperties("AWS::Lambda::Function", Match.objectLike(Map.of(
                "Handler", FunctionSettings.CREATE.handler(),
                "Environment", Map.of("Variables", Map.of(
                        "DATA_BUCKET", ref(bucket()),
                        "ROUTES", Match.anyValue(),
                        "IMPORT_ROLE_ARN", arnOf(synth.logicalId("PersonalizeImportRole", "AWS::IAM::Role")),
                        "PREFLIGHT", "true",
                        "LEDGER_TABLE", ref(synth.logicalId("LedgerTable", "AWS::DynamoDB::Table")),
                        "PRIMING_EXECUTION_ARN", primingExecution(),
                        "PRIMING_IMPORT_JOB_ARN", primingImportJob(),
                        "MONITOR_DEADLINE", "PT48H")))));
        template.hasResourceProperties("AWS::Lambda::Function", Match.objectLike(Map.of(
                "Handler", FunctionSettings.DESCRIBE.handler(),
                "Environment", Map.of("Variables", Map.of(
                        "POLL_INITIAL_SECONDS", "15", "POLL_MAX_SECONDS", "300", "MONITOR_DEADLINE", "PT48H",
                        "PRIMING_IMPORT_JOB_ARN", primingImportJob(),
                        "LEDGER_TABLE", Match.absent(), "PRIMING_EXECUTION_ARN", Match.absent())))));
    }

    @Test
    void s3Notifications_shouldInvokeTheTriggerAliasForCsvFilesUnderEachRoutedPrefix() {
        // GIVEN the stack with the demo routes interactions/, users/ and items/
        Map<String, Object> alias = ref(synth.logicalId("TriggerAlias", "AWS::Lambda::Alias"));

        // WHEN / THEN each route sends objects ending in .csv and in .CSV to the trigger alias: S3 suffix filters are
        // case-sensitive (Amazon S3 User Guide, 'Configuring event notifications using object key name filtering'), so
        // a mixed-case suffix such as .Csv matches neither and AWS does not notify it
        template.hasResourceProperties("Custom::S3BucketNotifications", Match.objectLike(Map.of(
                "BucketName", ref(bucket()),
                "NotificationConfiguration", Map.of("LambdaFunctionConfigurations", Match.arrayEquals(List.of(
                        notification(alias, "interactions/", ".csv"), notification(alias, "interactions/", ".CSV"),
                        notification(alias, "users/", ".csv"), notification(alias, "users/", ".CSV"),
                        notification(alias, "items/", ".csv"), notification(alias, "items/", ".CSV")))))));
        template.hasResourceProperties("AWS::Lambda::Permission", Match.objectLike(Map.of(
                "Action", "lambda:InvokeFunction",
                "FunctionName", alias,
                "Principal", "s3.amazonaws.com",
                "SourceAccount", ref("AWS::AccountId"),
                "SourceArn", arnOf(bucket()))));
    }

    private static Map<String, Object> notification(Map<String, Object> alias, String prefix, String suffix) {
        return Map.of("Events", List.of("s3:ObjectCreated:*"),
                "Filter", Map.of("Key", Map.of("FilterRules", List.of(
                        Map.of("Name", "suffix", "Value", suffix), Map.of("Name", "prefix", "Value", prefix)))),
                "LambdaFunctionArn", alias);
    }

    @Test
    void triggerAsyncInvocation_shouldRetryTwiceThenKeepTheEventInTheDeadLetterQueue() {
        String queue = synth.logicalId("TriggerDeadLetterQueue", "AWS::SQS::Queue");
        assertRunFailuresGoTo("Trigger", 2, 21_600, queue);
        template.hasResourceProperties("AWS::SQS::Queue", Match.objectLike(Map.of("SqsManagedSseEnabled", true)));
        template.hasResourceProperties("AWS::SQS::QueuePolicy", Match.objectLike(Map.of(
                "Queues", List.of(ref(queue)),
                "PolicyDocument", Match.objectLike(Map.of("Statement", Match.arrayWith(List.of(Match.objectLike(Map.of(
                        "Effect", "Deny",
                        "Condition", Map.of("Bool", Map.of("aws:SecureTransport", "false")))))))))));
        template.hasResourceProperties("AWS::CloudWatch::Alarm", Match.objectLike(Map.of(
                "MetricName", "ApproximateNumberOfMessagesVisible",
                "Namespace", "AWS/SQS",
                "Threshold", 0,
                "ComparisonOperator", "GreaterThanThreshold")));
    }

    @Test
    void stateMachine_shouldBeStandardLoggedTracedAndBoundToTheAliases() {
        String logs = synth.logicalId("StateMachineLogs", "AWS::Logs::LogGroup");
        template.hasResourceProperties("AWS::StepFunctions::StateMachine", Match.objectLike(Map.of(
                "StateMachineType", "STANDARD",
                "DefinitionSubstitutions", Map.of(
                        "CreateFunctionArn", ref(synth.logicalId("CreateAlias", "AWS::Lambda::Alias")),
                        "DescribeFunctionArn", ref(synth.logicalId("DescribeAlias", "AWS::Lambda::Alias")),
                        "FinishFunctionArn", ref(synth.logicalId("FinishAlias", "AWS::Lambda::Alias"))),
                "LoggingConfiguration", Map.of(
                        "Level", "ALL",
                        "IncludeExecutionData", true,
                        "Destinations", List.of(Map.of("CloudWatchLogsLogGroup", Map.of("LogGroupArn", arnOf(logs))))),
                "TracingConfiguration", Map.of("Enabled", true))));
        template.hasResourceProperties("AWS::IAM::Policy", Match.objectLike(Map.of(
                "Roles", List.of(ref(synth.logicalId("ImportMonitorRole", "AWS::IAM::Role"))),
                "PolicyDocument", Match.objectLike(Map.of("Statement", Match.arrayWith(List.of(
                        allow("lambda:InvokeFunction", ref(synth.logicalId("CreateAlias", "AWS::Lambda::Alias"))),
                        allow("lambda:InvokeFunction", ref(synth.logicalId("DescribeAlias",
                                "AWS::Lambda::Alias"))),
                        allow("lambda:InvokeFunction", ref(synth.logicalId("FinishAlias",
                                "AWS::Lambda::Alias"))))))))));
        template.hasResourceProperties("AWS::CloudWatch::Alarm", Match.objectLike(Map.of(
                "MetricName", "ExecutionsFailed", "Namespace", "AWS/States")));
    }

    @Test
    void noRoutes_shouldCreateTheDemoDatasetGroupFromTheRepositorysSchemas() {
        template.resourceCountIs("AWS::Personalize::DatasetGroup", 1);
        template.resourceCountIs("AWS::Personalize::Schema", 3);
        template.resourceCountIs("AWS::Personalize::Dataset", 3);
        String group = synth.logicalId("DemoDatasetsGroup", "AWS::Personalize::DatasetGroup");
        for (String type : List.of("Interactions", "Users", "Items")) {
            template.hasResourceProperties("AWS::Personalize::Dataset", Map.of(
                    "DatasetType", type,
                    "Name", PipelineStack.STACK_NAME + "-demo-" + type.toLowerCase(java.util.Locale.ROOT),
                    "DatasetGroupArn", Map.of("Fn::GetAtt", List.of(group, "DatasetGroupArn")),
                    "SchemaArn", demoAttribute(type + "Schema", "SchemaArn")));
        }
        template.hasResourceProperties("AWS::Personalize::Schema", Match.objectLike(Map.of(
                "Name", PipelineStack.STACK_NAME + "-demo-interactions",
                "Schema", Match.serializedJson(Match.objectLike(Map.of("name", "Interactions"))))));
    }

    @Test
    void outputs_shouldNameBucketStateMachineRoleLedgerQueueAndPrefixes() {
        template.hasOutput("BucketName", Map.of("Value", ref(bucket())));
        template.hasOutput("StateMachineArn", Map.of("Value",
                ref(synth.logicalId("ImportMonitor", "AWS::StepFunctions::StateMachine"))));
        template.hasOutput("ImportRoleArn", Map.of("Value",
                arnOf(synth.logicalId("PersonalizeImportRole", "AWS::IAM::Role"))));
        template.hasOutput("LedgerTableName", Map.of("Value",
                ref(synth.logicalId("LedgerTable", "AWS::DynamoDB::Table"))));
        template.hasOutput("DeadLetterQueueUrl", Map.of("Value",
                ref(synth.logicalId("TriggerDeadLetterQueue", "AWS::SQS::Queue"))));
        template.hasOutput("RecoveryDeadLetterQueueUrl", Map.of("Value",
                ref(synth.logicalId("EndedExecutionsDeadLetterQueue", "AWS::SQS::Queue"))));
        template.hasOutput("PublishDeadLetterQueueUrl", Map.of("Value",
                ref(synth.logicalId("OutcomesPublishDeadLetterQueue", "AWS::SQS::Queue"))));
        template.hasOutput("RoutedPrefixes", Map.of("Value", "interactions/,users/,items/"));
    }

    @Test
    void recoverAndPublishRuns_thatFail_shouldBeKeptInTheQueuesOfTheirRules() {
        // GIVEN the queues of the events EventBridge could not deliver to the recovery and publish functions
        String ended = synth.logicalId("EndedExecutionsDeadLetterQueue", "AWS::SQS::Queue");
        String publish = synth.logicalId("OutcomesPublishDeadLetterQueue", "AWS::SQS::Queue");

        // WHEN / THEN a status change the recovery function failed on, after Lambda's two retries, goes to its rule's
        // queue; a publish run that failed is not retried (the next run does the same work) and goes to its own
        assertRunFailuresGoTo("Recover", 2, 21_600, ended);
        assertRunFailuresGoTo("Publish", 0, 300, publish);
    }

    /** The function's alias sends the asynchronous events it failed on, after its retries, to {@code queue}. */
    private static void assertRunFailuresGoTo(String function, int retries, int maxAgeSeconds, String queue) {
        template.hasResourceProperties("AWS::Lambda::EventInvokeConfig", Map.of(
                "FunctionName", ref(synth.logicalId(function + "Function", "AWS::Lambda::Function")),
                // The alias's name, read from its ARN: the configuration belongs to the alias, not to $LATEST.
                "Qualifier", Map.of("Fn::Select", List.of(7, Map.of("Fn::Split", List.of(":",
                        ref(synth.logicalId(function + "Alias", "AWS::Lambda::Alias")))))),
                "MaximumRetryAttempts", retries,
                "MaximumEventAgeInSeconds", maxAgeSeconds,
                "DestinationConfig", Map.of("OnFailure", Map.of("Destination", arnOf(queue)))));
    }
}
