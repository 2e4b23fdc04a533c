package io.personalizeimport.lambdas.aws;

import io.personalizeimport.lambdas.Log;
import io.personalizeimport.lambdas.config.Patterns;
import io.personalizeimport.lambdas.domain.PollPolicy;
import io.personalizeimport.lambdas.errors.InvalidImportRequestException;
import io.personalizeimport.lambdas.errors.MonitorDeadlineExceededException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import software.amazon.awssdk.services.personalize.PersonalizeClient;
import software.amazon.awssdk.services.personalize.model.DataDeletionJob;

/**
 * One look at a data deletion job for its execution: DescribeDataDeletionJob, the monitor deadline, and when to look
 * again, on the same policy as imports.
 */
public final class DeletionJobWatch {

    public static final String COMPLETED = "COMPLETED";
    public static final String FAILED = "FAILED";

    private final PersonalizeClient personalize;
    private final PollPolicy policy;
    private final Clock clock;

    public DeletionJobWatch(PersonalizeClient personalize, PollPolicy policy, Clock clock) {
        this.personalize = personalize;
        this.policy = policy;
        this.clock = clock;
    }

    /**
     * Describes the job once, the {@code pollsBefore + 1}th time since the execution started.
     *
     * @param file the list of users the job reads, for the messages; null when the execution does not name it
     * @throws MonitorDeadlineExceededException when the job, or the errors that hide it, outlast the monitor deadline
     */
    public Observation observe(String arn, String file, long pollsBefore, Instant started) {
        if (arn == null || !Patterns.DELETION_JOB_ARN.matcher(arn).matches()) {
            throw new InvalidImportRequestException("dataDeletionJobArn is "
                    + (arn == null ? "missing" : "'" + arn + "'")
                    + ": expected arn:aws:personalize:<region>:<account>:data-deletion-job/<name>");
        }
        String subject = (file == null ? "" : file + " ") + "(job " + arn.substring(arn.lastIndexOf('/') + 1) + ")";
        DataDeletionJob job;
        try {
            job = AwsCall.personalize("DescribeDataDeletionJob", subject)
                    .run(() -> personalize.describeDataDeletionJob(request -> request.dataDeletionJobArn(arn)))
                    .dataDeletionJob();
        } catch (AwsCallException e) {
            if (e.kind() == ErrorKind.TRANSIENT && policy.pastDeadline(Duration.between(started, clock.instant()))) {
                throw new MonitorDeadlineExceededException("Data deletion " + subject + " could not be observed"
                        + " within the monitor deadline " + policy.deadline() + "; last error: " + e.getMessage()
                        + "; it may still finish", e);
            }
            throw e.escalate();
        }
        Observation observation = observed(job, pollsBefore + 1, started);
        Log.info("Data deletion job is " + job.status(), "jobName", job.jobName(), "datasetGroupArn",
                job.datasetGroupArn(), "key", file, "polls", observation.dataDeletionJob().polls(),
                "numDeleted", job.numDeleted());
        return observation;
    }

    /**
     * What a job described on the {@code polls}-th look means for its execution.
     *
     * @throws MonitorDeadlineExceededException when the job is not finished past the monitor deadline
     */
    Observation observed(DataDeletionJob job, long polls, Instant started) {
        Instant now = clock.instant();
        Duration elapsed = Duration.between(started, now);
        Duration age = job.creationDateTime() == null ? elapsed : Duration.between(job.creationDateTime(), now);
        String status = job.status();
        String location = job.dataSource() == null ? null : job.dataSource().dataLocation();
        if (!COMPLETED.equals(status) && !FAILED.equals(status) && policy.pastDeadline(elapsed)) {
            throw new MonitorDeadlineExceededException("Data deletion job " + job.jobName() + " of " + location
                    + " is still " + status + " after " + elapsed.toMinutes() + " minutes and " + polls
                    + " polls (monitor deadline " + policy.deadline() + "); it may still finish");
        }
        String failureReason = null;
        String cause = null;
        if (FAILED.equals(status)) {
            failureReason = job.failureReason() == null || job.failureReason().isBlank()
                    ? "Personalize reported FAILED without a failure reason" : job.failureReason();
            cause = AwsCall.oneLine("Data deletion job " + job.jobName() + " of " + location + " from "
                    + job.datasetGroupArn() + " failed: " + failureReason);
        }
        JobDescription description = new JobDescription(job.jobName(), job.dataDeletionJobArn(),
                job.datasetGroupArn(), location, status, failureReason, job.numDeleted(),
                job.creationDateTime() == null ? null : job.creationDateTime().toString(),
                job.lastUpdatedDateTime() == null ? null : job.lastUpdatedDateTime().toString(), age.toSeconds(),
                elapsed.toSeconds(), polls);
        return new Observation(description, policy.nextWait(age, elapsed).toSeconds(), cause);
    }

    /** The task's result, which the state machine keeps at {@code $.monitor}; null components are left out. */
    public record Observation(JobDescription dataDeletionJob, long nextWaitSeconds, String cause) {
    }

    /**
     * The job as Personalize describes it, with how long it and the monitor have run.
     *
     * @param numDeleted the records it removed, once it has COMPLETED
     */
    public record JobDescription(String jobName, String dataDeletionJobArn, String datasetGroupArn,
                                 String dataLocation, String status, String failureReason, Integer numDeleted,
                                 String creationDateTime, String lastUpdatedDateTime, long jobAgeSeconds,
                                 long monitorElapsedSeconds, long polls) {
    }
}
