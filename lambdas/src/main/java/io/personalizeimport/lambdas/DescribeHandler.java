package io.personalizeimport.lambdas;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.personalizeimport.lambdas.aws.AwsClients;
import io.personalizeimport.lambdas.config.Environment;
import io.personalizeimport.lambdas.config.Patterns;
import io.personalizeimport.lambdas.domain.PollPolicy;
import io.personalizeimport.lambdas.errors.DatasetImportJobNotFoundException;
import io.personalizeimport.lambdas.errors.InvalidImportRequestException;
import io.personalizeimport.lambdas.errors.MonitorDeadlineExceededException;
import io.personalizeimport.lambdas.errors.PersonalizeUnavailableException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.personalize.PersonalizeClient;
import software.amazon.awssdk.services.personalize.model.DatasetImportJob;
import software.amazon.awssdk.services.personalize.model.ResourceNotFoundException;

/**
 * The state machine's "Describe import job" task: one DescribeDatasetImportJob, and when to look again.
 *
 * <p>Input: {@code {"input": <execution state>, "executionStartTime": "<ISO-8601>"}}. Output:
 * {@code {"datasetImportJob": {...status, failureReason, times, polls...}, "nextWaitSeconds": n}}.
 */
public final class DescribeHandler implements RequestStreamHandler {

    static final String ACTIVE = "ACTIVE";
    static final String CREATE_FAILED = "CREATE FAILED";

    private final PersonalizeClient personalize;
    private final PollPolicy policy;
    private final Clock clock;

    public DescribeHandler() {
        this(Environment.system());
    }

    private DescribeHandler(Environment env) {
        this(AwsClients.fromEnvironment(env).personalize(), PollPolicy.from(env), Clock.systemUTC());
    }

    public DescribeHandler(PersonalizeClient personalize, PollPolicy policy, Clock clock) {
        this.personalize = personalize;
        this.policy = policy;
        this.clock = clock;
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        JsonNode event = Json.MAPPER.readTree(input);
        Json.MAPPER.writeValue(output, describe(event == null ? Json.MAPPER.nullNode() : event));
    }

    ObjectNode describe(JsonNode event) {
        JsonNode state = event.path("input");
        String arn = state.path("datasetImportJobArn").asText(null);
        if (arn == null || !Patterns.IMPORT_JOB_ARN.matcher(arn).matches()) {
            throw new InvalidImportRequestException("datasetImportJobArn is " + state.get("datasetImportJobArn")
                    + ": expected arn:aws:personalize:<region>:<account>:dataset-import-job/<name>");
        }
        Instant started = startTime(event.path("executionStartTime").asText(null));
        long polls = state.path("monitor").path("datasetImportJob").path("polls").asLong(0) + 1;

        DatasetImportJob job = describe(arn);
        Instant now = clock.instant();
        Duration elapsed = Duration.between(started, now);
        Duration age = job.creationDateTime() == null ? elapsed : Duration.between(job.creationDateTime(), now);
        String status = job.status();
        boolean finished = ACTIVE.equals(status) || CREATE_FAILED.equals(status);
        Log.info("Import job is " + status, "jobName", job.jobName(), "datasetArn", job.datasetArn(),
                "dataLocation", job.dataSource() == null ? null : job.dataSource().dataLocation(),
                "polls", polls, "elapsedSeconds", elapsed.toSeconds());
        if (!finished && policy.pastDeadline(elapsed)) {
            throw new MonitorDeadlineExceededException("Import job " + job.jobName() + " is still " + status + " after "
                    + human(elapsed) + " and " + polls + " polls (monitor deadline " + policy.deadline()
                    + "); it may still finish: watch it again with {\"datasetImportJobArn\":\"" + arn + "\"}");
        }

        ObjectNode description = Json.MAPPER.createObjectNode();
        description.put("jobName", job.jobName());
        description.put("datasetImportJobArn", job.datasetImportJobArn());
        description.put("datasetArn", job.datasetArn());
        description.put("dataLocation", job.dataSource() == null ? null : job.dataSource().dataLocation());
        description.put("importMode", job.importModeAsString());
        description.put("status", status);
        if (CREATE_FAILED.equals(status)) {
            description.put("failureReason", job.failureReason() == null || job.failureReason().isBlank()
                    ? "Personalize reported CREATE FAILED without a failure reason" : job.failureReason());
        }
        description.put("creationDateTime", iso(job.creationDateTime()));
        description.put("lastUpdatedDateTime", iso(job.lastUpdatedDateTime()));
        description.put("jobAgeSeconds", age.toSeconds());
        description.put("monitorElapsedSeconds", elapsed.toSeconds());
        description.put("polls", polls);

        ObjectNode result = Json.MAPPER.createObjectNode();
        result.set("datasetImportJob", description);
        result.put("nextWaitSeconds", policy.nextWait(age, elapsed).toSeconds());
        return result;
    }

    private DatasetImportJob describe(String arn) {
        try {
            return personalize.describeDatasetImportJob(request -> request.datasetImportJobArn(arn)).datasetImportJob();
        } catch (ResourceNotFoundException e) {
            throw new DatasetImportJobNotFoundException("Import job " + arn + " does not exist", e);
        } catch (SdkClientException e) {
            throw new PersonalizeUnavailableException("Personalize could not be reached: " + e.getMessage(), e);
        } catch (AwsServiceException e) {
            if (e.statusCode() >= 500 || e.isThrottlingException()) {
                throw new PersonalizeUnavailableException("Personalize is unavailable: " + e.getMessage(), e);
            }
            throw e;
        }
    }

    private static Instant startTime(String text) {
        if (text == null) {
            throw new InvalidImportRequestException(
                    "executionStartTime is missing: expected the task's Parameters to pass $$.Execution.StartTime");
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new InvalidImportRequestException("executionStartTime '" + text + "' is not an ISO-8601 instant", e);
        }
    }

    private static String iso(Instant instant) {
        return instant == null ? null : instant.toString();
    }

    private static String human(Duration duration) {
        return duration.toHours() + "h " + duration.toMinutesPart() + "m " + duration.toSecondsPart() + "s";
    }
}
