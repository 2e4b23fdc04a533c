package io.personalizeimport.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.personalizeimport.lambdas.config.Route;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awscdk.App;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.logs.RetentionDays;

/** Every context key: its default, its valid forms, and a message naming the key for each malformed value. */
class StackConfigTest {

    private static final String DATASET = "arn:aws:personalize:us-east-1:123456789012:dataset/shop/INTERACTIONS";

    private static StackConfig read(Map<String, Object> context) {
        return StackConfig.fromContext(context::get);
    }

    private static String rejected(String key, Object value) {
        Map<String, Object> context = new HashMap<>();
        context.put(key, value);
        return assertThrows(InvalidContextException.class, () -> read(context)).getMessage();
    }

    @Test
    void noContext_shouldDeployDemoDatasetsIntoANewSseS3BucketAndRetainData() {
        StackConfig config = read(Map.of());
        assertTrue(config.demoDatasets());
        assertTrue(config.existingBucketName().isEmpty());
        assertTrue(config.kmsKeyArn().isEmpty());
        assertFalse(config.createKmsKey());
        assertEquals(Duration.ofSeconds(15), config.pollPolicy().initial());
        assertEquals(Duration.ofSeconds(300), config.pollPolicy().max());
        assertEquals(Duration.ofHours(48), config.pollPolicy().deadline());
        assertEquals(RetentionDays.THREE_MONTHS, config.logRetention());
        assertEquals(RemovalPolicy.RETAIN, config.removalPolicy());
        assertTrue(config.preflight());
        assertTrue(config.alarmEmail().isEmpty());
    }

    @Test
    void cdkJsonValues_shouldReadAsNumbersAndBooleans() {
        StackConfig config = read(Map.of("pollInitialSeconds", 20.0, "logRetentionDays", 30, "preflight", false));
        assertEquals(Duration.ofSeconds(20), config.pollPolicy().initial());
        assertEquals(RetentionDays.ONE_MONTH, config.logRetention());
        assertFalse(config.preflight());
    }

    @Test
    void routesAsCdkJsonList_shouldParseLikeTheJsonString() {
        StackConfig config = read(Map.of("routes", List.of(Map.of(
                "name", "clicks", "prefix", "clicks/", "datasetArn", DATASET, "importMode", "INCREMENTAL"))));
        assertEquals(1, config.routes().size());
        assertEquals("clicks/", config.routes().get(0).prefix());
    }

    @Test
    void folderRoute_shouldKeepItsMarkerTimeoutAndCoalesce() {
        StackConfig config = read(Map.of("routes", "[{\"name\":\"clicks\",\"prefix\":\"exports/clicks-v2/\","
                + "\"datasetArn\":\"" + DATASET + "\",\"importMode\":\"INCREMENTAL\",\"group\":\"folder\","
                + "\"marker\":\"_DONE.v2\",\"markerTimeout\":\"PT3H\",\"coalesce\":false}]"));
        Route route = config.routes().get(0);
        assertEquals(Route.Group.FOLDER, route.group());
        assertEquals("_DONE.v2", route.marker());
        assertEquals(Duration.ofHours(3), route.markerTimeout());
        assertFalse(route.coalesce());
    }

    @ParameterizedTest(name = "routes={0}")
    @CsvSource(delimiter = '|', value = {
        "not json|Context key routes is not valid JSON",
        "{}|Context key routes must be a non-empty JSON array of routes",
        "[]|Context key routes must be a non-empty JSON array of routes",
        "[{\"prefix\":\"a/\",\"datasetArn\":\"" + DATASET + "\"}]|Context key routes[0] is missing 'name'",
        "[{\"name\":\"a\",\"prefix\":\"a/\",\"datasetArn\":\"arn:aws:s3:::bucket\"}]|Context key routes[0] datasetArn is \"arn:aws:s3:::bucket\": expected a dataset ARN",
        "[{\"name\":\"a\",\"prefix\":\"a/\",\"datasetArn\":\"" + DATASET + "\",\"importMode\":\"PARTIAL\"}]|importMode is 'PARTIAL': expected FULL or INCREMENTAL",
        "[{\"name\":\"a\",\"prefix\":\"/a\",\"datasetArn\":\"" + DATASET + "\"}]|prefix '/a' starts with '/'",
        "[{\"name\":\"a\",\"prefix\":\"a/\",\"datasetArn\":\"" + DATASET + "\",\"colour\":\"red\"}]|Context key routes[0] has unknown field 'colour'",
        "[{\"name\":\"a\",\"prefix\":\"a/\",\"datasetArn\":\"" + DATASET + "\"},{\"name\":\"b\",\"prefix\":\"a/b/\",\"datasetArn\":\"" + DATASET + "\"}]|Context key routes has overlapping prefixes 'a/' (a) and 'a/b/' (b)",
        "[{\"name\":\"a\",\"prefix\":\"a/\",\"datasetArn\":\"" + DATASET + "\",\"roleArn\":\"arn:aws:iam::123456789012:role/Mine\"}]|Context key routes[0] has a roleArn",
        "[{\"name\":\"a\",\"prefix\":\"a/\",\"datasetArn\":\"" + DATASET + "\",\"group\":\"batch\"}]|Context key routes[0] group is 'batch': expected \"file\" or \"folder\"",
        "[{\"name\":\"a\",\"prefix\":\"a/\",\"datasetArn\":\"" + DATASET + "\",\"marker\":\"_DONE\"}]|Context key routes[0] has marker or markerTimeout but its group is not \"folder\"",
        "[{\"name\":\"a\",\"prefix\":\"a/\",\"datasetArn\":\"" + DATASET + "\",\"group\":\"folder\",\"marker\":\"part.csv\"}]|Context key routes[0] marker is \"part.csv\": expected an object name without '/'",
        "[{\"name\":\"a\",\"prefix\":\"a/\",\"datasetArn\":\"" + DATASET + "\",\"group\":\"folder\",\"markerTimeout\":\"PT10S\"}]|Context key routes[0] markerTimeout is PT10S: expected from PT1M to P7D",
        "[{\"name\":\"a\",\"prefix\":\"a/\",\"datasetArn\":\"" + DATASET + "\",\"coalesce\":true}]|Context key routes[0] has coalesce true with importMode FULL",
        "[{\"name\":\"a\",\"prefix\":\"_staging/a/\",\"datasetArn\":\"" + DATASET + "\"}]|Context key routes[0] prefix '_staging/a/' overlaps the staging folder _staging/",
        "[{\"name\":\"a\",\"prefix\":\"a/\",\"datasetArn\":\"" + DATASET + "\",\"group\":\"folder\",\"marker\":\"_DONE!\"}]|Context key routes[0] marker '_DONE!' has a character that S3 notification filters cannot match reliably",
        "[{\"name\":\"a\",\"prefix\":\"a/\",\"datasetArn\":\"" + DATASET + "\",\"group\":\"folder\",\"marker\":\"done~1\"}]|Context key routes[0] marker 'done~1' has a character that S3 notification filters cannot match reliably",
        "[{\"name\":\"a\",\"prefix\":\"a/\",\"datasetArn\":\"" + DATASET + "\"},{\"name\":\"b\",\"prefix\":\"exports(1)/\",\"datasetArn\":\"" + DATASET + "\"}]|Context key routes[1] prefix 'exports(1)/' has a character that S3 notification filters cannot match reliably",
    })
    void malformedRoutes_shouldNameTheKeyAndShowAValidExample(String routes, String expected) {
        String message = rejected("routes", routes);
        assertTrue(message.contains(expected), message);
        assertTrue(message.contains("Example: -c 'routes=[{\"name\":\"interactions\""), message);
        assertFalse(message.contains("Environment variable"), message);
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', value = {
        "existingBucketName|My_Bucket|Context key existingBucketName is 'My_Bucket': expected an S3 bucket name",
        "kmsKeyArn|alias/mine|Context key kmsKeyArn is 'alias/mine': expected a KMS key ARN",
        "createKmsKey|yes|Context key createKmsKey is 'yes': expected true or false",
        "preflight|off|Context key preflight is 'off': expected true or false",
        "pollInitialSeconds|0|Context key pollInitialSeconds is '0': expected a whole number from 1 to 3600",
        "pollInitialSeconds|ten|Context key pollInitialSeconds is 'ten': expected a whole number",
        "pollMaxSeconds|5000|Context key pollMaxSeconds is '5000': expected a whole number from 15 to 3600",
        "monitorDeadline|2 days|Context key monitorDeadline is '2 days': expected an ISO-8601 duration such as PT48H",
        "monitorDeadline|P365D|Context keys monitorDeadline=PT8760H and pollMaxSeconds=300 allow",
        "alarmEmail|ops.example.com|Context key alarmEmail is 'ops.example.com': expected an email address",
        "logRetentionDays|10|Context key logRetentionDays is '10': expected one of CloudWatch Logs' retention periods",
        "removalPolicy|SNAPSHOT|Context key removalPolicy is 'SNAPSHOT': expected RETAIN",
    })
    void malformedValue_shouldNameTheKeyAndShowAValidExample(String key, String value, String expected) {
        String message = rejected(key, value);
        assertTrue(message.startsWith(expected), message);
        assertTrue(message.contains("Example: -c " + key + "="), message);
        assertFalse(message.contains("Environment variable"), message);
    }

    @Test
    void listWhereAValueIsExpected_shouldNameTheKey() {
        String message = rejected("alarmEmail", List.of("a@example.com"));
        assertTrue(message.startsWith("Context key alarmEmail is [a@example.com]: expected a single value"), message);
    }

    @Test
    void createKmsKeyWithKmsKeyArn_shouldBeRefused() {
        InvalidContextException e = assertThrows(InvalidContextException.class, () -> read(Map.of(
                "createKmsKey", "true", "kmsKeyArn", Synthesized.KEY_ARN)));
        assertTrue(e.getMessage().startsWith("Context keys createKmsKey and kmsKeyArn are both set"), e.getMessage());
    }

    @Test
    void createKmsKeyForAnExistingBucket_shouldBeRefused() {
        InvalidContextException e = assertThrows(InvalidContextException.class, () -> read(Map.of(
                "createKmsKey", "true", "existingBucketName", "shop-data")));
        assertTrue(e.getMessage().startsWith("Context key createKmsKey is true while existingBucketName is set"),
                e.getMessage());
    }

    @Test
    void invalidContext_shouldStopTheAppBeforeAnyStackExists() {
        App app = Synthesized.app(Map.of("removalPolicy", "SNAPSHOT"));
        assertThrows(InvalidContextException.class, () -> PipelineStack.create(app));
        assertEquals(List.of(), app.getNode().getChildren());
    }
}
