package io.personalizeimport.lambdas.aws;

/** What an AWS error means for the pipeline; {@link AwsCall} sorts every SDK error into one of these. */
public enum ErrorKind {
    /** Throttling of any name, 5xx, client and socket timeouts, connection errors: a later attempt can succeed. */
    TRANSIENT,
    /** Personalize's ResourceInUseException on a creation: the dataset is busy with another import. */
    DATASET_BUSY,
    /** Personalize's LimitExceededException on a creation: five import jobs are pending or running. */
    JOB_LIMIT,
    /** The resource to create exists already (Personalize's ResourceAlreadyExistsException). */
    ALREADY_EXISTS,
    /** The resource named does not exist (ResourceNotFoundException, NoSuchKey, NoSuchBucket, HTTP 404). */
    NOT_FOUND,
    /** Access denied, validation and every other refusal that no retry can heal. */
    PERMANENT
}
