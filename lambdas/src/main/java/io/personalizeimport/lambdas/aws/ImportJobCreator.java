package io.personalizeimport.lambdas.aws;

import io.personalizeimport.lambdas.domain.ImportRequest;
import io.personalizeimport.lambdas.errors.InvalidImportRequestException;
import io.personalizeimport.lambdas.errors.PersonalizeUnavailableException;
import java.util.List;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.personalize.PersonalizeClient;
import software.amazon.awssdk.services.personalize.model.CreateDatasetImportJobRequest;
import software.amazon.awssdk.services.personalize.model.InvalidInputException;
import software.amazon.awssdk.services.personalize.model.LimitExceededException;
import software.amazon.awssdk.services.personalize.model.ResourceAlreadyExistsException;
import software.amazon.awssdk.services.personalize.model.ResourceInUseException;
import software.amazon.awssdk.services.personalize.model.ResourceNotFoundException;
import software.amazon.awssdk.services.personalize.model.Tag;
import software.amazon.awssdk.services.personalize.model.TooManyTagsException;

/** Calls CreateDatasetImportJob and turns Personalize's answer into what the pipeline does next. */
public final class ImportJobCreator {

    private final PersonalizeClient personalize;

    public ImportJobCreator(PersonalizeClient personalize) {
        this.personalize = personalize;
    }

    /** What became of a creation attempt. */
    public sealed interface Outcome {
    }

    /** The job exists: just created, or by an earlier delivery of the same object. */
    public record Created(String datasetImportJobArn, boolean alreadyExisted) implements Outcome {
    }

    /** Personalize cannot take the job now; the state machine creates it later. */
    public record Deferred(Reason reason, String message) implements Outcome {
    }

    /** Why creation was deferred (FACTS.md: ResourceInUseException, LimitExceededException). */
    public enum Reason {
        DATASET_BUSY, JOB_LIMIT
    }

    public Outcome create(ImportRequest request) {
        try {
            String arn = personalize.createDatasetImportJob(toSdk(request)).datasetImportJobArn();
            return new Created(arn, false);
        } catch (ResourceAlreadyExistsException e) {
            // Job names are derived from the object, so the job that exists is this one.
            return new Created(request.jobArn(), true);
        } catch (ResourceInUseException e) {
            return new Deferred(Reason.DATASET_BUSY, message(e));
        } catch (LimitExceededException e) {
            return new Deferred(Reason.JOB_LIMIT, message(e));
        } catch (InvalidInputException | ResourceNotFoundException | TooManyTagsException e) {
            throw new InvalidImportRequestException("Personalize refused import job " + request.jobName() + " of "
                    + request.dataLocation() + " into " + request.datasetArn() + ": " + message(e), e);
        } catch (SdkClientException e) {
            throw new PersonalizeUnavailableException("Personalize could not be reached: " + e.getMessage(), e);
        } catch (AwsServiceException e) {
            if (e.statusCode() >= 500 || e.isThrottlingException()) {
                throw new PersonalizeUnavailableException("Personalize is unavailable: " + message(e), e);
            }
            throw e;
        }
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

    private static String message(AwsServiceException e) {
        return e.awsErrorDetails() != null && e.awsErrorDetails().errorMessage() != null
                ? e.awsErrorDetails().errorMessage()
                : e.getMessage();
    }
}
