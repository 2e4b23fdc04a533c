package io.personalizeimport.lambdas.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.personalizeimport.lambdas.errors.DatasetBusyException;
import io.personalizeimport.lambdas.errors.ImportJobLimitExceededException;
import io.personalizeimport.lambdas.errors.ServiceRefusedException;
import io.personalizeimport.lambdas.errors.TransientServiceException;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.personalize.model.LimitExceededException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** The one classification of AWS errors, on the SDK's own exception types (no server needed). */
class AwsCallTest {

    private static AwsServiceException service(String code, int status, String message) {
        return AwsServiceException.builder().statusCode(status).message(message)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage(message).build()).build();
    }

    private static SdkException s3(String code, int status) {
        return S3Exception.builder().statusCode(status)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage(code + " from S3").build())
                .build();
    }

    static Stream<Arguments> errors() {
        return Stream.of(
                Arguments.of("DescribeDatasetImportJob", service("ThrottlingException", 400, "Rate exceeded"),
                        ErrorKind.TRANSIENT),
                Arguments.of("DescribeDataset", service("TooManyRequestsException", 429, "slow down"), ErrorKind.TRANSIENT),
                Arguments.of("DescribeDatasetImportJob", LimitExceededException.builder().statusCode(400)
                        .awsErrorDetails(AwsErrorDetails.builder().errorCode("LimitExceededException")
                                .errorMessage("Rate exceeded").build()).build(), ErrorKind.TRANSIENT),
                Arguments.of("CreateDatasetImportJob", service("LimitExceededException", 400,
                        "More than 5 resources with PENDING or IN_PROGRESS status."), ErrorKind.JOB_LIMIT),
                Arguments.of("CreateDatasetImportJob", service("ResourceInUseException", 400, "busy"),
                        ErrorKind.DATASET_BUSY),
                Arguments.of("CreateDatasetImportJob", service("ResourceAlreadyExistsException", 400, "taken"),
                        ErrorKind.ALREADY_EXISTS),
                Arguments.of("CreateDatasetImportJob", service("InternalFailure", 500, "oops"), ErrorKind.TRANSIENT),
                Arguments.of("CopyObject", s3("NotImplemented", 501), ErrorKind.PERMANENT),
                Arguments.of("PutItem", service("TransactionConflictException", 400, "conflict"), ErrorKind.TRANSIENT),
                Arguments.of("PutItem", service("ConditionalCheckFailedException", 400, "taken"), ErrorKind.PERMANENT),
                Arguments.of("CreateDatasetImportJob", service("ServiceUnavailableException", 503, "down"),
                        ErrorKind.TRANSIENT),
                Arguments.of("CreateDatasetImportJob", service("AccessDeniedException", 400, "not authorized"),
                        ErrorKind.PERMANENT),
                Arguments.of("CreateDatasetImportJob", service("InvalidInputException", 400, "bad"), ErrorKind.PERMANENT),
                Arguments.of("DescribeDatasetImportJob", service("ResourceNotFoundException", 400, "gone"),
                        ErrorKind.NOT_FOUND),
                Arguments.of("GetObject", s3("SlowDown", 503), ErrorKind.TRANSIENT),
                Arguments.of("GetObject", s3("RequestTimeout", 400), ErrorKind.TRANSIENT),
                Arguments.of("GetObject", s3("InternalError", 500), ErrorKind.TRANSIENT),
                Arguments.of("GetObject", s3("NoSuchKey", 404), ErrorKind.NOT_FOUND),
                Arguments.of("HeadObject", S3Exception.builder().statusCode(404).build(), ErrorKind.NOT_FOUND),
                Arguments.of("GetObject", s3("AccessDenied", 403), ErrorKind.PERMANENT),
                Arguments.of("DescribeDatasetImportJob", ApiCallTimeoutException.create(10_000), ErrorKind.TRANSIENT),
                Arguments.of("DescribeDatasetImportJob", ApiCallAttemptTimeoutException.create(4_000), ErrorKind.TRANSIENT),
                Arguments.of("StartExecution", SdkClientException.create("Unable to execute HTTP request: Connection refused"),
                        ErrorKind.TRANSIENT));
    }

    @ParameterizedTest(name = "{0}: {1} is {2}")
    @MethodSource("errors")
    void sdkError_shouldBeClassified(String operation, SdkException error, ErrorKind expected) {
        AwsCall call = AwsCall.personalize(operation, "users/a.csv (job users-a-1)");

        AwsCallException classified = assertThrows(AwsCallException.class, () -> call.run(() -> {
            throw error;
        }));

        assertEquals(expected, classified.kind());
        assertSame(error, classified.getCause());
    }

    @Test
    void refusal_shouldReadAsOneLineNamingServiceOperationSubjectCodeAndMessage() {
        AwsCall call = AwsCall.personalize("CreateDatasetImportJob", "users/a.csv (job users-a-1)");

        AwsCallException refused = assertThrows(AwsCallException.class, () -> call.run(() -> {
            throw service("AccessDeniedException", 400, "User is not authorized\n  to perform: CreateDatasetImportJob");
        }));

        assertEquals("Personalize refused CreateDatasetImportJob for users/a.csv (job users-a-1): "
                + "AccessDeniedException: User is not authorized to perform: CreateDatasetImportJob", refused.getMessage());
        assertInstanceOf(ServiceRefusedException.class, refused.escalate());
        assertEquals(refused.getMessage(), refused.escalate().getMessage());
    }

    @Test
    void clientError_shouldBeNamedByItsClassWhenNoServiceAnswered() {
        AwsCall call = AwsCall.s3("GetObject", "s3://b/users/a.csv");

        AwsCallException failed = assertThrows(AwsCallException.class, () -> call.run(() -> {
            throw ApiCallTimeoutException.create(12_000);
        }));

        assertEquals("ApiCallTimeoutException", failed.code());
        assertEquals("S3 failed GetObject for s3://b/users/a.csv: ApiCallTimeoutException: " + failed.serviceMessage(),
                failed.getMessage());
    }

    @Test
    void escalate_shouldGiveTheNamedErrorOfEachKind() {
        AwsCall create = AwsCall.personalize("CreateDatasetImportJob", "x");

        assertInstanceOf(TransientServiceException.class, kindOf(create, service("ThrottlingException", 400, "t")));
        assertInstanceOf(DatasetBusyException.class, kindOf(create, service("ResourceInUseException", 400, "b")));
        assertInstanceOf(ImportJobLimitExceededException.class,
                kindOf(create, service("LimitExceededException", 400, "l")));
        assertInstanceOf(ServiceRefusedException.class, kindOf(create, service("ValidationException", 400, "v")));
    }

    private static RuntimeException kindOf(AwsCall call, SdkException error) {
        return assertThrows(AwsCallException.class, () -> call.run(() -> {
            throw error;
        })).escalate();
    }
}
