package io.personalizeimport.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.personalizeimport.lambdas.config.ImportMode;
import io.personalizeimport.lambdas.config.Route;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** The datasets and maxImportJobs context keys: their valid forms, and a message naming the key for each refusal. */
class DatasetsContextTest {

    private static final String INTERACTIONS = "{\"type\":\"record\",\"name\":\"Interactions\",\"fields\":["
            + "{\"name\":\"USER_ID\",\"type\":\"string\"},{\"name\":\"ITEM_ID\",\"type\":\"string\"},"
            + "{\"name\":\"TIMESTAMP\",\"type\":\"long\"},{\"name\":\"EVENT_TYPE\",\"type\":\"string\"}]}";

    @TempDir
    static Path root;

    @BeforeAll
    static void schemaFiles() throws IOException {
        Files.writeString(root.resolve("interactions.avsc"), INTERACTIONS);
        Files.writeString(root.resolve("items.avsc"), "{\"type\":\"record\",\"name\":\"Items\",\"fields\":["
                + "{\"name\":\"ITEM_ID\",\"type\":\"string\"},{\"name\":\"CATEGORY\",\"type\":\"string\"}]}");
        Files.writeString(root.resolve("actions.avsc"), "{\"type\":\"record\",\"name\":\"Actions\",\"fields\":["
                + "{\"name\":\"ACTION_ID\",\"type\":\"string\"},{\"name\":\"VALUE\",\"type\":\"float\"}]}");
        Files.writeString(root.resolve("not-json.avsc"), "record Interactions { string USER_ID; }");
        Files.writeString(root.resolve("enum.avsc"), "{\"type\":\"enum\",\"name\":\"Kind\",\"symbols\":[\"A\"]}");
        Files.writeString(root.resolve("no-user.avsc"), INTERACTIONS.replace("USER_ID", "CUSTOMER_ID"));
        Files.writeString(root.resolve("nullable-time.avsc"),
                INTERACTIONS.replace("\"type\":\"long\"", "\"type\":[\"null\",\"long\"]"));
        Files.writeString(root.resolve("two-groups.json"), "[" + group("shop", "ECOMMERCE",
                dataset("INTERACTIONS", "interactions.avsc", route("shop-clicks", "shop/clicks/"))) + "]");
    }

    private static StackConfig read(Map<String, Object> context) {
        return StackConfig.fromContext(context::get, root);
    }

    private static String rejected(Map<String, Object> context) {
        return assertThrows(InvalidContextException.class, () -> read(context)).getMessage();
    }

    private static String route(String name, String prefix) {
        return "{\"name\":\"" + name + "\",\"prefix\":\"" + prefix + "\"}";
    }

    private static String dataset(String type, String schema, String... routes) {
        return "{\"type\":\"" + type + "\",\"schema\":\"" + schema + "\",\"routes\":[" + String.join(",", routes)
                + "]}";
    }

    /** @param domain the group's domain, or null for a custom group */
    private static String group(String name, String domain, String... datasets) {
        return "{\"name\":\"" + name + "\"," + (domain == null ? "" : "\"domain\":\"" + domain + "\",")
                + "\"datasets\":[" + String.join(",", datasets) + "]}";
    }

    private static String groups(String... groups) {
        return "[" + String.join(",", groups) + "]";
    }

    private static String clicks(String group) {
        return dataset("INTERACTIONS", "interactions.avsc", route(group + "-clicks", group + "/clicks/"));
    }

    @Test
    void committedExample_shouldReadAsAnEcommerceGroupAndACustomGroupWithAllFiveTypes() {
        // GIVEN the README's example file, as -c datasets=@infra/examples/two-groups.json gives it
        StackConfig config = StackConfig.fromContext(
                Map.<String, Object>of("datasets", "@infra/examples/two-groups.json")::get,
                RepositoryPaths.locate().root());

        // THEN two groups with their domains and types, and routes validated for their types
        assertFalse(config.demoDatasets());
        List<DatasetsContext.Group> groups = config.datasets();
        assertEquals(List.of("shop", "app"), groups.stream().map(DatasetsContext.Group::name).toList());
        assertEquals(Optional.of("ECOMMERCE"), groups.get(0).domain());
        assertEquals(Optional.empty(), groups.get(1).domain());
        assertEquals(List.of(DatasetType.INTERACTIONS, DatasetType.ITEMS, DatasetType.USERS),
                groups.get(0).datasets().stream().map(DatasetsContext.Dataset::type).toList());
        assertEquals(List.of(DatasetType.values()),
                groups.get(1).datasets().stream().map(DatasetsContext.Dataset::type).toList());
        Route appClicks = groups.get(1).datasets().get(0).routes().get(0);
        assertEquals(ImportMode.INCREMENTAL, appClicks.importMode());
        assertTrue(appClicks.coalesce());
        assertEquals(Route.Group.FOLDER, groups.get(1).datasets().get(1).routes().get(0).group());
        assertEquals(5, config.maxImportJobs());
    }

    @Test
    void datasetsAsCdkJsonList_shouldReadLikeTheirJsonText() {
        StackConfig config = read(Map.of("datasets", List.of(Map.of("name", "shop", "datasets", List.of(Map.of(
                "type", "INTERACTIONS", "schema", "interactions.avsc",
                "routes", List.of(Map.of("name", "clicks", "prefix", "clicks/"))))))));
        assertEquals(INTERACTIONS, config.datasets().get(0).datasets().get(0).schema());
        assertEquals("clicks/", config.datasets().get(0).datasets().get(0).routes().get(0).prefix());
    }

    @Test
    void datasetsWithRoutesToExistingDatasets_shouldKeepBoth() {
        StackConfig config = read(Map.of("datasets", groups(group("shop", null, clicks("shop"))),
                "routes", "[{\"name\":\"legacy\",\"prefix\":\"legacy/\",\"datasetArn\":\"" + Synthesized.LEGACY_ARN
                        + "\"}]"));
        assertEquals(1, config.routes().size());
        assertEquals(1, config.datasets().size());
        assertFalse(config.demoDatasets());
    }

    static Stream<Arguments> refusals() {
        String r = route("r", "r/");
        return Stream.of(
                Arguments.of("{}", "Context key datasets is not a non-empty JSON array of dataset groups"),
                Arguments.of("[{\"name\":", "Context key datasets cannot be read as JSON"),
                Arguments.of("@missing.json", "Context key datasets names the file " + root.resolve("missing.json")
                        + ", which cannot be read"),
                Arguments.of(groups(group("-shop", null, clicks("a"))),
                        "Context key datasets[0] name is '-shop': expected a dataset group name of 1-63 letters"),
                Arguments.of(groups(group("s".repeat(64), null, clicks("a"))),
                        "Context key datasets[0] name is '" + "s".repeat(64) + "': expected a dataset group name of"
                                + " 1-63"),
                Arguments.of(groups(group("shop", null, clicks("a")), group("shop", null, clicks("b"))),
                        "Context key datasets[1] names group 'shop' a second time"),
                Arguments.of("[{\"name\":\"shop\",\"colour\":\"red\",\"datasets\":[" + clicks("a") + "]}]",
                        "Context key datasets[0] has unknown field 'colour'"),
                Arguments.of(groups(group("shop", "RETAIL", clicks("a"))),
                        "Context key datasets group 'shop' domain is 'RETAIL': expected ECOMMERCE or VIDEO_ON_DEMAND"),
                Arguments.of(groups(group("shop", null)), "Context key datasets group 'shop' has no datasets"),
                Arguments.of(groups(group("shop", null, dataset("CLICKS", "interactions.avsc", r))),
                        "Context key datasets group 'shop' datasets[0] type is 'CLICKS': expected one of"
                                + " INTERACTIONS, ITEMS, USERS, ACTIONS, ACTION_INTERACTIONS"),
                Arguments.of(groups(group("shop", null, clicks("a"), clicks("b"))),
                        "Context key datasets group 'shop' has two INTERACTIONS datasets"),
                Arguments.of(groups(group("shop", "ECOMMERCE", dataset("ACTIONS", "actions.avsc", r))),
                        "Context key datasets group 'shop' dataset ACTIONS cannot be in a domain dataset group"
                                + " (ECOMMERCE)"),
                Arguments.of(groups(group("shop", "VIDEO_ON_DEMAND",
                                dataset("ACTION_INTERACTIONS", "interactions.avsc", r))),
                        "Context key datasets group 'shop' dataset ACTION_INTERACTIONS cannot be in a domain dataset"
                                + " group (VIDEO_ON_DEMAND)"),
                Arguments.of(groups(group("g".repeat(50), null, dataset("ACTION_INTERACTIONS", "x.avsc", r))),
                        "Context key datasets group '" + "g".repeat(50) + "' dataset ACTION_INTERACTIONS would be"
                                + " named '" + "g".repeat(50) + "-action-interactions', 70 characters"),
                Arguments.of(groups(group("shop", null, "{\"type\":\"ITEMS\",\"routes\":[" + r + "]}")),
                        "Context key datasets group 'shop' dataset ITEMS has no schema"),
                Arguments.of(groups(group("shop", null, dataset("ITEMS", "missing.avsc", r))),
                        "Context key datasets group 'shop' dataset ITEMS schema missing.avsc cannot be read"),
                Arguments.of(groups(group("shop", null, dataset("INTERACTIONS", "not-json.avsc", r))),
                        "Context key datasets group 'shop' dataset INTERACTIONS schema not-json.avsc is not JSON"),
                Arguments.of(groups(group("shop", null, dataset("INTERACTIONS", "enum.avsc", r))),
                        "Context key datasets group 'shop' dataset INTERACTIONS schema enum.avsc is not an Avro"
                                + " record"),
                Arguments.of(groups(group("shop", null, dataset("INTERACTIONS", "no-user.avsc", r))),
                        "Context key datasets group 'shop' dataset INTERACTIONS schema no-user.avsc has no USER_ID:"
                                + " expected a non-null string field USER_ID, which INTERACTIONS datasets require"),
                Arguments.of(groups(group("shop", null, dataset("INTERACTIONS", "nullable-time.avsc", r))),
                        "schema nullable-time.avsc has TIMESTAMP of type [\"null\",\"long\"]: expected a non-null"
                                + " long field TIMESTAMP"),
                Arguments.of(groups(group("shop", null, dataset("ACTIONS", "items.avsc", r))),
                        "schema items.avsc has no ACTION_ID: expected a non-null string field ACTION_ID, which"
                                + " ACTIONS datasets require"),
                Arguments.of(groups(group("shop", "ECOMMERCE", dataset("ITEMS", "items.avsc", r))),
                        "Context key datasets group 'shop' dataset ITEMS schema items.avsc has no PRICE: expected a"
                                + " non-null float field PRICE, which ITEMS datasets of the ECOMMERCE domain require"),
                Arguments.of(groups(group("shop", null, dataset("ITEMS", "items.avsc"))),
                        "Context key datasets group 'shop' dataset ITEMS has no routes"),
                Arguments.of(groups(group("shop", null, dataset("ITEMS", "items.avsc", "{\"name\":\"r\",\"prefix\":"
                                + "\"r/\",\"datasetArn\":\"" + Synthesized.DATASET_ARN + "\"}"))),
                        "Context key datasets group 'shop' dataset ITEMS routes[0] has a datasetArn"),
                Arguments.of(groups(group("shop", null, dataset("ITEMS", "items.avsc",
                                "{\"name\":\"r\",\"prefix\":\"r/\",\"importMode\":\"PARTIAL\"}"))),
                        "Context key datasets group 'shop' dataset ITEMS routes[0] importMode is 'PARTIAL': expected"
                                + " FULL or INCREMENTAL"),
                Arguments.of(groups(group("shop", null, dataset("ITEMS", "items.avsc",
                                "{\"name\":\"r\",\"prefix\":\"r/\",\"importMode\":\"INCREMENTAL\",\"coalesce\":true}"))),
                        "Context key datasets group 'shop' dataset ITEMS routes[0] has coalesce true for dataset"
                                + " shop/ITEMS"),
                Arguments.of(groups(group("shop", null, dataset("ITEMS", "items.avsc", route("r", "exports(1)/")))),
                        "Context key datasets group 'shop' dataset ITEMS routes[0] prefix 'exports(1)/' has a"
                                + " character that S3 notification filters cannot match reliably"),
                Arguments.of(groups(group("shop", null, dataset("ITEMS", "items.avsc", route("a", "a/"))),
                                group("app", null, dataset("ITEMS", "items.avsc", route("b", "a/b/")))),
                        "Context key datasets has overlapping prefixes 'a/' (datasets group 'shop' dataset ITEMS"
                                + " routes[0]) and 'a/b/' (datasets group 'app' dataset ITEMS routes[0])"),
                Arguments.of(groups(group("shop", null, dataset("ITEMS", "items.avsc", route("a", "a/"))),
                                group("app", null, dataset("ITEMS", "items.avsc", route("a", "b/")))),
                        "Context key datasets has two routes named 'a' (datasets group 'shop' dataset ITEMS"
                                + " routes[0] and datasets group 'app' dataset ITEMS routes[0])"));
    }

    @ParameterizedTest(name = "datasets={0}")
    @MethodSource("refusals")
    void malformedDatasets_shouldNameTheKeyTheGroupAndTheDatasetWithAnExample(String datasets, String expected) {
        String message = rejected(Map.of("datasets", datasets));
        assertTrue(message.contains(expected), message);
        assertTrue(message.startsWith("Context key datasets"), message);
        assertTrue(message.contains("Example: -c datasets=@infra/examples/two-groups.json"), message);
        assertFalse(message.contains("Environment variable"), message);
    }

    @Test
    void datasetPrefixInsideAnExistingRoute_shouldNameBothKeys() {
        String message = rejected(Map.of("datasets", groups(group("shop", null, clicks("shop"))),
                "routes", "[{\"name\":\"legacy\",\"prefix\":\"shop/\",\"datasetArn\":\"" + Synthesized.LEGACY_ARN
                        + "\"}]"));
        assertTrue(message.startsWith("Context key datasets has overlapping prefixes 'shop/' (routes[0]) and"
                + " 'shop/clicks/' (datasets group 'shop' dataset INTERACTIONS routes[0])"), message);
    }

    @Test
    void datasetsFile_shouldBeReadRelativeToTheFolderOfCdkJson() {
        StackConfig config = read(Map.of("datasets", "@two-groups.json"));
        assertEquals("shop-clicks", config.datasets().get(0).datasets().get(0).routes().get(0).name());
    }

    @ParameterizedTest(name = "maxImportJobs={0}")
    @CsvSource({"1,1", "3,3", "5,5"})
    void maxImportJobsWithinTheRegionsFive_shouldBeKept(String value, int expected) {
        assertEquals(expected, read(Map.of("maxImportJobs", value)).maxImportJobs());
    }

    @Test
    void maxImportJobsAsCdkJsonNumber_shouldReadAsAWholeNumber() {
        assertEquals(2, read(Map.of("maxImportJobs", 2.0)).maxImportJobs());
    }

    @ParameterizedTest(name = "maxImportJobs={0}")
    @CsvSource({"0", "6", "three", "2.5"})
    void maxImportJobsOutsideOneToFive_shouldNameTheKeyAndTheRange(String value) {
        Map<String, Object> context = new HashMap<>();
        context.put("maxImportJobs", value);
        String message = rejected(context);
        assertTrue(message.startsWith("Context key maxImportJobs is '" + value + "': expected a whole number from 1"
                + " to 5 (default 5"), message);
        assertTrue(message.endsWith("Example: -c maxImportJobs=3"), message);
    }
}
