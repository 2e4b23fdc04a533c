package io.personalizeimport.infra;

import static io.personalizeimport.infra.Cfn.arnOf;
import static io.personalizeimport.infra.Cfn.objects;
import static io.personalizeimport.infra.Cfn.ref;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.personalizeimport.lambdas.FunctionSettings;
import io.personalizeimport.lambdas.config.DeletionRoute;
import io.personalizeimport.lambdas.config.RouteTable;
import io.personalizeimport.lambdas.config.Staging;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Capture;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

/**
 * The stack with a deletion route beside an import route into its group (and with a deletion route of a group the
 * stack creates): the notifications of its prefix, what Personalize and each function may do with it, and the ROUTES
 * variable that carries it.
 */
class DeletionsStackTest {

    private static final String ROLE = "arn:aws:iam::123456789012:role/PipelineImportRole";

    private final Synthesized synth = Synthesized.of(Synthesized.DELETIONS);
    private final Template template = synth.template();

    private String bucket() {
        return synth.logicalId("DataBucket", "AWS::S3::Bucket");
    }

    private static Map<String, Object> deletionJobs() {
        return Map.of("Fn::Join", List.of("", List.of("arn:", ref("AWS::Partition"), ":personalize:",
                ref("AWS::Region"), ":", ref("AWS::AccountId"), ":data-deletion-job/*")));
    }

    @Test
    void s3Notifications_shouldSendCsvFilesUnderTheDeletionPrefixToTheTrigger() {
        Map<String, Object> alias = ref(synth.logicalId("TriggerAlias", "AWS::Lambda::Alias"));
        template.hasResourceProperties("Custom::S3BucketNotifications", Match.objectLike(Map.of(
                "BucketName", ref(bucket()),
                "NotificationConfiguration", Map.of("LambdaFunctionConfigurations", Match.arrayEquals(List.of(
                        notification(alias, "clicks/", ".csv"), notification(alias, "clicks/", ".CSV"),
                        notification(alias, "forget/", ".csv"), notification(alias, "forget/", ".CSV")))))));
        template.hasOutput("DeletionPrefixes", Map.of("Value", "forget/"));
        template.hasOutput("RoutedPrefixes", Map.of("Value", "clicks/"));
    }

    private static Map<String, Object> notification(Map<String, Object> alias, String prefix, String suffix) {
        return Map.of("Events", List.of("s3:ObjectCreated:*"),
                "Filter", Map.of("Key", Map.of("FilterRules", List.of(
                        Map.of("Name", "suffix", "Value", suffix), Map.of("Name", "prefix", "Value", prefix)))),
                "LambdaFunctionArn", alias);
    }

    @Test
    void importRoleAndBucketPolicy_shouldLetPersonalizeReadAndListTheDeletionPrefixAsForImports() {
        // Personalize reads a deletion file with the import permissions (Developer Guide, 'Deleting users')
        List<Object> read = List.of(objects(bucket(), "clicks/"), objects(bucket(), Staging.PREFIX),
                objects(bucket(), "forget/"));
        Map<String, Object> listed = Map.of("StringLike", Map.of("s3:prefix",
                List.of("clicks/*", Staging.PREFIX + "*", "forget/*")));
        assertEquals(List.of(statement("s3:GetObject", read), statement("s3:ListBucket", arnOf(bucket()), listed)),
                synth.statementsOf("PersonalizeImportRole"));
        template.hasResourceProperties("AWS::S3::BucketPolicy", Match.objectLike(Map.of(
                "PolicyDocument", Match.objectLike(Map.of("Statement", Match.arrayWith(List.of(
                        Match.objectLike(Map.of("Sid", "AllowPersonalizeToReadRoutedPrefixes", "Resource", read)),
                        Match.objectLike(Map.of("Sid", "AllowPersonalizeToListRoutedPrefixes",
                                "Condition", Match.objectLike(listed))))))))));
    }

    @Test
    void triggerAndCreate_shouldReadTheDeletionPrefixAndListOnlyIt() {
        for (String role : List.of("TriggerRole", "CreateRole")) {
            List<Map<String, Object>> statements = synth.statementsOf(role);
            assertTrue(statements.contains(statement("s3:GetObject", objects(bucket(), "forget/"))), role);
            assertTrue(statements.contains(statement("s3:ListBucket", arnOf(bucket()),
                    Map.of("StringLike", Map.of("s3:prefix", List.of("forget/*"))))), role);
        }
        for (String role : List.of("DescribeRole", "FinishRole", "RecoverRole", "PublishRole")) {
            assertTrue(synth.statementsOf(role).stream().noneMatch(statement -> statement.toString()
                    .contains("/forget/*")), role + " reads no deletion file");
        }
    }

    @Test
    void createFunction_shouldCreateDeletionJobsOnExactlyTheRoutedGroupTagThemAndPassTheImportRole() {
        // GIVEN the create function's statements
        List<Map<String, Object>> statements = synth.statementsOf("CreateRole");

        // THEN CreateDataDeletionJob names both resource types the Service Authorization Reference requires: the
        // routed dataset group exactly, and this account's and region's data deletion jobs
        assertTrue(statements.contains(statement("personalize:CreateDataDeletionJob",
                List.of(Synthesized.GROUP_ARN, deletionJobs()))), statements.toString());
        // tagging only the deletion jobs, with the routes' tag keys
        assertTrue(statements.contains(statement("personalize:TagResource", deletionJobs(),
                Map.of("ForAllValues:StringEquals", Map.of("aws:TagKeys", List.of("purpose"))))), statements.toString());
        assertTrue(statements.contains(statement("personalize:DescribeDataDeletionJob", deletionJobs())));
        // and passing the import role to Personalize only, as for imports
        assertTrue(statements.contains(statement("iam:PassRole",
                arnOf(synth.logicalId("PersonalizeImportRole", "AWS::IAM::Role")),
                Map.of("StringEquals", Map.of("iam:PassedToService", "personalize.amazonaws.com")))));
    }

    @Test
    void describeAndFinish_shouldOnlyDescribeDeletionJobs() {
        for (String role : List.of("DescribeRole", "FinishRole")) {
            List<Map<String, Object>> statements = synth.statementsOf(role);
            assertTrue(statements.contains(statement("personalize:DescribeDataDeletionJob", deletionJobs())), role);
            assertTrue(statements.stream().noneMatch(statement -> statement.toString()
                    .contains("CreateDataDeletionJob")), role);
        }
        assertTrue(synth.statementsOf("TriggerRole").stream().noneMatch(statement -> statement.toString()
                .contains("DataDeletionJob")), "the trigger starts no deletion job");
    }

    @Test
    void trigger_shouldDescribeExactlyTheRoutedGroupToRejectListsForAMissingOne() {
        List<Map<String, Object>> statements = synth.statementsOf("TriggerRole");

        assertTrue(statements.contains(statement("personalize:DescribeDatasetGroup", Synthesized.GROUP_ARN)),
                statements.toString());
        assertTrue(synth.statementsOf("CreateRole").stream().noneMatch(statement -> statement.toString()
                .contains("DescribeDatasetGroup")), "only the trigger checks the group");
    }

    @Test
    void routesVariable_shouldCarryTheDeletionRouteAsTheFunctionsReadIt() {
        // GIVEN the trigger's ROUTES variable, all text since the routes name existing resources
        Capture routes = new Capture();
        template.hasResourceProperties("AWS::Lambda::Function", Match.objectLike(Map.of(
                "Handler", FunctionSettings.TRIGGER.handler(),
                "Environment", Map.of("Variables", Match.objectLike(Map.of("ROUTES", routes))))));

        // WHEN the functions parse it
        RouteTable table = RouteTable.parse(routes.asString(), ROLE);

        // THEN it holds the import route and the deletion route as the context gave them
        assertEquals(List.of("clicks"), table.routes().stream().map(route -> route.name()).toList());
        assertEquals(List.of(new DeletionRoute("forget", "forget/", Synthesized.GROUP_ARN, ROLE,
                Map.of("purpose", "privacy"))), table.deletions());
    }

    @Test
    void createdGroupsDeletion_shouldReachTheFunctionsAndTheGrantWithTheGroupsArn() throws IOException {
        // GIVEN the stack with a created group that lists a deletion route
        Synthesized created = Synthesized.of(Synthesized.DATASETS_DELETIONS);
        Map<String, Object> group = Map.of("Fn::GetAtt", List.of(
                created.logicalId("DatasetsshopGroup", "AWS::Personalize::DatasetGroup"), "DatasetGroupArn"));

        // THEN ROUTES names the group by its ARN after the import route
        Capture routes = new Capture();
        created.template().hasResourceProperties("AWS::Lambda::Function", Match.objectLike(Map.of(
                "Handler", FunctionSettings.CREATE.handler(),
                "Environment", Map.of("Variables", Match.objectLike(Map.of("ROUTES", routes))))));
        JsonNode parsed = new ObjectMapper().readTree(DatasetsStackTest.joined(routes.asObject()));
        assertEquals(2, parsed.size());
        assertEquals("shop-users", parsed.get(0).get("name").asText());
        assertEquals(new ObjectMapper().readTree("{\"name\":\"shop-forget\",\"prefix\":\"shop/forget/\","
                + "\"action\":\"delete\",\"datasetGroupArn\":\"${" + created.logicalId("DatasetsshopGroup",
                "AWS::Personalize::DatasetGroup") + ".DatasetGroupArn}\"}"), parsed.get(1));
        // and the create function may create deletion jobs on that group alone, with no tagging for an untagged route
        List<Map<String, Object>> statements = created.statementsOf("CreateRole");
        assertTrue(statements.contains(statement("personalize:CreateDataDeletionJob", List.of(group, deletionJobs()))),
                statements.toString());
        assertTrue(statements.stream().noneMatch(statement -> "personalize:TagResource".equals(
                statement.get("Action"))), statements.toString());
        created.template().hasOutput("DeletionPrefixes", Map.of("Value", "shop/forget/"));
    }

    @Test
    void noDeletionRoute_shouldGrantNothingOfDeletions() {
        Synthesized defaults = Synthesized.of(Synthesized.DATASETS);
        for (String role : List.of("TriggerRole", "CreateRole", "DescribeRole", "FinishRole")) {
            assertTrue(defaults.statementsOf(role).stream().noneMatch(statement -> statement.toString()
                    .contains("DataDeletionJob")), role);
        }
        assertTrue(defaults.template().findOutputs("DeletionPrefixes").isEmpty());
    }

    private static Map<String, Object> statement(String action, Object resource) {
        return Map.of("Action", action, "Effect", "Allow", "Resource", resource);
    }

    private static Map<String, Object> statement(String action, Object resource, Map<String, Object> condition) {
        return Map.of("Action", action, "Condition", condition, "Effect", "Allow", "Resource", resource);
    }
}
