package io.personalizeimport.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.personalizeimport.lambdas.lane.FileStatus;
import io.personalizeimport.lambdas.ledger.Ledger;
import io.personalizeimport.local.stack.LocalStack;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;

/**
 * The monitor deadline on a stack of its own: emulated jobs take four seconds per status, the describe function gives
 * up after three seconds, so the execution ends in DatasetImportMonitorTimedOut while the job is still running, and a
 * new execution watches the job on to its real end.
 */
class MonitorDeadlineSystemTest {

    private static LocalStack stack;

    @BeforeAll
    static void startStack() {
        stack = SharedStack.start(LocalStack.builder()
                .personalizeStepMillis(Duration.ofSeconds(4).toMillis())
                .pollSeconds(1, 2)
                .monitorDeadline(Duration.ofSeconds(3)));
    }

    @AfterAll
    static void stopStack() {
        stack.close();
    }

    @Test
    void jobStillRunningAtTheDeadline_shouldTimeOutTheExecutionAndLeaveTheFileToTheJobsRealEnd() throws Exception {
        try (S3Client s3 = stack.s3Client(); SfnClient sfn = stack.sfnClient()) {
            s3.putObject(request -> request.bucket(LocalStack.BUCKET).key("users/slow.csv"),
                    RequestBody.fromString(Csv.users(3)));

            String arn = sfn.startExecution(request -> request.stateMachineArn(stack.stateMachineArn())
                    .name("deadline").input("{\"bucket\":\"" + LocalStack.BUCKET + "\",\"key\":\"users/slow.csv\"}"))
                    .executionArn();
            DescribeExecutionResponse execution = Executions.awaitEnd(sfn, arn, Duration.ofSeconds(60));

            // The execution's own verdict: its watch gave up, and another watches the job on
            assertEquals(ExecutionStatus.FAILED, execution.status());
            assertEquals("DatasetImportMonitorTimedOut", execution.error());
            assertTrue(execution.cause().contains("monitor deadline PT3S"), execution.cause());
            assertTrue(execution.cause().contains("is still CREATE PENDING"), execution.cause());
            assertTrue(execution.cause().contains("watches it on and records its outcome"), execution.cause());

            // The file's verdict is the job's: it ends ACTIVE under a later watch, and the lane is free again
            Ledger ledger = new Ledger(stack.dynamoDbClient(), LocalStack.LEDGER_TABLE, Clock.systemUTC());
            String dataset = stack.datasetArn("users");
            Instant until = Instant.now().plus(Duration.ofSeconds(90));
            while (ledger.lane(dataset).isBusy() && Instant.now().isBefore(until)) {
                Thread.sleep(250);
            }
            List<FileStatus> statuses = ledger.files(dataset).stream()
                    .filter(file -> file.file().key().equals("users/slow.csv"))
                    .map(file -> file.standing().status()).toList();
            assertEquals(List.of(FileStatus.IMPORTED), statuses);
            assertEquals(3, stack.personalize().recordCount(dataset));
        }
    }
}
