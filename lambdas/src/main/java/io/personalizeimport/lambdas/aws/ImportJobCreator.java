package io.personalizeimport.lambdas.aws;

import io.personalizeimport.lambdas.domain.ImportOutcome.Created;
import io.personalizeimport.lambdas.domain.ImportOutcome.Deferred;
import io.personalizeimport.lambdas.domain.ImportOutcome.Reason;
import io.personalizeimport.lambdas.domain.ImportOutcome;
import io.personalizeimport.lambdas.domain.ImportRequest;
import io.personalizeimport.lambdas.errors.InvalidImportRequestException;
import java.util.List;
import java.util.Objects;
import software.amazon.awssdk.services.personalize.PersonalizeClient;
import software.amazon.awssdk.services.personalize.model.CreateDatasetImportJobRequest;
import software.amazon.awssdk.services.personalize.model.DatasetImportJob;
import software.amazon.awssdk.services.personalize.model.Tag;

/** Calls CreateDatasetImportJob and turns Personalize's answer into what the pipeline does next. */
public final class ImportJobCreator {

    private final PersonalizeClient personalize;

    public ImportJobCreator(PersonalizeClient personalize) {
        this.personalize = personalize;
    }

    /**
     * Creates the job. A job name that is taken counts as this import only when the existing job reads the same data
     * into the same dataset: then an earlier attempt (a retried task, a duplicate delivery) created it.
     *
     * @param subject how messages name the import, such as {@code users/a.csv (job users-a-0123abcd)}
     * @throws AwsCallException for transient errors and refusals, classified
     * @throws InvalidImportRequestException when the name is taken by a different import
     */
    public ImportOutcome create(ImportRequest request, String subject) {
        try {
            String arn = AwsCall.personalize("CreateDatasetImportJob", subject)
                    .run(() -> personalize.createDatasetImportJob(toSdk(request))).datasetImportJobArn();
            return new Created(arn, false, null);
        } catch (AwsCallException e) {
            return switch (e.kind()) {
                case ALREADY_EXISTS -> existing(request, subject);
                case DATASET_BUSY -> new Deferred(Reason.DATASET_BUSY, e.getMessage());
                case JOB_LIMIT -> new Deferred(Reason.JOB_LIMIT, e.getMessage());
                default -> throw e;
            };
        }
    }

    private Created existing(ImportRequest request, String subject) {
        DatasetImportJob job = AwsCall.personalize("DescribeDatasetImportJob", subject)
                .run(() -> personalize.describeDatasetImportJob(describe -> describe.datasetImportJobArn(request.jobArn())))
                .datasetImportJob();
        String location = job.dataSource() == null ? null : job.dataSource().dataLocation();
        if (!Objects.equals(job.datasetArn(), request.datasetArn()) || !Objects.equals(location, request.dataLocation())) {
            throw new InvalidImportRequestException("Import job " + request.jobName() + " already exists and imports "
                    + location + " into dataset " + job.datasetArn() + ", not " + request.dataLocation() + " into "
                    + request.datasetArn() + ": choose another jobName");
        }
        return new Created(job.datasetImportJobArn(), true, job.creationDateTime());
    }

    static CreateDatasetImportJobRequest toSdk(ImportRequest request) {
        List<Tag> tags = request.tags().entrySet().stream()
                .map(tag -> Tag.builder().tagKey(tag.getKey()).tagValue(tag.getValue()).build())
                .toList();
        return CreateDatasetImportJobRequest.builder()
                .jobName(request.jobName())
                .datasetArn(request.datasetArn())
                .dataSource(source -> source.dataLocation(request.dataLocation()))
                .roleArn(request.roleArn())
                .importMode(request.importMode() == null ? null : request.importMode().name())
                .publishAttributionMetricsToS3(request.publishAttributionMetricsToS3())
                .tags(tags.isEmpty() ? null : tags)
                .build();
    }
}
