package io.personalizeimport.lambdas.aws;

import java.util.Set;
import java.util.function.Supplier;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.exception.SdkServiceException;

/**
 * One AWS request, named for the people who read its errors: the service, the operation and what it was about (a
 * file, a job). {@link #run} is the one place where SDK errors are classified; nothing AWS-shaped passes it
 * unclassified.
 *
 * @param subject what the call was for, as a reader knows it: {@code users/a.csv (job users-a-0123abcd)}
 */
public record AwsCall(String service, String operation, String subject) {

    /**
     * Error codes that mean "slow down" without {@link AwsServiceException#isThrottlingException} knowing them, and
     * 4xx codes that AWS services use for timeouts of a single request (S3 answers RequestTimeout with HTTP 400).
     */
    private static final Set<String> TRANSIENT_CODES = Set.of("Throttling", "ThrottlingException", "ThrottledException",
            "TooManyRequestsException", "RequestLimitExceeded", "RequestThrottled", "RequestThrottledException",
            "SlowDown", "ProvisionedThroughputExceededException", "TransactionInProgressException", "TransactionConflictException",
            "RequestTimeout", "RequestTimeoutException", "PriorRequestNotComplete", "InternalError", "InternalFailure",
            "ServiceUnavailable", "ServiceUnavailableException", "EC2ThrottledException", "IDPCommunicationError");
    private static final Set<String> NOT_FOUND_CODES = Set.of("ResourceNotFoundException", "NoSuchKey", "NoSuchBucket",
            "NotFound", "ExecutionDoesNotExist");

    public static AwsCall personalize(String operation, String subject) {
        return new AwsCall("Personalize", operation, subject);
    }

    public static AwsCall s3(String operation, String subject) {
        return new AwsCall("S3", operation, subject);
    }

    public static AwsCall dynamoDb(String operation, String subject) {
        return new AwsCall("DynamoDB", operation, subject);
    }

    public static AwsCall eventBridge(String operation, String subject) {
        return new AwsCall("EventBridge", operation, subject);
    }

    public static AwsCall stepFunctions(String operation, String subject) {
        return new AwsCall("Step Functions", operation, subject);
    }

    /** Runs the request; an SDK error comes back as an {@link AwsCallException} of the kind {@link #classify} says. */
    public <T> T run(Supplier<T> request) {
        try {
            return request.get();
        } catch (SdkException e) {
            throw new AwsCallException(this, classify(e), code(e), message(e), e);
        }
    }

    /**
     * The kind of an SDK error (Amazon Personalize Developer Guide, 'Common error messages in Amazon Personalize', and
     * the Errors of each operation in the Amazon Personalize API Reference): LimitExceededException is the 5-job limit
     * only on a Create operation; on any other it is a request-rate limit, so transient.
     */
    public ErrorKind classify(SdkException e) {
        if (e instanceof SdkClientException) {
            // Timeouts (ApiCallTimeoutException, ApiCallAttemptTimeoutException), refused or reset connections, DNS.
            return ErrorKind.TRANSIENT;
        }
        String code = code(e);
        int status = e instanceof SdkServiceException service ? service.statusCode() : 0;
        boolean throttling = e instanceof AwsServiceException aws && aws.isThrottlingException();
        // 501 NotImplemented is a server that will never do it, not one that failed this time.
        if (throttling || (status >= 500 && status != 501) || status == 429 || TRANSIENT_CODES.contains(code)) {
            return ErrorKind.TRANSIENT;
        }
        boolean creates = operation.startsWith("Create");
        return switch (code) {
            case "LimitExceededException" -> creates ? ErrorKind.JOB_LIMIT : ErrorKind.TRANSIENT;
            case "ResourceInUseException" -> creates ? ErrorKind.DATASET_BUSY : ErrorKind.PERMANENT;
            case "ResourceAlreadyExistsException" -> ErrorKind.ALREADY_EXISTS;
            default -> NOT_FOUND_CODES.contains(code) || status == 404 ? ErrorKind.NOT_FOUND : ErrorKind.PERMANENT;
        };
    }

    /** The service's error code, or the client exception's simple class name when no answer came. */
    static String code(SdkException e) {
        if (e instanceof AwsServiceException aws && aws.awsErrorDetails() != null
                && aws.awsErrorDetails().errorCode() != null && !aws.awsErrorDetails().errorCode().isBlank()) {
            return aws.awsErrorDetails().errorCode();
        }
        return e.getClass().getSimpleName();
    }

    /** The service's own message on one line, without the SDK's request-id decorations. */
    static String message(SdkException e) {
        String text = e instanceof AwsServiceException aws && aws.awsErrorDetails() != null
                && aws.awsErrorDetails().errorMessage() != null
                ? aws.awsErrorDetails().errorMessage() : e.getMessage();
        return oneLine(text == null ? "(no message)" : text);
    }

    /** Collapses line breaks and runs of blanks, so a message fits an execution's one-line Cause. */
    public static String oneLine(String text) {
        return text.replaceAll("\\s+", " ").strip();
    }

    @Override
    public String toString() {
        return service + " " + operation + " for " + subject;
    }
}
