package io.personalizeimport.lambdas.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.personalizeimport.lambdas.errors.ConfigurationException;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RouteTableTest {

    private static final String ROLE = "arn:aws:iam::123456789012:role/PersonalizeImport";
    private static final String DATASET = "arn:aws:personalize:us-east-1:123456789012:dataset/demo/INTERACTIONS";

    @Test
    void validRoutes_shouldParseWithDefaults() {
        String json = """
                [{"name":"interactions","prefix":"interactions/","datasetArn":"%s"},
                 {"name":"users","prefix":"users/","datasetArn":"%s","importMode":"INCREMENTAL",
                  "tags":{"team":"ml"},"publishAttributionMetricsToS3":true,
                  "roleArn":"arn:aws:iam::123456789012:role/Other"}]""".formatted(DATASET, DATASET.replace("INTERACTIONS", "USERS"));

        RouteTable table = RouteTable.parse(json, ROLE);

        Route interactions = table.match("interactions/day1.csv").orElseThrow();
        assertEquals(ImportMode.FULL, interactions.importMode());
        assertEquals(ROLE, interactions.roleArn());
        Route users = table.byName("users").orElseThrow();
        assertEquals(ImportMode.INCREMENTAL, users.importMode());
        assertEquals(Map.of("team", "ml"), users.tags());
        assertEquals(Boolean.TRUE, users.publishAttributionMetricsToS3());
        assertEquals("arn:aws:iam::123456789012:role/Other", users.roleArn());
        assertEquals(Optional.empty(), table.match("items/x.csv"));
    }

    @Test
    void batchingFields_shouldParseWithDefaultsByDatasetType() {
        String json = """
                [{"name":"events","prefix":"events/","datasetArn":"%s","importMode":"INCREMENTAL"},
                 {"name":"users","prefix":"users/","datasetArn":"%s","importMode":"INCREMENTAL"},
                 {"name":"exports","prefix":"exports/","datasetArn":"%s","group":"folder","markerTimeout":"PT2H"},
                 {"name":"more","prefix":"more/","datasetArn":"%s","importMode":"INCREMENTAL","coalesce":false,
                  "expectEvery":"PT36H"}]"""
                .formatted(DATASET, DATASET.replace("INTERACTIONS", "USERS"), DATASET, DATASET);

        RouteTable table = RouteTable.parse(json, ROLE);

        assertTrue(table.byName("events").orElseThrow().coalesce(), "INCREMENTAL interactions coalesce by default");
        assertEquals(false, table.byName("users").orElseThrow().coalesce());
        assertEquals(false, table.byName("more").orElseThrow().coalesce());
        Route exports = table.byName("exports").orElseThrow();
        assertEquals(Route.Group.FOLDER, exports.group());
        assertEquals("_SUCCESS", exports.marker());
        assertEquals(java.time.Duration.ofHours(2), exports.markerTimeout());
        assertTrue(exports.isMarker("exports/2026-11-24/_SUCCESS"));
        assertEquals(false, exports.isMarker("exports/_SUCCESS"));
        assertEquals("exports/2026-11-24/", exports.folderOf("exports/2026-11-24/part-0000.csv"));
        assertEquals(null, exports.folderOf("exports/loose.csv"));
        assertEquals(Route.Group.FILE, table.byName("events").orElseThrow().group());
        assertEquals(java.time.Duration.ofHours(36), table.byName("more").orElseThrow().expectEvery());
        assertEquals(null, table.byName("events").orElseThrow().expectEvery(), "no rhythm unless asked for");
        assertEquals(Route.DEFAULT_LONGEST_HOLD, table.byName("events").orElseThrow().longestHold());
    }

    static Stream<Arguments> malformed() {
        String ok = "\"name\":\"a\",\"prefix\":\"a/\",\"datasetArn\":\"" + DATASET + "\"";
        return Stream.of(
                Arguments.of("not json", "is not valid JSON"),
                Arguments.of("{}", "must be a non-empty JSON array"),
                Arguments.of("[]", "must be a non-empty JSON array"),
                Arguments.of("[{" + ok + ",\"colour\":\"red\"}]", "ROUTES[0] has unknown field 'colour'"),
                Arguments.of("[{\"prefix\":\"a/\",\"datasetArn\":\"" + DATASET + "\"}]", "ROUTES[0] is missing 'name'"),
                Arguments.of("[{\"name\":\"-bad\",\"prefix\":\"a/\",\"datasetArn\":\"" + DATASET + "\"}]",
                        "name is \"-bad\": expected 1-20 letters"),
                Arguments.of("[{\"name\":\"a\",\"prefix\":\"a/\",\"datasetArn\":\"arn:aws:s3:::bucket\"}]",
                        "datasetArn is \"arn:aws:s3:::bucket\": expected a dataset ARN"),
                Arguments.of("[{" + ok + ",\"importMode\":\"PARTIAL\"}]", "importMode is 'PARTIAL': expected FULL or INCREMENTAL"),
                Arguments.of("[{" + ok + ",\"roleArn\":\"role/x\"}]", "roleArn is \"role/x\": expected an IAM role ARN"),
                Arguments.of("[{" + ok + ",\"tags\":{\"aws:x\":\"y\"}}]", "tag key 'aws:x'"),
                Arguments.of("[{" + ok + ",\"publishAttributionMetricsToS3\":\"yes\"}]", "must be true or false"),
                Arguments.of("[{\"name\":\"a\",\"prefix\":\"/a\",\"datasetArn\":\"" + DATASET + "\"}]", "starts with '/'"),
                Arguments.of("[{\"name\":\"a\",\"prefix\":\"_staging/a/\",\"datasetArn\":\"" + DATASET + "\"}]",
                        "overlaps the staging folder _staging/"),
                Arguments.of("[{" + ok + ",\"group\":\"day\"}]", "group is 'day': expected \"file\" or \"folder\""),
                Arguments.of("[{" + ok + ",\"marker\":\"_DONE\"}]", "its group is not \"folder\""),
                Arguments.of("[{" + ok + ",\"group\":\"folder\",\"marker\":\"a/b\"}]", "marker is \"a/b\""),
                Arguments.of("[{" + ok + ",\"group\":\"folder\",\"marker\":\"done.csv\"}]", "marker is \"done.csv\""),
                Arguments.of("[{" + ok + ",\"group\":\"folder\",\"markerTimeout\":\"1h\"}]",
                        "markerTimeout is '1h': expected an ISO-8601 duration"),
                Arguments.of("[{" + ok + ",\"group\":\"folder\",\"markerTimeout\":\"PT10S\"}]", "expected from PT1M to P7D"),
                Arguments.of("[{" + ok + ",\"coalesce\":true}]", "coalesce true with importMode FULL"),
                Arguments.of("[{\"name\":\"u\",\"prefix\":\"u/\",\"datasetArn\":\"" + DATASET.replace("INTERACTIONS", "USERS")
                        + "\",\"importMode\":\"INCREMENTAL\",\"coalesce\":true}]",
                        "one import job reads its files in no stated order, so only INTERACTIONS and ACTION_INTERACTIONS"),
                Arguments.of("[{" + ok + ",\"expectEvery\":\"daily\"}]",
                        "expectEvery is 'daily': expected an ISO-8601 duration such as PT24H"),
                Arguments.of("[{" + ok + ",\"expectEvery\":\"PT30M\"}]", "expected whole hours from PT1H to P7D"),
                Arguments.of("[{" + ok + ",\"expectEvery\":\"P8D\"}]", "expected whole hours from PT1H to P7D"),
                Arguments.of("[{" + ok + ",\"expectEvery\":\"PT90M\"}]", "expected whole hours from PT1H to P7D"),
                Arguments.of("[{" + ok + ",\"coalesce\":\"yes\"}]", "coalesce must be true or false"),
                Arguments.of("[{" + ok + ",\"longestHold\":\"PT24H\"}]",
                        "has longestHold but holds no files: only a coalescing INCREMENTAL route of an INTERACTIONS"),
                Arguments.of("[{" + ok + ",\"importMode\":\"INCREMENTAL\",\"longestHold\":\"a day\"}]",
                        "longestHold is 'a day': expected an ISO-8601 duration such as PT24H"),
                Arguments.of("[{" + ok + ",\"importMode\":\"INCREMENTAL\",\"longestHold\":\"PT30S\"}]",
                        "longestHold is PT30S: expected from PT1M to P30D"),
                Arguments.of("[{" + ok + ",\"importMode\":\"INCREMENTAL\",\"longestHold\":\"P31D\"}]",
                        "longestHold is P31D: expected from PT1M to P30D"),
                Arguments.of("[{" + ok + "},{\"name\":\"b\",\"prefix\":\"a/b/\",\"datasetArn\":\"" + DATASET + "\"}]",
                        "overlapping prefixes 'a/' (a) and 'a/b/' (b)"),
                Arguments.of("[{" + ok + "},{\"name\":\"a\",\"prefix\":\"b/\",\"datasetArn\":\"" + DATASET + "\"}]",
                        "two routes named 'a'"));
    }

    @ParameterizedTest
    @MethodSource("malformed")
    void malformedRoutes_shouldFailNamingTheVariable(String json, String expected) {
        var error = assertThrows(ConfigurationException.class, () -> RouteTable.parse(json, ROLE));

        assertTrue(error.getMessage().startsWith("Environment variable ROUTES"), error.getMessage());
        assertTrue(error.getMessage().contains(expected), () -> error.getMessage() + " lacks: " + expected);
        assertTrue(error.getMessage().contains("Example: [{"), error.getMessage());
    }

    @Test
    void routeWithoutRoleAndNoDefault_shouldFail() {
        String json = "[{\"name\":\"a\",\"prefix\":\"a/\",\"datasetArn\":\"" + DATASET + "\"}]";

        var error = assertThrows(ConfigurationException.class, () -> RouteTable.parse(json, null));
        assertTrue(error.getMessage().contains("no roleArn and IMPORT_ROLE_ARN is not set"), error.getMessage());
    }

    @Test
    void missingVariable_shouldSayWhatIsExpected() {
        var error = assertThrows(ConfigurationException.class,
                () -> PipelineConfig.from(new Environment(Map.of("DATA_BUCKET", "data"))));
        assertTrue(error.getMessage().contains("ROUTES is not set: expected a JSON array of routes"), error.getMessage());
    }

    @Test
    void missingOrMalformedBucket_shouldSayWhatIsExpected() {
        var missing = assertThrows(ConfigurationException.class,
                () -> PipelineConfig.from(new Environment(Map.of())));
        var malformed = assertThrows(ConfigurationException.class,
                () -> PipelineConfig.from(new Environment(Map.of("DATA_BUCKET", "Data_Bucket"))));

        assertTrue(missing.getMessage().contains("DATA_BUCKET is not set"), missing.getMessage());
        assertTrue(malformed.getMessage().contains("DATA_BUCKET is 'Data_Bucket': expected an S3 bucket name"),
                malformed.getMessage());
    }

    @Test
    void longestHoldOfACoalescingInteractionsRoute_shouldParse() {
        Route route = RouteTable.parse("[{\"name\":\"e\",\"prefix\":\"e/\",\"datasetArn\":\"" + DATASET
                + "\",\"importMode\":\"INCREMENTAL\",\"longestHold\":\"PT6H\"}]", ROLE).routes().getFirst();

        assertEquals(java.time.Duration.ofHours(6), route.longestHold());
        assertTrue(route.holdsForRecords());
    }

    private static final String GROUP = "arn:aws:personalize:us-east-1:123456789012:dataset-group/demo";

    @Test
    void aDeletionRoute_shouldParseApartFromTheImportRoutesAndCoverItsGroupsDatasets() {
        String json = """
                [{"name":"interactions","prefix":"interactions/","datasetArn":"%s","action":"import"},
                 {"name":"forget","prefix":"deletions/","action":"delete","datasetGroupArn":"%s",
                  "tags":{"team":"privacy"}}]""".formatted(DATASET, GROUP);

        RouteTable table = RouteTable.parse(json, ROLE);

        assertEquals(1, table.routes().size());
        DeletionRoute forget = table.matchDeletion("deletions/2026-12-07.csv").orElseThrow();
        assertEquals(new DeletionRoute("forget", "deletions/", GROUP, ROLE, Map.of("team", "privacy")), forget);
        assertEquals(Optional.empty(), table.match("deletions/2026-12-07.csv"));
        assertEquals(Optional.empty(), table.matchDeletion("interactions/day1.csv"));
        assertEquals(java.util.List.of(forget), table.deletionsOf(DATASET));
        assertEquals(java.util.List.of(), table.deletionsOf(
                "arn:aws:personalize:us-east-1:123456789012:dataset/demo-2/USERS"), "another group, whose name starts alike");
    }

    static Stream<Arguments> malformedDeletions() {
        String forget = "\"name\":\"forget\",\"prefix\":\"deletions/\",\"action\":\"delete\"";
        return Stream.of(
                Arguments.of("[{" + forget + "}]", "is missing 'datasetGroupArn'"),
                Arguments.of("[{" + forget + ",\"datasetGroupArn\":\"" + DATASET + "\"}]",
                        "expected a dataset group ARN like arn:aws:personalize:<region>:<account>:dataset-group/<name>"),
                Arguments.of("[{" + forget + ",\"datasetGroupArn\":\"" + GROUP + "\",\"importMode\":\"FULL\"}]",
                        "has field 'importMode', which a deletion route does not take"),
                Arguments.of("[{" + forget + ",\"datasetGroupArn\":\"" + GROUP + "\",\"datasetArn\":\"" + DATASET
                        + "\"}]", "has field 'datasetArn', which a deletion route does not take"),
                Arguments.of("[{\"name\":\"x\",\"prefix\":\"x/\",\"action\":\"erase\"}]",
                        "action is 'erase': expected \"import\" (the default) or \"delete\""),
                Arguments.of("[{\"name\":\"a\",\"prefix\":\"deletions/users/\",\"datasetArn\":\"" + DATASET
                        + "\"},{" + forget + ",\"datasetGroupArn\":\"" + GROUP + "\"}]",
                        "overlapping prefixes 'deletions/users/' (a) and 'deletions/' (forget)"),
                Arguments.of("[{\"name\":\"forget\",\"prefix\":\"a/\",\"datasetArn\":\"" + DATASET + "\"},{"
                        + forget + ",\"datasetGroupArn\":\"" + GROUP + "\"}]", "two routes named 'forget'"));
    }

    @ParameterizedTest
    @MethodSource("malformedDeletions")
    void malformedDeletionRoutes_shouldFailNamingTheVariableAndTheProblem(String json, String expected) {
        var error = assertThrows(ConfigurationException.class, () -> RouteTable.parse(json, ROLE));

        assertTrue(error.getMessage().startsWith("Environment variable ROUTES"), error.getMessage());
        assertTrue(error.getMessage().contains(expected), () -> error.getMessage() + " lacks: " + expected);
    }
}
