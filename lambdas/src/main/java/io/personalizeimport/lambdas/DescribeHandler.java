package io.personalizeimport.lambdas;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import io.personalizeimport.lambdas.aws.AwsCall;
import io.personalizeimport.lambdas.aws.AwsCallException;
import io.personalizeimport.lambdas.aws.ClientFactory;
import io.personalizeimport.lambdas.config.Environment;
import io.personalizeimport.lambdas.config.Patterns;
import io.personalizeimport.lambdas.domain.PollPolicy;
import io.personalizeimport.lambdas.errors.DatasetImportJobNotFoundException;
import io.personalizeimport.lambdas.errors.InvalidImportRequestException;
import io.personalizeimport.lambdas.errors.MonitorDeadlineExceededException;
import io.personalizeimport.lambdas.json.Json;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import software.amazon.awssdk.services.personalize.PersonalizeClient;
import software.amazon.awssdk.services.personalize.model.DatasetImportJob;

/**
 * The state machine's "Describe import job" task: one DescribeDatasetImportJob, and when to look again.
 *
 * <p>Input: {@code {"input": <execution state>, "executionStartTime": "<ISO-8601>"}}. Output:
 * {@code {"datasetImportJob": {...status, failureReason, times, polls...}, "nextWaitSeconds": n, "cause"?}}, where
 * {@code cause} is the one-line reason of a failed job. Transient errors are retried by the state machine until the
 * monitor deadline; past it they end the execution as timed out.
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
        this(ClientFactory.forFunction(FunctionSettings.DESCRIBE, env)
                        .build(PersonalizeClient.builder(), "PERSONALIZE"), PollPolicy.from(env), Clock.systemUTC());
        Priming.register(Priming.describe(this, env));
    }

    public DescribeHandler(PersonalizeClient personalize, PollPolicy policy, Clock clock) {
        this.personalize = personalize;
        this.policy = policy;
        this.clock = clock;
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) {
        Json.write(output, describe(task(input)));
    }

    /** The task's input: the execution's state and its start ({@code $$.Execution.StartTime}). */
    record Task(State input, String executionStartTime) {

        State state() {
            return input == null ? new State(null, null, null, null) : input;
        }
    }

    /**
     * What the task reads of the execution's state: the job, the previous observation ({@code $.monitor}) and the file,
     * from the trigger's {@code source} or the {@code createRequest}.
     */
    record State(String datasetImportJobArn, Observation monitor, Source source, Request createRequest) {

        long pollsBefore() {
            return monitor == null || monitor.datasetImportJob() == null ? 0 : monitor.datasetImportJob().polls();
        }

        String file() {
            return source != null && source.key() != null ? source.key()
                    : createRequest == null ? null : createRequest.dataLocation();
        }
    }

    record Source(String key) {
    }

    record Request(String dataLocation) {
    }

    static Task task(InputStream input) {
        try {
            return Json.read(input, Task.class);
        } catch (IllegalArgumentException e) {
            throw new InvalidImportRequestException("The describe task's input cannot be read: " + e.getMessage(), e);
        }
    }

    Observation describe(Task task) {
        State state = task.state();
        String arn = state.datasetImportJobArn();
        if (arn == null || !Patterns.IMPORT_JOB_ARN.matcher(arn).matches()) {
            throw new InvalidImportRequestException("datasetImportJobArn is "
                    + (arn == null ? "missing" : "'" + arn + "'") + ": expected arn:aws:personalize:<region>:<account>:dataset-import-job/<name>");
        }
        Instant started = startTime(task.executionStartTime());
        long polls = state.pollsBefore() + 1;
        String file = state.file();
        String jobName = arn.substring(arn.lastIndexOf('/') + 1);
        String subject = (file == null ? "" : file + " ") + "(job " + jobName + ")";
        String watchAgain = "watch it again with {\"datasetImportJobArn\":\"" + arn + "\"}";

        DatasetImportJob job;
        try {
            job = AwsCall.personalize("DescribeDatasetImportJob", subject)
                    .run(() -> personalize.describeDatasetImportJob(request -> request.datasetImportJobArn(arn)))
                    .datasetImportJob();
        } catch (AwsCallException e) {
            Duration elapsed = Duration.between(started, clock.instant());
            switch (e.kind()) {
                case NOT_FOUND -> throw new DatasetImportJobNotFoundException("Import job " + arn + " does not exist"
                        + (file == null ? "" : " (file " + file + ")"), e);
                case TRANSIENT -> {
                    if (policy.pastDeadline(elapsed)) {
                        throw new MonitorDeadlineExceededException("Import " + subject
                                + " could not be observed within the monitor deadline " + policy.deadline()
                                + "; last error: " + e.getMessage() + "; it may still finish: " + watchAgain, e);
                    }
                    throw e.escalate();
                }
                default -> throw e.escalate();
            }
        }
        Instant now = clock.instant();
        Duration elapsed = Duration.between(started, now);
        Duration age = job.creationDateTime() == null ? elapsed : Duration.between(job.creationDateTime(), now);
        String status = job.status();
        String location = job.dataSource() == null ? null : job.dataSource().dataLocation();
        Log.info("Import job is " + status, "jobName", job.jobName(), "datasetArn", job.datasetArn(),
                "dataLocation", location, "key", file, "polls", polls, "elapsedSeconds", elapsed.toSeconds());
        boolean finished = ACTIVE.equals(status) || CREATE_FAILED.equals(status);
        if (!finished && policy.pastDeadline(elapsed)) {
            throw new MonitorDeadlineExceededException("Import job " + job.jobName() + " of " + location
                    + " is still " + status + " after " + human(elapsed) + " and " + polls + " polls (monitor deadline "
                    + policy.deadline() + "); it may still finish: " + watchAgain);
        }
        String failureReason = null;
        String cause = null;
        if (CREATE_FAILED.equals(status)) {
            failureReason = job.failureReason() == null || job.failureReason().isBlank()
                    ? "Personalize reported CREATE FAILED without a failure reason" : job.failureReason();
            cause = AwsCall.oneLine("Import job " + job.jobName() + " of " + location + " into " + job.datasetArn()
                    + " failed: " + failureReason);
        }
        JobDescription description = new JobDescription(job.jobName(), job.datasetImportJobArn(), job.datasetArn(),
                location, job.importModeAsString(), status, failureReason, iso(job.creationDateTime()),
                iso(job.lastUpdatedDateTime()), age.toSeconds(), elapsed.toSeconds(), polls);
        return new Observation(description, policy.nextWait(age, elapsed).toSeconds(), cause);
    }

    /** The task's result, which the state machine keeps at {@code $.monitor}; null components are left out. */
    record Observation(JobDescription datasetImportJob, long nextWaitSeconds, String cause) {
    }

    /** The job as Personalize describes it, with how long it and the monitor have run; null components are left out. */
    record JobDescription(String jobName, String datasetImportJobArn, String datasetArn, String dataLocation,
                          String importMode, String status, String failureReason, String creationDateTime,
                          String lastUpdatedDateTime, long jobAgeSeconds, long monitorElapsedSeconds, long polls) {
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
