package io.personalizeimport.lambdas;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import io.personalizeimport.lambdas.aws.AwsClients;
import io.personalizeimport.lambdas.config.Environment;
import io.personalizeimport.lambdas.config.ImportMode;
import io.personalizeimport.lambdas.config.Patterns;
import io.personalizeimport.lambdas.config.PipelineConfig;
import io.personalizeimport.lambdas.config.Route;
import io.personalizeimport.lambdas.domain.ImportRequest;
import io.personalizeimport.lambdas.domain.ImportSource;
import io.personalizeimport.lambdas.domain.JobNames;
import io.personalizeimport.lambdas.domain.MonitorInput;
import io.personalizeimport.lambdas.domain.S3Object;
import io.personalizeimport.lambdas.errors.InvalidImportRequestException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * The state machine's "Create import job" task: creates the job of an execution that started without one.
 *
 * <p>Input: {@code {"input": <execution state>, "executionName": "..."}} where the state is a queued import from the
 * trigger ({@code createRequest}), or an operator's {@code {"bucket","key"}} or {@code {"dataLocation","datasetArn"}}.
 * Output: the execution's new state, a {@link MonitorInput} naming the job. Busy and limit answers, rejections and
 * invalid input are thrown as the named exceptions of {@code io.personalizeimport.lambdas.errors}.
 */
public final class CreateHandler implements RequestStreamHandler {

    private static final String FORMS = "expected {\"bucket\":\"...\",\"key\":\"...\"}, "
            + "{\"dataLocation\":\"s3://...\",\"datasetArn\":\"...\"} or {\"datasetImportJobArn\":\"...\"}";

    private final PipelineConfig config;
    private final AwsClients clients;
    private final ImportService imports;

    public CreateHandler() {
        this(Environment.system());
    }

    private CreateHandler(Environment env) {
        this(PipelineConfig.from(env, Json.MAPPER), AwsClients.fromEnvironment(env));
    }

    public CreateHandler(PipelineConfig config, AwsClients clients) {
        this.config = config;
        this.clients = clients;
        this.imports = new ImportService(config, clients);
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        JsonNode event = Json.MAPPER.readTree(input);
        MonitorInput result = create(event == null ? Json.MAPPER.nullNode() : event);
        Json.MAPPER.writeValue(output, result);
    }

    MonitorInput create(JsonNode event) {
        JsonNode state = event.path("input");
        if (!state.isObject()) {
            throw new InvalidImportRequestException("Execution input is " + state + ": " + FORMS);
        }
        if (state.hasNonNull("createRequest")) {
            ImportRequest request = queued(state.get("createRequest"));
            ImportSource source = state.hasNonNull("source")
                    ? Json.MAPPER.convertValue(state.get("source"), ImportSource.class) : null;
            return imports.createNow(request, source);
        }
        if (state.hasNonNull("bucket") || state.hasNonNull("key")) {
            return fromObject(text(state, "bucket", null), text(state, "key", null));
        }
        if (state.hasNonNull("dataLocation") || state.hasNonNull("datasetArn")) {
            return fromLocation(state, text(event, "executionName", null));
        }
        throw new InvalidImportRequestException("Execution input has none of the fields the import monitor reads: "
                + FORMS + "; got " + state);
    }

    private ImportRequest queued(JsonNode node) {
        ImportRequest request = Json.MAPPER.convertValue(node, ImportRequest.class);
        if (request.jobName() == null || request.datasetArn() == null || request.dataLocation() == null
                || request.roleArn() == null) {
            throw new InvalidImportRequestException("createRequest " + node
                    + " is incomplete: expected jobName, datasetArn, dataLocation and roleArn");
        }
        return request;
    }

    private MonitorInput fromObject(String bucket, String key) {
        if (bucket == null || key == null) {
            throw new InvalidImportRequestException("Execution input names a bucket or a key but not both: " + FORMS);
        }
        Route route = config.routes().match(key).orElseThrow(() -> new InvalidImportRequestException("Key '" + key
                + "' matches no route: expected a key under one of " + config.routes().routes().stream()
                        .map(Route::prefix).toList()));
        if (key.endsWith("/") || !key.toLowerCase(Locale.ROOT).endsWith(".csv")) {
            throw new InvalidImportRequestException("Key '" + key + "' does not name a CSV file: expected a key ending"
                    + " in .csv (to import a folder, use {\"dataLocation\":\"s3://" + bucket + "/<prefix>/\","
                    + "\"datasetArn\":\"...\"})");
        }
        HeadObjectResponse head;
        try {
            head = clients.s3().headObject(request -> request.bucket(bucket).key(key));
        } catch (NoSuchKeyException | NoSuchBucketException e) {
            throw new InvalidImportRequestException("Object s3://" + bucket + "/" + key
                    + " does not exist: expected an uploaded CSV file", e);
        } catch (software.amazon.awssdk.services.s3.model.S3Exception e) {
            if (e.statusCode() == 404) {
                throw new InvalidImportRequestException("Object s3://" + bucket + "/" + key
                        + " does not exist: expected an uploaded CSV file", e);
            }
            throw e;
        }
        S3Object object = new S3Object(bucket, key, head.versionId(), head.eTag(), head.contentLength());
        return imports.createNow(ImportRequest.forObject(route, object), ImportSource.of(object, route.name()));
    }

    private MonitorInput fromLocation(JsonNode state, String executionName) {
        String dataLocation = text(state, "dataLocation", Patterns.DATA_LOCATION);
        String datasetArn = text(state, "datasetArn", Patterns.DATASET_ARN);
        if (dataLocation == null || datasetArn == null) {
            throw new InvalidImportRequestException("Execution input needs both dataLocation and datasetArn: " + FORMS);
        }
        Route route = config.routes().byDataset(datasetArn).orElse(null);
        String roleArn = text(state, "roleArn", Patterns.ROLE_ARN);
        if (roleArn == null) {
            roleArn = route != null ? route.roleArn() : config.defaultRoleArn();
        }
        if (roleArn == null) {
            throw new InvalidImportRequestException("No role for dataset " + datasetArn + ": expected \"roleArn\" in"
                    + " the input, a route for that dataset, or IMPORT_ROLE_ARN in the function's environment");
        }
        ImportMode mode = route != null ? route.importMode() : ImportMode.FULL;
        String rawMode = text(state, "importMode", null);
        if (rawMode != null) {
            try {
                mode = ImportMode.valueOf(rawMode);
            } catch (IllegalArgumentException e) {
                throw new InvalidImportRequestException("importMode is '" + rawMode + "': expected FULL or INCREMENTAL");
            }
        }
        String label = route != null ? route.name() : "console";
        String jobName = text(state, "jobName", Patterns.JOB_NAME);
        if (jobName == null) {
            jobName = JobNames.forRequest(label, dataLocation, datasetArn, executionName == null ? "" : executionName);
        }
        Map<String, String> tags = route != null ? route.tags() : Map.of();
        Boolean publish = route != null ? route.publishAttributionMetricsToS3() : null;
        ImportRequest request = new ImportRequest(jobName, datasetArn, dataLocation, roleArn, mode, tags, publish);
        return imports.createNow(request, null);
    }

    private static String text(JsonNode node, String field, Pattern pattern) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual() || value.textValue().isBlank()) {
            throw new InvalidImportRequestException(field + " is " + value + ": expected a non-empty string");
        }
        String text = value.textValue();
        if (pattern != null && !pattern.matcher(text).matches()) {
            throw new InvalidImportRequestException(field + " '" + text + "' does not match " + pattern.pattern());
        }
        return text;
    }
}
