package io.personalizeimport.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.personalizeimport.lambdas.config.DeletionRoute;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Deletion routes in the routes key ({@code "action":"delete"}) and in a created group's {@code deletions}: what is
 * kept, and a message naming the key and the route for each refusal.
 */
class DeletionRoutesContextTest {

    private static final String DATASET = Synthesized.DATASET_ARN;
    private static final String GROUP = Synthesized.GROUP_ARN;

    @TempDir
    static Path root;

    @BeforeAll
    static void schemaFile() throws IOException {
        Files.writeString(root.resolve("users.avsc"), "{\"type\":\"record\",\"name\":\"Users\",\"fields\":["
                + "{\"name\":\"USER_ID\",\"type\":\"string\"},{\"name\":\"AGE\",\"type\":\"int\"}]}");
    }

    private static StackConfig read(Map<String, Object> context) {
        return StackConfig.fromContext(context::get, root);
    }

    private static String rejected(Map<String, Object> context) {
        return assertThrows(InvalidContextException.class, () -> read(context)).getMessage();
    }

    private static String clicks(String prefix) {
        return "{\"name\":\"clicks\",\"prefix\":\"" + prefix + "\",\"datasetArn\":\"" + DATASET + "\"}";
    }

    private static String forget(String name, String prefix, String groupArn) {
        return "{\"name\":\"" + name + "\",\"prefix\":\"" + prefix + "\",\"action\":\"delete\",\"datasetGroupArn\":\""
                + groupArn + "\"}";
    }

    private static String routes(String... routes) {
        return "[" + String.join(",", routes) + "]";
    }

    /** A created group "shop" with a users route under shop/users/ and the given deletion routes. */
    private static String shop(String... deletions) {
        return "[{\"name\":\"shop\",\"datasets\":[{\"type\":\"USERS\",\"schema\":\"users.avsc\",\"routes\":"
                + "[{\"name\":\"shop-users\",\"prefix\":\"shop/users/\"}]}],\"deletions\":[" + String.join(",", deletions)
                + "]}]";
    }

    @Test
    void deletionBesideAnImportIntoItsGroup_shouldBeKeptApartFromTheImports() {
        StackConfig config = read(Map.of("routes", routes(clicks("clicks/"),
                "{\"name\":\"forget\",\"prefix\":\"forget/\",\"action\":\"delete\",\"datasetGroupArn\":\"" + GROUP
                        + "\",\"tags\":{\"purpose\":\"privacy\"}}")));
        assertEquals(List.of("clicks"), config.routes().stream().map(route -> route.name()).toList());
        DeletionRoute forget = config.deletions().get(0);
        assertEquals(List.of("forget", "forget/", GROUP, Map.of("purpose", "privacy")),
                List.of(forget.name(), forget.prefix(), forget.datasetGroupArn(), forget.tags()));
        assertFalse(config.demoDatasets());
    }

    @Test
    void deletionFromAGroupNoImportRouteNames_shouldBeAllowed() {
        // The group's datasets may be imported outside the pipeline (docs/forgetting-users.md): such a deletion is not
        // ordered with those imports.
        String other = "arn:aws:personalize:us-east-1:123456789012:dataset-group/other";
        StackConfig config = read(Map.of("routes", routes(clicks("clicks/"), forget("forget", "forget/", other))));
        assertEquals(other, config.deletions().get(0).datasetGroupArn());
    }

    @Test
    void onlyDeletionRoutes_shouldBeRefusedAsTheyHaveNoImportsToBeOrderedWith() {
        String message = rejected(Map.of("routes", routes(forget("forget", "forget/", GROUP))));
        assertTrue(message.startsWith("Context key routes has only deletion routes ([forget]): expected at least one"
                + " import route beside them, or the datasets key"), message);
    }

    static Stream<Arguments> routesRefusals() {
        return Stream.of(
                Arguments.of(routes(clicks("clicks/"), forget("forget", "clicks/forget/", GROUP)),
                        "Context key routes has overlapping prefixes 'clicks/' (clicks) and 'clicks/forget/' (forget)"),
                Arguments.of(routes(clicks("clicks/"), forget("clicks", "forget/", GROUP)),
                        "Context key routes has two routes named 'clicks'"),
                Arguments.of(routes(clicks("clicks/"), forget("forget", "forget/", GROUP)
                                .replace("}", ",\"roleArn\":\"arn:aws:iam::123456789012:role/Mine\"}")),
                        "Context key routes[1] has a roleArn"),
                Arguments.of(routes(clicks("clicks/"), forget("forget", "forget/", GROUP)
                                .replace("}", ",\"datasetArn\":\"" + DATASET + "\"}")),
                        "Context key routes[1] has field 'datasetArn', which a deletion route does not take"),
                Arguments.of(routes(clicks("clicks/"), forget("forget", "forget/", DATASET)),
                        "Context key routes[1] datasetGroupArn is \"" + DATASET + "\": expected a dataset group ARN"),
                Arguments.of(routes(clicks("clicks/"), forget("forget", "forget/", GROUP).replace("delete", "erase")),
                        "Context key routes[1] action is 'erase'"),
                Arguments.of(routes(clicks("clicks/"), forget("forget", "_staging/forget/", GROUP)),
                        "Context key routes[1] prefix '_staging/forget/' overlaps the staging folder"),
                // The deletion route's place in the key is reported even though RouteTable reads it apart.
                Arguments.of(routes(forget("forget", "forget(1)/", GROUP), clicks("clicks/")),
                        "Context key routes[0] prefix 'forget(1)/' has a character that S3 notification filters"
                                + " cannot match reliably"));
    }

    @ParameterizedTest(name = "routes={0}")
    @MethodSource("routesRefusals")
    void malformedDeletionRoute_shouldNameTheKeyAndTheRoute(String routes, String expected) {
        String message = rejected(Map.of("routes", routes));
        assertTrue(message.startsWith(expected), message);
        assertTrue(message.contains("Example: -c 'routes=[{"), message);
        assertFalse(message.contains("Environment variable"), message);
    }

    @Test
    void groupDeletions_shouldBeReadForTheCreatedGroup() {
        StackConfig config = read(Map.of("datasets", shop("{\"name\":\"shop-forget\",\"prefix\":\"shop/forget/\","
                + "\"tags\":{\"purpose\":\"privacy\"}}")));
        DeletionRoute forget = config.datasets().get(0).deletions().get(0);
        assertEquals(List.of("shop-forget", "shop/forget/", Map.of("purpose", "privacy")),
                List.of(forget.name(), forget.prefix(), forget.tags()));
        assertEquals(List.of(), config.deletions(), "the routes key has none");
    }

    static Stream<Arguments> datasetsRefusals() {
        String forget = "{\"name\":\"shop-forget\",\"prefix\":\"shop/forget/\"}";
        return Stream.of(
                Arguments.of(Map.of("datasets", shop("{\"name\":\"shop-forget\",\"prefix\":\"shop/users/old/\"}")),
                        "Context key datasets has overlapping prefixes 'shop/users/' (datasets group 'shop' dataset"
                                + " USERS routes[0]) and 'shop/users/old/' (datasets group 'shop' deletions[0])"),
                Arguments.of(Map.of("datasets", shop(forget), "routes", routes(clicks("shop/"))),
                        "Context key datasets has overlapping prefixes 'shop/' (routes[0]) and 'shop/users/'"),
                Arguments.of(Map.of("datasets", shop(forget), "routes", routes(clicks("clicks/"),
                                forget("forget", "shop/forget/", GROUP))),
                        "Context key datasets has overlapping prefixes 'shop/forget/' (routes[1]) and 'shop/forget/'"
                                + " (datasets group 'shop' deletions[0])"),
                Arguments.of(Map.of("datasets", shop("{\"name\":\"shop-users\",\"prefix\":\"shop/forget/\"}")),
                        "Context key datasets has two routes named 'shop-users' (datasets group 'shop' dataset USERS"
                                + " routes[0] and datasets group 'shop' deletions[0])"),
                Arguments.of(Map.of("datasets", shop(forget.replace("}", ",\"datasetGroupArn\":\"" + GROUP + "\"}"))),
                        "Context key datasets group 'shop' deletions[0] has a datasetGroupArn"),
                Arguments.of(Map.of("datasets", shop(forget.replace("}",
                                ",\"roleArn\":\"arn:aws:iam::123456789012:role/Mine\"}"))),
                        "Context key datasets group 'shop' deletions[0] has a roleArn"),
                Arguments.of(Map.of("datasets", shop(forget.replace("}", ",\"action\":\"import\"}"))),
                        "Context key datasets group 'shop' deletions[0] has action \"import\""),
                Arguments.of(Map.of("datasets", shop()),
                        "Context key datasets group 'shop' deletions is not a non-empty JSON array"),
                Arguments.of(Map.of("datasets", shop("{\"name\":\"shop-forget\"}")),
                        "Context key datasets group 'shop' deletions[0] is missing 'prefix'"),
                Arguments.of(Map.of("datasets", shop("{\"name\":\"shop-forget\",\"prefix\":\"shop/forget!/\"}")),
                        "Context key datasets group 'shop' deletions[0] prefix 'shop/forget!/' has a character"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("datasetsRefusals")
    void malformedGroupDeletion_shouldNameTheKeyTheGroupAndTheRoute(Map<String, Object> context, String expected) {
        String message = rejected(context);
        assertTrue(message.startsWith(expected), message);
        assertTrue(message.contains("Example: -c datasets=@infra/examples/two-groups.json"), message);
        assertFalse(message.contains("Environment variable"), message);
    }
}
