package io.personalizeimport.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.personalizeimport.local.stack.LocalStack;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.personalize.PersonalizeClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionListItem;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.HistoryEventType;

/**
 * The local stack as a user meets it: objects put with a real S3 client or copied into the bucket folder, S3
 * notifications delivered to the trigger, the Personalize emulator, and executions followed through the Step
 * Functions API. Nothing here calls a handler directly.
 */
class LocalStackEndToEndTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(90);

    private static LocalStack stack;
    private static S3Client s3;
    private static SfnClient sfn;
    private static PersonalizeClient personalize;

    @BeforeAll
    static void startStack() throws IOException {
        stack = LocalStack.builder()
                .root(SharedStack.repositoryRoot())
                .dataDir(Files.createTempDirectory("personalize-import-e2e"))
                .timeScale(SharedStack.TIME_SCALE)
                .personalizeStepMillis(1_500)
                .build()
                .start();
        s3 = stack.s3Client();
        sfn = stack.sfnClient();
        personalize = stack.personalizeClient();
    }

    @AfterAll
    static void stopStack() {
        s3.close();
        sfn.close();
        personalize.close();
        stack.close();
    }

    private static String unique(String stem) {
        return stem + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static void put(String key, String content) {
        s3.putObject(request -> request.bucket(LocalStack.BUCKET).key(key), RequestBody.fromString(content));
    }

    /** The execution the notification started for {@code key}, found by the source the trigger wrote into it. */
    static String executionFor(SfnClient sfn, String stateMachineArn, String key) {
        Instant until = Instant.now().plus(TIMEOUT);
        while (Instant.now().isBefore(until)) {
            for (ExecutionListItem item : sfn.listExecutionsPaginator(request -> request
                    .stateMachineArn(stateMachineArn)).executions()) {
                Optional<String> found = sourceKey(sfn, item.executionArn()).filter(key::equals)
                        .map(k -> item.executionArn());
                if (found.isPresent()) {
                    return found.get();
                }
            }
            sleep(200);
        }
        throw new AssertionError("no execution started for " + key);
    }

    private static Optional<String> sourceKey(SfnClient sfn, String executionArn) {
        try {
            JsonNode input = MAPPER.readTree(sfn.describeExecution(request -> request.executionArn(executionArn)).input());
            return Optional.ofNullable(input.path("source").path("key").asText(null));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    @Test
    void objectPutWithAnS3Client_shouldBecomeAnActiveImport() throws Exception {
        String key = "users/" + unique("members") + ".csv";

        put(key, Csv.users(30));
        DescribeExecutionResponse execution =
                Executions.awaitEnd(sfn, executionFor(sfn, stack.stateMachineArn(), key), TIMEOUT);

        assertEquals(ExecutionStatus.SUCCEEDED, execution.status(), execution::toString);
        JsonNode job = MAPPER.readTree(execution.output()).path("datasetImportJob");
        assertEquals("ACTIVE", job.path("status").asText());
        assertEquals("s3://" + LocalStack.BUCKET + "/" + key, job.path("dataLocation").asText());
    }

    @Test
    void fileCopiedIntoTheBucketFolder_shouldCountAsAnUpload() throws Exception {
        String key = "items/" + unique("copied catalog") + ".csv";
        Path target = stack.bucketFolder().resolve(key);
        Files.createDirectories(target.getParent());

        Files.writeString(target, Csv.items(25));
        DescribeExecutionResponse execution =
                Executions.awaitEnd(sfn, executionFor(sfn, stack.stateMachineArn(), key), TIMEOUT);

        assertEquals(ExecutionStatus.SUCCEEDED, execution.status(), execution::toString);
    }

    @Test
    void brokenFile_shouldFailWithTheEmulatorsReason() {
        String key = "items/" + unique("bad-price") + ".csv";

        put(key, Csv.withBadRowPastPreflight(Csv::items, "late-item,books,cheap," + Csv.T0));
        DescribeExecutionResponse execution =
                Executions.awaitEnd(sfn, executionFor(sfn, stack.stateMachineArn(), key), TIMEOUT);

        assertEquals(ExecutionStatus.FAILED, execution.status());
        assertEquals("DatasetImportJobFailed", execution.error());
        assertTrue(execution.cause().contains("column PRICE: value 'cheap' is not a valid float"), execution.cause());
    }

    @Test
    void headerMissingAColumn_shouldBeRejectedBeforeAnyJob() {
        String key = "users/" + unique("no-membership") + ".csv";

        put(key, "USER_ID,AGE\nu1,30\n");
        DescribeExecutionResponse execution =
                Executions.awaitEnd(sfn, executionFor(sfn, stack.stateMachineArn(), key), TIMEOUT);

        assertEquals("DatasetImportRejected", execution.error());
        assertTrue(execution.cause().contains("missing the following columns: [MEMBERSHIP]"), execution.cause());
    }

    @Test
    void consoleExecutionForAnExistingJob_shouldWatchItToTheEnd() throws Exception {
        String key = "users/" + unique("watched") + ".csv";
        put(key, Csv.users(5));
        String first = executionFor(sfn, stack.stateMachineArn(), key);
        String jobArn = MAPPER.readTree(sfn.describeExecution(request -> request.executionArn(first)).input())
                .path("datasetImportJobArn").asText();

        String watcher = sfn.startExecution(request -> request.stateMachineArn(stack.stateMachineArn())
                .name(unique("watch")).input("{\"datasetImportJobArn\":\"" + jobArn + "\"}")).executionArn();
        DescribeExecutionResponse execution = Executions.awaitEnd(sfn, watcher, TIMEOUT);

        assertEquals(ExecutionStatus.SUCCEEDED, execution.status(), execution::toString);
        assertEquals(jobArn, MAPPER.readTree(execution.output()).path("datasetImportJob").path("datasetImportJobArn").asText());
    }

    private static JsonNode output(String executionArn) {
        try {
            return MAPPER.readTree(sfn.describeExecution(request -> request.executionArn(executionArn)).output());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void fullImportWhileAnotherRunsOnTheSameDataset_shouldWaitItsTurnThenComplete() {
        // GIVEN two interactions files uploaded back to back: the second meets a busy dataset
        String first = "interactions/" + unique("day-1") + ".csv";
        String second = "interactions/" + unique("day-2") + ".csv";
        // (the second is written once the first was notified: two writes in one scan of the bucket folder share an
        // event time, and which of them is newer would be the notifier's choice)
        put(first, Csv.interactions(1000));
        String firstExecution = executionFor(sfn, stack.stateMachineArn(), first);
        put(second, Csv.interactions(1100));

        // WHEN both are followed to their end
        List<String> executions = List.of(firstExecution, executionFor(sfn, stack.stateMachineArn(), second));
        for (String execution : executions) {
            assertEquals(ExecutionStatus.SUCCEEDED, Executions.awaitEnd(sfn, execution, TIMEOUT).status());
        }

        // THEN they ran one after the other on the dataset's lane: the first started the second as it released the lane
        List<String> nexts = new ArrayList<>();
        for (String execution : executions) {
            nexts.add(output(execution).path("next").asText(""));
        }
        List<String> names = executions.stream().map(arn -> arn.substring(arn.lastIndexOf(':') + 1)).toList();
        assertTrue(nexts.get(0).equals(names.get(1)) || nexts.get(1).equals(names.get(0)), nexts + " / " + names);
    }

    @Test
    void sameContentWrittenAgain_shouldBeImportedAgain() throws Exception {
        // GIVEN an imported file
        String key = "users/" + unique("twice") + ".csv";
        put(key, Csv.users(8));
        String execution = executionFor(sfn, stack.stateMachineArn(), key);
        Executions.awaitEnd(sfn, execution, TIMEOUT);
        long delivered = stack.notifications().stats().delivered();

        // WHEN its file is written again with the same content (same eTag), so S3 notifies a new write
        Path file = stack.bucketFolder().resolve(key);
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(5)));
        Instant until = Instant.now().plus(TIMEOUT);
        while (stack.notifications().stats().delivered() == delivered && Instant.now().isBefore(until)) {
            sleep(100);
        }

        // THEN the new write is a new import, with a job and an execution of its own (a retry of a failed file works so);
        // the first write's job stays the only one of its name
        assertTrue(stack.notifications().stats().delivered() > delivered, "the second notification was not delivered");
        assertEquals(0, stack.notifications().stats().deadLettered());
        String jobName = execution.substring(execution.lastIndexOf(':') + 1);
        long jobs = personalize.listDatasetImportJobsPaginator(request -> request.datasetArn(stack.datasetArn("users")))
                .datasetImportJobs().stream().filter(job -> job.jobName().equals(jobName)).count();
        long runs = sfn.listExecutionsPaginator(request -> request.stateMachineArn(stack.stateMachineArn()))
                .executions().stream().filter(item -> sourceKey(sfn, item.executionArn()).filter(key::equals).isPresent())
                .count();
        assertEquals(1, jobs);
        Instant deadline = Instant.now().plus(TIMEOUT);
        while (runs < 2 && Instant.now().isBefore(deadline)) {
            sleep(100);
            runs = sfn.listExecutionsPaginator(request -> request.stateMachineArn(stack.stateMachineArn()))
                    .executions().stream()
                    .filter(item -> sourceKey(sfn, item.executionArn()).filter(key::equals).isPresent()).count();
        }
        assertEquals(2, runs);
    }
}
