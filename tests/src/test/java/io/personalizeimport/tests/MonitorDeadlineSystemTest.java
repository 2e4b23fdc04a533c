package io.personalizeimport.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.personalizeimport.local.stack.LocalStack;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;

/**
 * The monitor deadline on a stack of its own: emulated jobs take ten minutes per status, the describe function gives
 * up after three seconds, so the execution ends in DatasetImportMonitorTimedOut while the job is still running.
 */
class MonitorDeadlineSystemTest {

    private static LocalStack stack;

    @BeforeAll
    static void startStack() {
        stack = SharedStack.start(LocalStack.builder()
                .personalizeStepMillis(Duration.ofMinutes(10).toMillis())
                .pollSeconds(1, 2)
                .monitorDeadline(Duration.ofSeconds(3)));
    }

    @AfterAll
    static void stopStack() {
        stack.close();
    }

    @Test
    void jobStillRunningAtTheDeadline_shouldEndTheExecutionAsTimedOut() {
        try (S3Client s3 = stack.s3Client(); SfnClient sfn = stack.sfnClient()) {
            s3.putObject(request -> request.bucket(LocalStack.BUCKET).key("users/slow.csv"),
                    RequestBody.fromString(Csv.users(3)));

            String arn = sfn.startExecution(request -> request.stateMachineArn(stack.stateMachineArn())
                    .name("deadline").input("{\"bucket\":\"" + LocalStack.BUCKET + "\",\"key\":\"users/slow.csv\"}"))
                    .executionArn();
            DescribeExecutionResponse execution = Executions.awaitEnd(sfn, arn, Duration.ofSeconds(60));

            assertEquals(ExecutionStatus.FAILED, execution.status());
            assertEquals("DatasetImportMonitorTimedOut", execution.error());
            assertTrue(execution.cause().contains("monitor deadline PT3S"), execution.cause());
            assertTrue(execution.cause().contains("is still CREATE PENDING"), execution.cause());
        }
    }
}
