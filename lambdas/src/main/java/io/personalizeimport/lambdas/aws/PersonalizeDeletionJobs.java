package io.personalizeimport.lambdas.aws;

import io.personalizeimport.lambdas.Log;
import io.personalizeimport.lambdas.domain.DeletionRequest;
import io.personalizeimport.lambdas.errors.InvalidImportRequestException;
import io.personalizeimport.lambdas.lane.DeletionJobs;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.services.personalize.PersonalizeClient;
import software.amazon.awssdk.services.personalize.model.DataDeletionJob;
import software.amazon.awssdk.services.personalize.model.Tag;

/** Personalize's data deletion jobs, through the SDK client of the function. */
public final class PersonalizeDeletionJobs implements DeletionJobs {

    private final PersonalizeClient personalize;

    public PersonalizeDeletionJobs(PersonalizeClient personalize) {
        this.personalize = personalize;
    }

    @Override
    public Optional<String> checkGroup(String datasetGroupArn) {
        try {
            AwsCall.personalize("DescribeDatasetGroup", "dataset group " + datasetGroupArn)
                    .run(() -> personalize.describeDatasetGroup(request -> request.datasetGroupArn(datasetGroupArn)));
            return Optional.empty();
        } catch (AwsCallException e) {
            if (e.kind() == ErrorKind.NOT_FOUND) {
                return Optional.of("Dataset group " + datasetGroupArn + " does not exist: expected the group the"
                        + " deletion route names to exist in this account and region");
            }
            Log.info("Dataset group not checked; the job's creation checks it: " + e.getMessage(), "datasetGroupArn",
                    datasetGroupArn);
            return Optional.empty();
        }
    }

    /**
     * Creates the job. A name that is taken counts as this deletion only when the existing job reads the same list for
     * the same group: then an earlier attempt (a retried task, a resumed execution) created it.
     */
    @Override
    public Started start(DeletionRequest request) {
        String subject = request.dataLocation() + " (job " + request.jobName() + ")";
        List<Tag> tags = request.tags().entrySet().stream()
                .map(tag -> Tag.builder().tagKey(tag.getKey()).tagValue(tag.getValue()).build()).toList();
        try {
            String arn = AwsCall.personalize("CreateDataDeletionJob", subject)
                    .run(() -> personalize.createDataDeletionJob(create -> create.jobName(request.jobName())
                            .datasetGroupArn(request.datasetGroupArn())
                            .dataSource(source -> source.dataLocation(request.dataLocation()))
                            .roleArn(request.roleArn()).tags(tags.isEmpty() ? null : tags)))
                    .dataDeletionJobArn();
            Log.info("Data deletion job created", "jobName", request.jobName(), "datasetGroupArn",
                    request.datasetGroupArn(), "dataLocation", request.dataLocation());
            return new Started(arn, null);
        } catch (AwsCallException e) {
            if (e.kind() != ErrorKind.ALREADY_EXISTS) {
                throw e;
            }
        }
        DataDeletionJob job = AwsCall.personalize("DescribeDataDeletionJob", subject)
                .run(() -> personalize.describeDataDeletionJob(describe -> describe.dataDeletionJobArn(request.jobArn())))
                .dataDeletionJob();
        String location = job.dataSource() == null ? null : job.dataSource().dataLocation();
        if (!Objects.equals(job.datasetGroupArn(), request.datasetGroupArn())
                || !Objects.equals(location, request.dataLocation())) {
            throw new InvalidImportRequestException("Data deletion job " + request.jobName() + " already exists and"
                    + " deletes the users of " + location + " from " + job.datasetGroupArn() + ", not of "
                    + request.dataLocation() + " from " + request.datasetGroupArn() + ": expected a job name of its own");
        }
        Log.info("Data deletion job already exists (an earlier attempt created it)", "jobName", request.jobName(),
                "datasetGroupArn", request.datasetGroupArn(), "createdAt", job.creationDateTime());
        return new Started(job.dataDeletionJobArn(), job.creationDateTime());
    }
}
