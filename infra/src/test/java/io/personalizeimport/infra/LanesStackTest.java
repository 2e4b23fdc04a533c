package io.personalizeimport.infra;

import static io.personalizeimport.infra.Cfn.allow;
import static io.personalizeimport.infra.Cfn.arnOf;
import static io.personalizeimport.infra.Cfn.objects;
import static io.personalizeimport.infra.Cfn.ref;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.personalizeimport.lambdas.FunctionSettings;
import io.personalizeimport.lambdas.config.Route;
import io.personalizeimport.lambdas.config.RouteTable;
import io.personalizeimport.lambdas.config.Staging;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awscdk.assertions.Capture;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awscdk.assertions.TemplateParsingOptions;

/**
 * Dataset lanes in the stack: the import ledger table, the lane function and its grants, the staging folder of
 * coalesced imports, and the marker notifications of folder routes.
 */
class LanesStackTest {

    static Stream<Map<String, Object>> configurations() {
        return Synthesized.CONFIGURATIONS.stream();
    }

    private static String table(Synthesized synth) {
        return synth.logicalId("LedgerTable", "AWS::DynamoDB::Table");
    }

    @Test
    void ledgerTable_shouldBeOnDemandWithRecoveryExpiryTheLedgersKeysAndAwsManagedEncryption() {
        // GIVEN the stack as cdk.json describes it: no customer managed key, RETAIN
        Template template = Synthesized.of(Synthesized.DEFAULTS).template();

        // WHEN / THEN one table keyed as LedgerTable says, billed per request, restorable to any second of the last
        // 35 days (cdk-nag AwsSolutions-DDB3), expiring finished file items by TTL, encrypted with the AWS managed key
        // as the bucket has no customer managed key either, and kept when the stack is deleted
        template.resourceCountIs("AWS::DynamoDB::Table", 1);
        template.hasResource("AWS::DynamoDB::Table", Map.of(
                "DeletionPolicy", "Retain",
                "UpdateReplacePolicy", "Retain",
                "Properties", Match.exact(Map.of(
                        "AttributeDefinitions", List.of(
                                Map.of("AttributeName", "pk", "AttributeType", "S"),
                                Map.of("AttributeName", "sk", "AttributeType", "S")),
                        "KeySchema", List.of(
                                Map.of("AttributeName", "pk", "KeyType", "HASH"),
                                Map.of("AttributeName", "sk", "KeyType", "RANGE")),
                        "BillingMode", "PAY_PER_REQUEST",
                        "PointInTimeRecoverySpecification", Map.of("PointInTimeRecoveryEnabled", true),
                        "SSESpecification", Map.of("SSEEnabled", true),
                        "TimeToLiveSpecification", Map.of("AttributeName", "expiresAt", "Enabled", true)))));
    }

    @Test
    void givenCreateKmsKey_shouldEncryptTheLedgerWithItAndLetTheLedgerRolesUseIt() {
        Synthesized synth = Synthesized.of(Synthesized.KMS_ALARMS_DESTROY);
        Map<String, Object> key = arnOf(synth.logicalId("DataKey", "AWS::KMS::Key"));
        assertLedgerEncryptedWith(synth, key);
    }

    @Test
    void givenKmsKeyArn_shouldEncryptTheLedgerWithTheUsersKeyAndLetTheLedgerRolesUseIt() {
        Synthesized synth = Synthesized.of(Synthesized.EXISTING);
        assertLedgerEncryptedWith(synth, Synthesized.KEY_ARN);
    }

    private static void assertLedgerEncryptedWith(Synthesized synth, Object key) {
        Template template = synth.template();
        template.hasResourceProperties("AWS::DynamoDB::Table", Match.objectLike(Map.of(
                "SSESpecification", Match.exact(Map.of("SSEEnabled", true, "SSEType", "KMS", "KMSMasterKeyId", key)))));
        for (String role : List.of("TriggerRole", "CreateRole", "FinishRole", "RecoverRole")) {
            template.hasResourceProperties("AWS::IAM::Policy", Match.objectLike(Map.of(
                    "Roles", List.of(ref(synth.logicalId(role, "AWS::IAM::Role"))),
                    "PolicyDocument", Match.objectLike(Map.of("Statement", Match.arrayWith(List.of(
                            allow(Ledger.KEY_ACTIONS, key))))))));
        }
        // The staged copies are encrypted under the bucket's key too.
        template.hasResourceProperties("AWS::IAM::Policy", Match.objectLike(Map.of(
                "Roles", List.of(ref(synth.logicalId("CreateRole", "AWS::IAM::Role"))),
                "PolicyDocument", Match.objectLike(Map.of("Statement", Match.arrayWith(List.of(
                        allow("kms:GenerateDataKey", key))))))));
    }

    /** Which roles may act on the ledger, and how: DynamoDB actions, per role, from every policy of the template. */
    @ParameterizedTest
    @MethodSource("configurations")
    @SuppressWarnings("unchecked")
    void anyConfiguration_shouldGrantTheLedgerItemActionsToTheFunctionsOfTheLaneOnlyAndNothingToDescribe(
            Map<String, Object> context) {
        // GIVEN every IAM policy of the stack
        Synthesized synth = Synthesized.of(context);
        Map<String, Map<String, Object>> policies = synth.template().findResources("AWS::IAM::Policy");

        // WHEN the DynamoDB actions are gathered per role, with the resources they name
        Map<String, Set<String>> actionsByRole = new TreeMap<>();
        Set<Object> resources = new HashSet<>();
        policies.values().forEach(policy -> {
            Map<String, Object> properties = (Map<String, Object>) policy.get("Properties");
            Map<String, Object> document = (Map<String, Object>) properties.get("PolicyDocument");
            for (Map<String, Object> statement : (List<Map<String, Object>>) document.get("Statement")) {
                Object action = statement.get("Action");
                List<String> dynamo = (action instanceof List<?> list ? list : List.of(action)).stream()
                        .map(Object::toString).filter(name -> name.startsWith("dynamodb:")).toList();
                if (dynamo.isEmpty()) {
                    continue;
                }
                resources.add(statement.get("Resource"));
                for (Object role : (List<Object>) properties.get("Roles")) {
                    actionsByRole.computeIfAbsent(((Map<String, String>) role).get("Ref"), r -> new TreeSet<>())
                            .addAll(dynamo);
                }
            }
        });

        // THEN the four ledger roles hold exactly the item actions on the table itself, the publish role only the
        // outbox's, and the describe role none
        Set<String> ledgerActions = new TreeSet<>(Ledger.ACTIONS);
        Map<String, Set<String>> expected = new TreeMap<>();
        for (String role : List.of("TriggerRole", "CreateRole", "FinishRole", "RecoverRole")) {
            expected.put(synth.logicalId(role, "AWS::IAM::Role"), ledgerActions);
        }
        expected.put(synth.logicalId("PublishRole", "AWS::IAM::Role"), new TreeSet<>(Ledger.OUTBOX_ACTIONS));
        assertEquals(expected, actionsByRole);
        assertEquals(Set.of(arnOf(table(synth))), resources);
    }

    @Test
    void verdictFunction_shouldReadTheLedgerAndLearnTheStateMachineFromItsInput() {
        Synthesized synth = Synthesized.of(Synthesized.DEFAULTS);
        synth.template().hasResourceProperties("AWS::Lambda::Function", Match.objectLike(Map.of(
                "Handler", "io.personalizeimport.lambdas.FinishHandler::handleRequest",
                "Role", arnOf(synth.logicalId("FinishRole", "AWS::IAM::Role")),
                "Environment", Map.of("Variables", Match.objectLike(Map.of(
                        "LEDGER_TABLE", ref(table(synth)),
                        "DATA_BUCKET", ref(synth.logicalId("DataBucket", "AWS::S3::Bucket")),
                        "MONITOR_DEADLINE", "PT48H",
                        // $$.StateMachine.Id in the task's parameters: a variable would be a dependency cycle.
                        "STATE_MACHINE_ARN", Match.absent()))))));
    }

    @Test
    void stateMachine_shouldFillFinishFunctionArnWithTheFinishAliasAndMayInvokeIt() {
        // GIVEN the state machine's substitutions
        Synthesized synth = Synthesized.of(Synthesized.DEFAULTS);
        Capture substitutions = new Capture();
        synth.template().hasResourceProperties("AWS::StepFunctions::StateMachine", Match.objectLike(Map.of(
                "DefinitionSubstitutions", substitutions)));

        // WHEN / THEN ${FinishFunctionArn} becomes the verdict function's alias, a SnapStart version like the other
        // tasks, and the state machine's role may invoke that alias
        String alias = synth.logicalId("FinishAlias", "AWS::Lambda::Alias");
        assertEquals(ref(alias), substitutions.asObject().get("FinishFunctionArn"));
        synth.template().hasResourceProperties("AWS::IAM::Policy", Match.objectLike(Map.of(
                "Roles", List.of(ref(synth.logicalId("ImportMonitorRole", "AWS::IAM::Role"))),
                "PolicyDocument", Match.objectLike(Map.of("Statement", Match.arrayWith(List.of(
                        allow("lambda:InvokeFunction", ref(alias)))))))));
    }

    @Test
    void stateMachineDefinition_shouldHaveASubstitutionForEachOfItsPlaceholders() throws Exception {
        // GIVEN the placeholders the ASL file uses
        String definition = Files.readString(RepositoryPaths.locate().stateMachineDefinition());
        Set<String> placeholders = new TreeSet<>();
        Matcher placeholder = Pattern.compile("\\$\\{([A-Za-z0-9]+)}").matcher(definition);
        while (placeholder.find()) {
            placeholders.add(placeholder.group(1));
        }

        // WHEN the stack's substitutions are read
        Capture substitutions = new Capture();
        Synthesized.of(Synthesized.DEFAULTS).template().hasResourceProperties("AWS::StepFunctions::StateMachine",
                Match.objectLike(Map.of("DefinitionSubstitutions", substitutions)));

        // THEN none is left unfilled: CloudFormation would hand Step Functions the literal ${Name} instead
        assertTrue(substitutions.asObject().keySet().containsAll(placeholders),
                () -> "unfilled: " + placeholders + " vs " + substitutions.asObject().keySet());
    }

    /**
     * CloudFormation refuses a template whose resources depend on each other in a circle. The create and lane
     * functions' StartExecution and DescribeExecution grants on the state machine that invokes them would close one if
     * they sat in their roles' default policies; {@code Template.fromStack} finds such a circle when its cyclical dependencies check is on.
     */
    @ParameterizedTest
    @MethodSource("configurations")
    void anyConfiguration_shouldHaveNoDependencyCycle(Map<String, Object> context) {
        PipelineStack stack = Synthesized.of(context).stack();
        assertDoesNotThrow(() -> Template.fromStack(stack,
                TemplateParsingOptions.builder().skipCyclicalDependenciesCheck(false).build()));
    }

    @Test
    void dataBucket_shouldExpireStagedCopiesAndTheirOldVersions() {
        // GIVEN the bucket the stack creates, which is versioned
        Template template = Synthesized.of(Synthesized.DEFAULTS).template();

        // WHEN / THEN a staged copy goes after Staging.EXPIRATION_DAYS, and a version it left behind the day after;
        // S3 then removes the delete marker that expiring the current version wrote, as a rule deleting current versions
        // does (Amazon S3 User Guide, "Managing delete markers")
        template.hasResourceProperties("AWS::S3::Bucket", Match.objectLike(Map.of(
                "VersioningConfiguration", Map.of("Status", "Enabled"),
                "LifecycleConfiguration", Map.of("Rules", Match.arrayWith(List.of(Match.exact(Map.of(
                        "Id", "ExpireStagedCopies",
                        "Status", "Enabled",
                        "Prefix", Staging.PREFIX,
                        "ExpirationInDays", Staging.EXPIRATION_DAYS,
                        "NoncurrentVersionExpiration", Map.of("NoncurrentDays", 1)))))))));
    }

    @Test
    void givenFolderRoutes_shouldAlsoNotifyTheTriggerOfEachFoldersMarker() {
        // GIVEN the folder routes clicks/ (default marker _SUCCESS) and users/ (marker _DONE), and the file route catalog/
        Synthesized synth = Synthesized.of(Synthesized.FOLDERS);
        Map<String, Object> alias = ref(synth.logicalId("TriggerAlias", "AWS::Lambda::Alias"));

        // WHEN / THEN every route sends .csv and .CSV files to the trigger, and each folder route its marker as well:
        // the suffix is "/" + marker, so only an object named exactly the marker, inside a folder, matches it
        synth.template().hasResourceProperties("Custom::S3BucketNotifications", Match.objectLike(Map.of(
                "BucketName", ref(synth.logicalId("DataBucket", "AWS::S3::Bucket")),
                "NotificationConfiguration", Map.of("LambdaFunctionConfigurations", Match.arrayEquals(List.of(
                        notification(alias, "clicks/", ".csv"), notification(alias, "clicks/", ".CSV"),
                        notification(alias, "clicks/", "/_SUCCESS"),
                        notification(alias, "users/", ".csv"), notification(alias, "users/", ".CSV"),
                        notification(alias, "users/", "/_DONE"),
                        notification(alias, "catalog/", ".csv"), notification(alias, "catalog/", ".CSV")))))));
    }

    @Test
    void prefixesAndMarkersWithSpecialCharacters_shouldBeFilteredURLEncodedAndGrantedAsWritten() {
        // GIVEN a Hive-style partition prefix and a folder route whose prefix and marker hold a space
        Synthesized synth = Synthesized.of(Map.of("routes", "[{\"name\":\"clicks\",\"prefix\":\"clicks/dt=2025/\","
                + "\"datasetArn\":\"" + Synthesized.DATASET_ARN + "\",\"importMode\":\"INCREMENTAL\"},"
                + "{\"name\":\"users\",\"prefix\":\"user exports/\",\"datasetArn\":"
                + "\"arn:aws:personalize:us-east-1:123456789012:dataset/shop/USERS\",\"group\":\"folder\","
                + "\"marker\":\"_ALL DONE\"}]"));
        Map<String, Object> alias = ref(synth.logicalId("TriggerAlias", "AWS::Lambda::Alias"));
        String bucket = synth.logicalId("DataBucket", "AWS::S3::Bucket");

        // WHEN / THEN the notification filters are written as S3 compares them, with the key URL-encoded as its events
        // carry it ('=' as %3D, a space as '+'), while the grants name the objects' own keys
        synth.template().hasResourceProperties("Custom::S3BucketNotifications", Match.objectLike(Map.of(
                "NotificationConfiguration", Map.of("LambdaFunctionConfigurations", Match.arrayEquals(List.of(
                        notification(alias, "clicks/dt%3D2025/", ".csv"), notification(alias, "clicks/dt%3D2025/", ".CSV"),
                        notification(alias, "user+exports/", ".csv"), notification(alias, "user+exports/", ".CSV"),
                        notification(alias, "user+exports/", "/_ALL+DONE")))))));
        synth.template().hasResourceProperties("AWS::IAM::Policy", Match.objectLike(Map.of(
                "Roles", List.of(ref(synth.logicalId("TriggerRole", "AWS::IAM::Role"))),
                "PolicyDocument", Match.objectLike(Map.of("Statement", Match.arrayWith(List.of(Match.objectLike(Map.of(
                        "Action", "s3:GetObject",
                        "Resource", Match.arrayWith(List.of(objects(bucket, "clicks/dt=2025/"),
                                objects(bucket, "user exports/"))))))))))));
    }

    private static Map<String, Object> notification(Map<String, Object> alias, String prefix, String suffix) {
        return Map.of("Events", List.of("s3:ObjectCreated:*"),
                "Filter", Map.of("Key", Map.of("FilterRules", List.of(
                        Map.of("Name", "suffix", "Value", suffix), Map.of("Name", "prefix", "Value", prefix)))),
                "LambdaFunctionArn", alias);
    }

    @Test
    void givenFolderRoutes_shouldHandTheFunctionsEachRouteAsValidated() throws Exception {
        // GIVEN the routes as StackConfig validated them from the context
        List<Route> validated = StackConfig.fromContext(Synthesized.FOLDERS::get).routes();
        Synthesized synth = Synthesized.of(Synthesized.FOLDERS);

        // WHEN the functions read the ROUTES variable the stack gives them
        Capture routes = new Capture();
        synth.template().hasResourceProperties("AWS::Lambda::Function", Match.objectLike(Map.of(
                "Handler", FunctionSettings.FINISH.handler(),
                "Environment", Map.of("Variables", Match.objectLike(Map.of("ROUTES", routes))))));
        List<Route> read = RouteTable.parse(routes.asString(), validated.get(0).roleArn()).routes();

        // THEN they batch as the context said: group, marker, marker timeout and coalesce included
        assertEquals(validated, read);
        assertEquals(Route.Group.FOLDER, read.get(1).group());
        assertEquals("_DONE", read.get(1).marker());
        assertEquals(Duration.ofHours(2), read.get(1).markerTimeout());
        assertTrue(read.get(0).coalesce(), "an INCREMENTAL interactions route coalesces by default");
    }

    @ParameterizedTest
    @MethodSource("configurations")
    void anyConfiguration_shouldHaveNoOverlappingNotificationsSinceS3RefusesThemForOneEventType(
            Map<String, Object> context) {
        // GIVEN the notification configurations of the bucket
        Capture configurations = new Capture();
        Synthesized.of(context).template().hasResourceProperties("Custom::S3BucketNotifications", Match.objectLike(
                Map.of("NotificationConfiguration", Map.of("LambdaFunctionConfigurations", configurations))));
        List<Object> all = configurations.asArray();

        // WHEN each pair with a common event type is compared by S3's rule: two prefixes (suffixes) overlap when one
        // key can start (end) with both (Amazon S3 User Guide, "Configuring event notifications using object key name
        // filtering"); one prefix is fine with suffixes that do not overlap, such as .csv, .CSV and /_SUCCESS
        List<String> overlapping = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            for (int j = i + 1; j < all.size(); j++) {
                Map<?, ?> a = (Map<?, ?>) all.get(i);
                Map<?, ?> b = (Map<?, ?>) all.get(j);
                boolean sameEvents = a.get("Events").equals(b.get("Events"));
                String prefixA = rule(a, "prefix");
                String prefixB = rule(b, "prefix");
                String suffixA = rule(a, "suffix");
                String suffixB = rule(b, "suffix");
                if (sameEvents && (prefixA.startsWith(prefixB) || prefixB.startsWith(prefixA))
                        && (suffixA.endsWith(suffixB) || suffixB.endsWith(suffixA))) {
                    overlapping.add(prefixA + "*" + suffixA + " / " + prefixB + "*" + suffixB);
                }
            }
        }

        // THEN none overlap, so S3 accepts the configuration at deploy time; and nothing is notified from the staging
        // folder, whose copies must not start imports of their own
        assertTrue(all.size() >= 4, "every configuration routes at least two prefixes");
        assertEquals(List.of(), overlapping);
        assertEquals(List.of(), all.stream().map(c -> rule((Map<?, ?>) c, "prefix"))
                .filter(prefix -> prefix.startsWith(Staging.PREFIX) || Staging.PREFIX.startsWith(prefix)).toList());
    }

    /** The value of a configuration's prefix or suffix rule; S3 treats a missing one as matching every key. */
    private static String rule(Map<?, ?> configuration, String name) {
        Map<?, ?> filter = (Map<?, ?>) configuration.get("Filter");
        if (filter == null) {
            return "";
        }
        List<?> rules = (List<?>) ((Map<?, ?>) filter.get("Key")).get("FilterRules");
        return rules.stream().map(rule -> (Map<?, ?>) rule).filter(rule -> name.equals(rule.get("Name")))
                .map(rule -> (String) rule.get("Value")).findFirst().orElse("");
    }
}
