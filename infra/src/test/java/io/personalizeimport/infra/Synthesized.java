package io.personalizeimport.infra;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.assertions.Annotations;
import software.amazon.awscdk.assertions.Template;

/** One synthesized stack per context, shared by the tests that inspect it: synthesis takes seconds. */
record Synthesized(PipelineStack stack, Template template, Annotations annotations) {

    static final String DATASET_ARN = "arn:aws:personalize:us-east-1:123456789012:dataset/shop/INTERACTIONS";
    static final String KEY_ARN = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";

    /** cdk.json as committed: demo datasets, a new bucket, SSE-S3, RETAIN. */
    static final Map<String, Object> DEFAULTS = Map.of();
    /** The user's routes, bucket and key. */
    static final Map<String, Object> EXISTING = Map.of(
            "routes", "[{\"name\":\"clicks\",\"prefix\":\"clicks/\",\"datasetArn\":\"" + DATASET_ARN + "\","
                    + "\"importMode\":\"INCREMENTAL\",\"tags\":{\"team\":\"ml\"}},"
                    + "{\"name\":\"catalog\",\"prefix\":\"catalog/\",\"datasetArn\":"
                    + "\"arn:aws:personalize:us-east-1:123456789012:dataset/shop/ITEMS\"}]",
            "existingBucketName", "shop-data",
            "kmsKeyArn", KEY_ARN,
            "preflight", "false",
            "pollInitialSeconds", "30",
            "pollMaxSeconds", "600",
            "monitorDeadline", "PT72H");
    /** A customer managed key created by the stack, the alarm topic, and a stack that deletes what it created. */
    static final Map<String, Object> KMS_ALARMS_DESTROY = Map.of(
            "createKmsKey", "true",
            "alarmEmail", "ops@example.com",
            "removalPolicy", "DESTROY",
            "logRetentionDays", "30");

    /** Folder routes, one with its own marker and timeout, beside a file route, in a new SSE-S3 bucket. */
    static final Map<String, Object> FOLDERS = Map.of(
            "routes", "[{\"name\":\"clicks\",\"prefix\":\"clicks/\",\"datasetArn\":\"" + DATASET_ARN + "\","
                    + "\"importMode\":\"INCREMENTAL\",\"group\":\"folder\"},"
                    + "{\"name\":\"users\",\"prefix\":\"users/\",\"datasetArn\":"
                    + "\"arn:aws:personalize:us-east-1:123456789012:dataset/shop/USERS\",\"group\":\"folder\","
                    + "\"marker\":\"_DONE\",\"markerTimeout\":\"PT2H\"},"
                    + "{\"name\":\"catalog\",\"prefix\":\"catalog/\",\"datasetArn\":"
                    + "\"arn:aws:personalize:us-east-1:123456789012:dataset/shop/ITEMS\"}]");

    /**
     * Routes with an expected rhythm (two of them on one dataset, the stricter applies), failure emails, and the
     * account's default event bus.
     */
    static final Map<String, Object> RHYTHM_DEFAULT_BUS = Map.of(
            "routes", "[{\"name\":\"clicks\",\"prefix\":\"clicks/\",\"datasetArn\":\"" + DATASET_ARN + "\","
                    + "\"importMode\":\"INCREMENTAL\",\"expectEvery\":\"PT6H\"},"
                    + "{\"name\":\"backfill\",\"prefix\":\"backfill/\",\"datasetArn\":\"" + DATASET_ARN + "\","
                    + "\"importMode\":\"INCREMENTAL\",\"expectEvery\":\"P2D\"},"
                    + "{\"name\":\"catalog\",\"prefix\":\"catalog/\",\"datasetArn\":"
                    + "\"arn:aws:personalize:us-east-1:123456789012:dataset/shop/ITEMS\"}]",
            "alarmEmail", "ops@example.com",
            "eventBus", "default");

    /** A dataset that exists before the stack, routed beside the datasets the stack creates. */
    static final String LEGACY_ARN = "arn:aws:personalize:us-east-1:123456789012:dataset/legacy/INTERACTIONS";
    /**
     * The README's two dataset groups (infra/examples/two-groups.json): an ECOMMERCE group with interactions, items and
     * users, a custom one with all five types; a route to an existing dataset beside them, and three import jobs.
     */
    static final Map<String, Object> DATASETS = Map.of(
            "datasets", "@infra/examples/two-groups.json",
            "routes", "[{\"name\":\"legacy\",\"prefix\":\"legacy/\",\"datasetArn\":\"" + LEGACY_ARN + "\","
                    + "\"importMode\":\"INCREMENTAL\",\"longestHold\":\"PT6H\"}]",
            "maxImportJobs", "3");

    /** The existing dataset group that DELETIONS imports into and forgets users of. */
    static final String GROUP_ARN = "arn:aws:personalize:us-east-1:123456789012:dataset-group/shop";
    /** One import route and one tagged deletion route into its dataset group, in a new SSE-S3 bucket. */
    static final Map<String, Object> DELETIONS = Map.of(
            "routes", "[{\"name\":\"clicks\",\"prefix\":\"clicks/\",\"datasetArn\":\"" + DATASET_ARN + "\"},"
                    + "{\"name\":\"forget\",\"prefix\":\"forget/\",\"action\":\"delete\",\"datasetGroupArn\":\""
                    + GROUP_ARN + "\",\"tags\":{\"purpose\":\"privacy\"}}]");
    /** A dataset group the stack creates, with a users route and a deletion route of its own. */
    static final Map<String, Object> DATASETS_DELETIONS = Map.of(
            "datasets", "[{\"name\":\"shop\",\"datasets\":[{\"type\":\"USERS\",\"schema\":\"infra/schemas/users.avsc\","
                    + "\"routes\":[{\"name\":\"shop-users\",\"prefix\":\"shop/users/\"}]}],"
                    + "\"deletions\":[{\"name\":\"shop-forget\",\"prefix\":\"shop/forget/\"}]}]");

    /** Every configuration the tests synthesize. */
    static final List<Map<String, Object>> CONFIGURATIONS = List.of(DEFAULTS, EXISTING, KMS_ALARMS_DESTROY, FOLDERS,
            RHYTHM_DEFAULT_BUS, DATASETS, DELETIONS, DATASETS_DELETIONS);

    private static final Map<Map<String, Object>, Synthesized> CACHE = new ConcurrentHashMap<>();

    static Synthesized of(Map<String, Object> overrides) {
        return CACHE.computeIfAbsent(overrides, Synthesized::synthesize);
    }

    /** An app as the CLI builds it: cdk.json's context, then the {@code -c} overrides. */
    static App app(Map<String, Object> overrides) {
        Map<String, Object> context = new HashMap<>(cdkJsonContext());
        context.putAll(overrides);
        return new App(AppProps.builder().context(context).analyticsReporting(false).build());
    }

    private static Synthesized synthesize(Map<String, Object> overrides) {
        PipelineStack stack = PipelineStack.create(app(overrides));
        return new Synthesized(stack, Template.fromStack(stack), Annotations.fromStack(stack));
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> cdkJsonContext() {
        try {
            Map<String, Object> cdkJson = new ObjectMapper().readValue(
                    RepositoryPaths.locate().root().resolve("cdk.json").toFile(), Map.class);
            return (Map<String, Object>) cdkJson.get("context");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The statements of the policy attached to the role whose logical id starts with {@code rolePrefix}. */
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> statementsOf(String rolePrefix) {
        Map<String, Map<String, Object>> policies = template.findResources("AWS::IAM::Policy");
        return policies.entrySet().stream()
                .filter(entry -> entry.getKey().startsWith(rolePrefix + "DefaultPolicy"))
                .map(entry -> (Map<String, Object>) entry.getValue().get("Properties"))
                .map(properties -> (Map<String, Object>) properties.get("PolicyDocument"))
                .flatMap(document -> ((List<Map<String, Object>>) document.get("Statement")).stream())
                .toList();
    }

    String logicalId(String prefix, String type) {
        return template.findResources(type).keySet().stream().filter(id -> id.startsWith(prefix)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + type + " whose logical id starts with " + prefix));
    }
}
