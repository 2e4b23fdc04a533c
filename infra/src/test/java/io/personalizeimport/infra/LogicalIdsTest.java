package io.personalizeimport.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awscdk.App;
import software.amazon.awscdk.CfnResource;
import software.amazon.awscdk.CfnResourceProps;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.assertions.Template;
import software.constructs.Construct;

/**
 * The stack deploys the logical IDs recorded in {@code logical-ids/}: CloudFormation replaces a resource whose logical ID
 * changes, so a new ID for the bucket or the ledger table would deploy an empty one.
 */
class LogicalIdsTest {

    static Stream<Arguments> configurations() {
        return Stream.of(
                Arguments.of("defaults", Synthesized.DEFAULTS),
                Arguments.of("existing", Synthesized.EXISTING),
                Arguments.of("kms-alarms-destroy", Synthesized.KMS_ALARMS_DESTROY),
                Arguments.of("folders", Synthesized.FOLDERS),
                Arguments.of("rhythm-default-bus", Synthesized.RHYTHM_DEFAULT_BUS),
                Arguments.of("datasets", Synthesized.DATASETS));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configurations")
    void anyConfiguration_shouldDeployTheRecordedResourcesAndOutputs(String name, Map<String, Object> context)
            throws IOException {
        // GIVEN the logical IDs and types recorded for this configuration
        List<String> recorded = recorded(name);

        // WHEN the stack is synthesized with it
        List<String> deployed = deployed(Synthesized.of(context).template());

        // THEN it has exactly these resources and outputs
        assertEquals(String.join("\n", recorded), String.join("\n", deployed),
                "logical IDs of configuration '" + name + "' differ from logical-ids/" + name + ".txt");
    }

    @ParameterizedTest
    @MethodSource("paths")
    void anyPath_shouldGiveTheLogicalIdCdkGivesAnElementThere(List<String> path) {
        // GIVEN an element at the path, in a stack that names its elements as CDK does
        Stack stack = new Stack(new App(), "Test");
        Construct scope = stack;
        for (String id : path.subList(0, path.size() - 1)) {
            scope = new Construct(scope, id);
        }
        CfnResource element = new CfnResource(scope, path.get(path.size() - 1),
                CfnResourceProps.builder().type("Test::Element").build());

        // WHEN / THEN LogicalIds makes the same ID from the path alone
        assertEquals(stack.getLogicalId(element), LogicalIds.of(path));
    }

    static Stream<List<String>> paths() {
        return Stream.of(
                List.of("Queue"),
                List.of("LedgerTable", "Resource"),
                List.of("Outcomes", "Stale0", "Resource"),
                List.of("Default", "Table", "Resource"),
                List.of("DataBucket", "DataBucket", "Resource"),
                List.of("Alarm-Topic", "ops@example.com"),
                List.of("Long".repeat(70), "Resource"));
    }

    /** Each resource as {@code LogicalId -> Type} and each output as {@code Name -> Output}, sorted. */
    @SuppressWarnings("unchecked")
    private static List<String> deployed(Template template) {
        TreeSet<String> lines = new TreeSet<>();
        Map<String, Object> resources = (Map<String, Object>) template.toJSON().get("Resources");
        resources.forEach((id, resource) -> lines.add(withoutFunctionHash(id) + " -> "
                + ((Map<String, Object>) resource).get("Type")));
        template.findOutputs("*").keySet().forEach(output -> lines.add(output + " -> Output"));
        return new ArrayList<>(lines);
    }

    /**
     * A Lambda version's ID is its path's ID followed by 32 hex digits hashing its function's code and settings (CDK's
     * Function.currentVersion): a new version for new code is what publishing means, so only the prefix is recorded.
     */
    private static String withoutFunctionHash(String logicalId) {
        return logicalId.replaceFirst("^([A-Za-z]+FunctionCurrentVersion[0-9A-F]{8})[0-9a-f]{32}$", "$1*");
    }

    private static List<String> recorded(String name) throws IOException {
        try (InputStream in = LogicalIdsTest.class.getResourceAsStream("/logical-ids/" + name + ".txt")) {
            if (in == null) {
                throw new IllegalStateException("No logical-ids/" + name + ".txt among the test resources");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                    .filter(line -> !line.isBlank() && !line.startsWith("#"))
                    .sorted()
                    .toList();
        }
    }
}
