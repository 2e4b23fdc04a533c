package io.personalizeimport.infra;

import static io.personalizeimport.infra.Cfn.importJobs;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Capture;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

/**
 * The stack with the datasets context key of infra/examples/two-groups.json beside a route to an existing dataset: the
 * groups, schemas and datasets it creates, the routes the functions get, and the grants scoped to those datasets.
 */
class DatasetsStackTest {

    private static final List<String> SHOP = List.of("INTERACTIONS", "ITEMS", "USERS");
    private static final List<String> APP = List.of("INTERACTIONS", "ITEMS", "USERS", "ACTIONS",
            "ACTION_INTERACTIONS");

    private final Synthesized synth = Synthesized.of(Synthesized.DATASETS);
    private final Template template = synth.template();

    private static String constructId(String type) {
        return DatasetType.valueOf(type).constructId();
    }

    private String id(String group, String element, String type) {
        return synth.logicalId("Datasets" + group + element, type);
    }

    private Map<String, Object> getAtt(String logicalId, String attribute) {
        return Map.of("Fn::GetAtt", List.of(logicalId, attribute));
    }

    @Test
    void twoGroups_shouldCreateAnEcommerceGroupAndACustomOneWithNoDemo() {
        template.resourceCountIs("AWS::Personalize::DatasetGroup", 2);
        template.resourceCountIs("AWS::Personalize::Schema", 8);
        template.resourceCountIs("AWS::Personalize::Dataset", 8);
        template.hasResource("AWS::Personalize::DatasetGroup", Map.of(
                "Properties", Match.exact(Map.of("Name", "shop", "Domain", "ECOMMERCE")),
                "DeletionPolicy", "Retain"));
        template.hasResourceProperties("AWS::Personalize::DatasetGroup", Match.exact(Map.of("Name", "app")));
        assertTrue(template.findOutputs("DemoDatasetGroupArn").isEmpty());
        template.hasOutput("DatasetGroupArns", Map.of("Value", Map.of("Fn::Join", List.of("", List.of(
                getAtt(id("shop", "Group", "AWS::Personalize::DatasetGroup"), "DatasetGroupArn"), ",",
                getAtt(id("app", "Group", "AWS::Personalize::DatasetGroup"), "DatasetGroupArn"))))));
    }

    @Test
    void eachDataset_shouldHaveItsSchemaFileInItsGroupWithTheGroupsDomain() throws IOException {
        for (String type : SHOP) {
            assertDataset("shop", type, true);
        }
        for (String type : APP) {
            assertDataset("app", type, false);
        }
        // The shop's items follow the ECOMMERCE domain with the local two-group example's schema.
        String shopItems = Files.readString(RepositoryPaths.locate().root()
                .resolve("local/examples/two-groups/shop-items.avsc")).strip();
        template.hasResourceProperties("AWS::Personalize::Schema", Match.exact(Map.of(
                "Name", "shop-items", "Domain", "ECOMMERCE", "Schema", shopItems)));
        String actions = Files.readString(RepositoryPaths.locate().schema("actions.avsc")).strip();
        template.hasResourceProperties("AWS::Personalize::Schema", Match.exact(Map.of(
                "Name", "app-actions", "Schema", actions)));
    }

    private void assertDataset(String group, String type, boolean ecommerce) {
        String name = group + "-" + DatasetType.valueOf(type).nameSuffix();
        String schema = id(group, constructId(type) + "Schema", "AWS::Personalize::Schema");
        template.hasResourceProperties("AWS::Personalize::Schema", Match.objectLike(Map.of(
                "Name", name, "Domain", ecommerce ? "ECOMMERCE" : Match.absent())));
        template.hasResource("AWS::Personalize::Dataset", Map.of(
                "Properties", Match.exact(Map.of(
                        "Name", name,
                        "DatasetType", DatasetType.valueOf(type).cfnType(),
                        "DatasetGroupArn", getAtt(id(group, "Group", "AWS::Personalize::DatasetGroup"),
                                "DatasetGroupArn"),
                        "SchemaArn", getAtt(schema, "SchemaArn"))),
                "DeletionPolicy", "Retain"));
    }

    @Test
    void routesVariable_shouldNameTheCreatedDatasetsByTheirArnsAndTheExistingOneAsGiven() throws IOException {
        // GIVEN the trigger's ROUTES variable, each created dataset's ARN written as a placeholder of its GetAtt
        Capture routes = new Capture();
        template.hasResourceProperties("AWS::Lambda::Function", Match.objectLike(Map.of(
                "Environment", Map.of("Variables", Match.objectLike(Map.of(
                        "ROUTES", routes, "MAX_IMPORT_JOBS", "3", "STATE_MACHINE_ARN", Match.anyValue()))))));
        JsonNode parsed = new ObjectMapper().readTree(joined(routes.asObject()));

        // THEN the existing dataset's route comes first as given, then one route per created dataset, in file order
        List<String> names = new ArrayList<>();
        parsed.forEach(route -> names.add(route.get("name").asText()));
        assertEquals(List.of("legacy", "shop-clicks", "shop-items", "shop-users", "app-clicks", "app-items",
                "app-users", "app-offers", "app-taken"), names);
        assertEquals(Synthesized.LEGACY_ARN, parsed.get(0).get("datasetArn").asText());
        assertEquals("PT6H", parsed.get(0).get("longestHold").asText());
        assertEquals("${" + id("shop", "ItemsDataset", "AWS::Personalize::Dataset") + ".DatasetArn}",
                parsed.get(2).get("datasetArn").asText());
        assertEquals("${" + id("app", "ActionInteractionsDataset", "AWS::Personalize::Dataset") + ".DatasetArn}",
                parsed.get(8).get("datasetArn").asText());
        // Batching as validated for the type: INCREMENTAL interactions coalesce, a folder route keeps its marker.
        assertEquals(new ObjectMapper().readTree("{\"name\":\"app-clicks\",\"prefix\":\"app/clicks/\",\"datasetArn\":"
                + "\"${" + id("app", "InteractionsDataset", "AWS::Personalize::Dataset") + ".DatasetArn}\","
                + "\"importMode\":\"INCREMENTAL\",\"group\":\"file\",\"coalesce\":true}"), parsed.get(4));
        assertEquals("folder", parsed.get(5).get("group").asText());
        assertEquals("_SUCCESS", parsed.get(5).get("marker").asText());
        assertEquals("ml", parsed.get(8).get("tags").get("team").asText());
        template.hasOutput("RoutedPrefixes", Map.of("Value", "legacy/,shop/clicks/,shop/items/,shop/users/,"
                + "app/clicks/,app/items/,app/users/,app/offers/,app/taken/"));
    }

    /** A Fn::Join of text and GetAtts as one string, each GetAtt written ${LogicalId.Attribute}. */
    @SuppressWarnings("unchecked")
    static String joined(Object value) {
        if (value instanceof String text) {
            return text;
        }
        Map<String, Object> intrinsic = (Map<String, Object>) value;
        if (intrinsic.containsKey("Fn::GetAtt")) {
            List<String> target = (List<String>) intrinsic.get("Fn::GetAtt");
            return "${" + target.get(0) + "." + target.get(1) + "}";
        }
        List<Object> join = (List<Object>) intrinsic.get("Fn::Join");
        StringBuilder text = new StringBuilder();
        for (Object part : (List<Object>) join.get(1)) {
            text.append(joined(part));
        }
        return text.toString();
    }

    @Test
    void importGrants_shouldDescribeExactlyTheRoutedDatasetsAndTheirSchemas() {
        // GIVEN the datasets in route order: the existing one, then the eight the stack creates
        List<Object> datasets = new ArrayList<>(List.of(Synthesized.LEGACY_ARN));
        List<Object> schemas = new ArrayList<>(List.of("arn:aws:personalize:us-east-1:123456789012:schema/*"));
        Stream.concat(SHOP.stream().map(type -> List.of("shop", type)), APP.stream().map(type -> List.of("app", type)))
                .forEach(dataset -> {
                    String element = constructId(dataset.get(1));
                    datasets.add(getAtt(id(dataset.get(0), element + "Dataset", "AWS::Personalize::Dataset"),
                            "DatasetArn"));
                    schemas.add(getAtt(id(dataset.get(0), element + "Schema", "AWS::Personalize::Schema"),
                            "SchemaArn"));
                });

        // WHEN / THEN each function that starts imports describes exactly those datasets and schemas, and may create
        // import jobs into exactly those datasets, named as the account's and region's import jobs (the Service
        // Authorization Reference lists both resource types for CreateDatasetImportJob)
        for (String role : List.of("TriggerRole", "CreateRole", "FinishRole")) {
            List<Map<String, Object>> statements = synth.statementsOf(role);
            assertEquals(List.of(datasets), resourcesOf(statements, "personalize:DescribeDataset"), role);
            assertEquals(List.of(schemas), resourcesOf(statements, "personalize:DescribeSchema"), role);
            List<Object> importInto = new ArrayList<>(datasets);
            importInto.add(importJobs());
            assertEquals(List.of(importInto), resourcesOf(statements, "personalize:CreateDatasetImportJob"), role);
            assertEquals(List.of(importJobs()), resourcesOf(statements, List.of("personalize:TagResource",
                    "personalize:DescribeDatasetImportJob")), role);
        }
    }

    private static List<Object> resourcesOf(List<Map<String, Object>> statements, Object action) {
        return statements.stream().filter(statement -> action.equals(statement.get("Action")))
                .map(statement -> statement.get("Resource")).toList();
    }

    @Test
    void importRole_shouldStillTrustOnlyThisAccountsPersonalize() {
        template.hasResourceProperties("AWS::IAM::Role", Match.objectLike(Map.of(
                "AssumeRolePolicyDocument", Match.objectLike(Map.of("Statement", List.of(Match.objectLike(Map.of(
                        "Principal", Map.of("Service", PersonalizeAccess.PERSONALIZE),
                        "Condition", PersonalizeAccessTest.THIS_ACCOUNTS_PERSONALIZE))))))));
    }
}
