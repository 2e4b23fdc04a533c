package io.personalizeimport.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.personalizeimport.lambdas.lane.FileEntry;
import io.personalizeimport.lambdas.lane.FileStatus;
import io.personalizeimport.lambdas.ledger.Ledger;
import io.personalizeimport.local.stack.LocalStack;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.personalize.PersonalizeClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;

/**
 * A stack stopped in the middle of an import, with a file waiting in the lane and a file dropped while it was down:
 * nothing accepted is lost.
 */
class RestartEndToEndTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(90);

    private static LocalStack start(Path dataDir) {
        return LocalStack.builder()
                .root(SharedStack.repositoryRoot())
                .dataDir(dataDir)
                .timeScale(SharedStack.TIME_SCALE)
                .personalizeStepMillis(2_000)
                .build()
                .start();
    }

    @Test
    void restartInTheMiddleOfAnImport_shouldLoseNothing() throws Exception {
        Path dataDir = Files.createTempDirectory("personalize-import-restart");
        String running;
        // GIVEN an import whose job is still pending when the stack stops
        try (LocalStack stack = start(dataDir);
                S3Client s3 = stack.s3Client();
                SfnClient sfn = stack.sfnClient();
                PersonalizeClient personalize = stack.personalizeClient()) {
            s3.putObject(request -> request.bucket(LocalStack.BUCKET).key("users/before.csv"),
                    RequestBody.fromString(Csv.users(20)));
            running = LocalStackEndToEndTest.executionFor(sfn, stack.stateMachineArn(), "users/before.csv");
            String jobName = running.substring(running.lastIndexOf(':') + 1);
            while (personalize.listDatasetImportJobs(request -> request.datasetArn(stack.datasetArn("users")))
                    .datasetImportJobs().stream().noneMatch(job -> job.jobName().equals(jobName))) {
                Thread.sleep(100);
            }
            assertEquals(ExecutionStatus.RUNNING,
                    sfn.describeExecution(request -> request.executionArn(running)).status());
            // AND a file that waits in the lane behind it
            s3.putObject(request -> request.bucket(LocalStack.BUCKET).key("users/queued.csv"),
                    RequestBody.fromString(Csv.users(15)));
            Ledger ledger = new Ledger(stack.dynamoDbClient(), LocalStack.LEDGER_TABLE, Clock.systemUTC());
            while (ledger.files(stack.datasetArn("users"), FileStatus.PENDING).isEmpty()) {
                Thread.sleep(100);
            }
        }

        // AND a file copied into the bucket folder while the stack is down
        Path dropped = dataDir.resolve("s3").resolve(LocalStack.BUCKET).resolve("users/while-down.csv");
        Files.writeString(dropped, Csv.users(12));

        // WHEN the stack starts again on the same data directory
        try (LocalStack stack = start(dataDir); SfnClient sfn = stack.sfnClient()) {
            // THEN the interrupted import and the dropped file both end ACTIVE, the file that waited has its outcome too,
            // and the dataset holds the newest data
            assertEquals(ExecutionStatus.SUCCEEDED, Executions.awaitEnd(sfn, running, TIMEOUT).status());
            String later = LocalStackEndToEndTest.executionFor(sfn, stack.stateMachineArn(), "users/while-down.csv");
            assertEquals(ExecutionStatus.SUCCEEDED, Executions.awaitEnd(sfn, later, TIMEOUT).status());
            Ledger ledger = new Ledger(stack.dynamoDbClient(), LocalStack.LEDGER_TABLE, Clock.systemUTC());
            Map<String, FileEntry> files = ledger.files(stack.datasetArn("users")).stream()
                    .collect(Collectors.toMap(entry -> entry.file().key(), Function.identity()));
            assertEquals(FileStatus.IMPORTED, files.get("users/before.csv").standing().status(), files::toString);
            FileEntry queued = files.get("users/queued.csv");
            // Superseded if the dropped file was notified before the interrupted import ended, else imported before it.
            FileEntry.Standing standing = queued.standing();
            assertTrue(standing.status() == FileStatus.IMPORTED || (standing.status() == FileStatus.SUPERSEDED
                    && "users/while-down.csv".equals(standing.supersededBy())), files::toString);
            assertEquals(FileStatus.IMPORTED, files.get("users/while-down.csv").standing().status(), files::toString);
            assertEquals(12, stack.personalize().recordCount(stack.datasetArn("users")));
        }
    }
}
