package io.personalizeimport.lambdas.aws;

import io.personalizeimport.lambdas.Log;
import io.personalizeimport.lambdas.config.Patterns;
import io.personalizeimport.lambdas.domain.PollPolicy;
import io.personalizeimport.lambdas.errors.DatasetImportJobNotFoundException;
import io.personalizeimport.lambdas.errors.InvalidImportRequestException;
import io.personalizeimport.lambdas.errors.MonitorDeadlineExceededException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import software.amazon.awssdk.services.personalize.PersonalizeClient;
import software.amazon.awssdk.services.personalize.model.DatasetImportJob;

/**
 * One look at an import job for its execution: DescribeDatasetImportJob, the monitor deadline, and when to look again.
 */
public final class ImportJobWatch {

    public static final String ACTIVE = "ACTIVE";
    static final String CREATE_FAILED = "CREATE FAILED";

    private final PersonalizeClient personalize;
    private final PollPolicy policy;
    private final Clock clock;

    public ImportJobWatch(PersonalizeClient personalize, PollPolicy policy, Clock clock) {
        this.personalize = personalize;
        this.policy = policy;
        this.clock = clock;
    }

    /**
     * Describes the job once, the {@code pollsBefore + 1}th time since the execution started.
     *
     * @param file the file or folder the job imports, for the messages; null when the execution does not name it
     * @throws DatasetImportJobNotFoundException when there is no such job
     * @throws MonitorDeadlineExceededException when the job, or the errors that hide it, outlast the monitor deadline
     */
    public Observation observe(String arn, String file, long pollsBefore, Instant started) {
        if (arn == null || !Patterns.IMPORT_JOB_ARN.matcher(arn).matches()) {
            throw new InvalidImportRequestException("datasetImportJobArn is "
                    + (arn == null ? "missing" : "'" + arn + "'")
                    + ": expected arn:aws:personalize:<region>:<account>:dataset-import-job/<name>");
        }
        long polls = pollsBefore + 1;
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
        Duration elapsedNow = Duration.between(started, clock.instant());
        Log.info("Import job is " + job.status(), "jobName", job.jobName(), "datasetArn", job.datasetArn(),
                "dataLocation", job.dataSource() == null ? null : job.dataSource().dataLocation(), "key", file,
                "polls", polls, "elapsedSeconds", elapsedNow.toSeconds());
        return observed(job, polls, started);
    }

    /**
     * What a job described on the {@code polls}-th look means for its execution: its description, when to look again,
     * and the cause of a failure.
     *
     * @throws MonitorDeadlineExceededException when the job is not finished past the monitor deadline
     */
    public Observation observed(DatasetImportJob job, long polls, Instant started) {
        Instant now = clock.instant();
        Duration elapsed = Duration.between(started, now);
        Duration age = job.creationDateTime() == null ? elapsed : Duration.between(job.creationDateTime(), now);
        String status = job.status();
        String location = job.dataSource() == null ? null : job.dataSource().dataLocation();
        String watchAgain = "watch it again with {\"datasetImportJobArn\":\"" + job.datasetImportJobArn() + "\"}";
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
    public record Observation(JobDescription datasetImportJob, long nextWaitSeconds, String cause) {
    }

    /** The job as Personalize describes it, with how long it and the monitor have run; null components are left out. */
    public record JobDescription(String jobName, String datasetImportJobArn, String datasetArn, String dataLocation,
                          String importMode, String status, String failureReason, String creationDateTime,
                          String lastUpdatedDateTime, long jobAgeSeconds, long monitorElapsedSeconds, long polls) {
    }

    private static String iso(Instant instant) {
        return instant == null ? null : instant.toString();
    }

    private static String human(Duration duration) {
        return duration.toHours() + "h " + duration.toMinutesPart() + "m " + duration.toSecondsPart() + "s";
    }
}
