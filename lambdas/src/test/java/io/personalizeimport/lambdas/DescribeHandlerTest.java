package io.personalizeimport.lambdas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.personalizeimport.lambdas.aws.DeletionJobWatch;
import io.personalizeimport.lambdas.aws.ImportJobWatch;
import io.personalizeimport.lambdas.domain.PollPolicy;
import io.personalizeimport.lambdas.errors.InvalidImportRequestException;
import io.personalizeimport.lambdas.json.Json;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.personalize.PersonalizeClient;
import software.amazon.awssdk.services.personalize.model.DataDeletionJob;
import software.amazon.awssdk.services.personalize.model.DatasetImportJob;
import software.amazon.awssdk.services.personalize.model.DescribeDataDeletionJobRequest;
import software.amazon.awssdk.services.personalize.model.DescribeDataDeletionJobResponse;
import software.amazon.awssdk.services.personalize.model.DescribeDatasetImportJobRequest;
import software.amazon.awssdk.services.personalize.model.DescribeDatasetImportJobResponse;

/** The describe task's JSON contract (docs/state-machine.md), over a Personalize client that answers one job. */
class DescribeHandlerTest {

    private static final String JOB_ARN = "arn:aws:personalize:us-east-1:123456789012:dataset-import-job/users-u-1";
    private static final String DATASET_ARN = "arn:aws:personalize:us-east-1:123456789012:dataset/shop/USERS";
    private static final String DELETION_ARN =
            "arn:aws:personalize:us-east-1:123456789012:data-deletion-job/forget-list-1";
    private static final String GROUP_ARN = "arn:aws:personalize:us-east-1:123456789012:dataset-group/shop";
    private static final Instant STARTED = Instant.parse("2026-03-01T10:00:00Z");

    private final List<String> described = new ArrayList<>();

    private DescribeHandler handler(DatasetImportJob job) {
        return handler(job, null);
    }

    private DescribeHandler handler(DatasetImportJob job, DataDeletionJob deletion) {
        PersonalizeClient personalize = new PersonalizeClient() {
            @Override
            public DescribeDataDeletionJobResponse describeDataDeletionJob(
                    Consumer<DescribeDataDeletionJobRequest.Builder> request) {
                described.add(DescribeDataDeletionJobRequest.builder().applyMutation(request).build()
                        .dataDeletionJobArn());
                return DescribeDataDeletionJobResponse.builder().dataDeletionJob(deletion).build();
            }

            @Override
            public DescribeDatasetImportJobResponse describeDatasetImportJob(
                    Consumer<DescribeDatasetImportJobRequest.Builder> request) {
                described.add(DescribeDatasetImportJobRequest.builder().applyMutation(request).build()
                        .datasetImportJobArn());
                return DescribeDatasetImportJobResponse.builder().datasetImportJob(job).build();
            }

            @Override
            public String serviceName() {
                return "personalize";
            }

            @Override
            public void close() {
            }
        };
        return new DescribeHandler(personalize, PollPolicy.defaults(),
                Clock.fixed(STARTED.plusSeconds(600), ZoneOffset.UTC));
    }

    private static DatasetImportJob.Builder job(String status) {
        return DatasetImportJob.builder().jobName("users-u-1").datasetImportJobArn(JOB_ARN).datasetArn(DATASET_ARN)
                .dataSource(source -> source.dataLocation("s3://b/users/u.csv")).importMode("FULL").status(status)
                .creationDateTime(STARTED.plusSeconds(60)).lastUpdatedDateTime(STARTED.plusSeconds(500));
    }

    private static String run(DescribeHandler handler, String input) throws Exception {
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        handler.handleRequest(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)), output, null);
        return output.toString(StandardCharsets.UTF_8);
    }

    @Test
    void jobInProgress_shouldBeDescribedWithTheNextPollAndTheWaitWithoutNullFields() throws Exception {
        // GIVEN a job in progress, watched for the third time (the state holds the second observation)
        DescribeHandler handler = handler(job("CREATE IN_PROGRESS").build());

        // WHEN the task runs on the state machine's input
        String output = run(handler, "{\"input\":{\"datasetImportJobArn\":\"" + JOB_ARN + "\","
                + "\"source\":{\"bucket\":\"b\",\"key\":\"users/u.csv\"},"
                + "\"monitor\":{\"datasetImportJob\":{\"status\":\"CREATE PENDING\",\"polls\":2},\"nextWaitSeconds\":30}},"
                + "\"executionStartTime\":\"2026-03-01T10:00:00Z\"}");

        // THEN Personalize was asked once, and the observation is the contract's JSON
        assertEquals(List.of(JOB_ARN), described);
        assertEquals("{\"datasetImportJob\":{\"jobName\":\"users-u-1\",\"datasetImportJobArn\":\"" + JOB_ARN + "\","
                + "\"datasetArn\":\"" + DATASET_ARN + "\",\"dataLocation\":\"s3://b/users/u.csv\",\"importMode\":\"FULL\","
                + "\"status\":\"CREATE IN_PROGRESS\",\"creationDateTime\":\"2026-03-01T10:01:00Z\","
                + "\"lastUpdatedDateTime\":\"2026-03-01T10:08:20Z\",\"jobAgeSeconds\":540,\"monitorElapsedSeconds\":600,"
                + "\"polls\":3},\"nextWaitSeconds\":"
                + PollPolicy.defaults().nextWait(Duration.ofSeconds(540), Duration.ofSeconds(600))
                .toSeconds() + "}", output);
    }

    @Test
    void failedJob_shouldCarryItsReasonAndTheOneLineCause() throws Exception {
        DescribeHandler handler = handler(job("CREATE FAILED").failureReason("Input CSV is missing the following"
                + " columns: [USER_ID]").build());

        String output = run(handler, "{\"input\":{\"datasetImportJobArn\":\"" + JOB_ARN + "\"},"
                + "\"executionStartTime\":\"2026-03-01T10:00:00Z\"}");

        var observation = Json.read(output, ImportJobWatch.Observation.class);
        assertEquals("Input CSV is missing the following columns: [USER_ID]",
                observation.datasetImportJob().failureReason());
        assertEquals(1, observation.datasetImportJob().polls());
        assertEquals("Import job users-u-1 of s3://b/users/u.csv into " + DATASET_ARN
                + " failed: Input CSV is missing the following columns: [USER_ID]", observation.cause());
    }

    private static DataDeletionJob.Builder deletion(String status) {
        return DataDeletionJob.builder().jobName("forget-list-1").dataDeletionJobArn(DELETION_ARN)
                .datasetGroupArn(GROUP_ARN).dataSource(source -> source.dataLocation("s3://b/forget/list.csv"))
                .status(status).creationDateTime(STARTED.plusSeconds(60)).lastUpdatedDateTime(STARTED.plusSeconds(500));
    }

    @Test
    void deletionJobInProgress_shouldBeDescribedWithTheNextPollAndTheWait() throws Exception {
        DescribeHandler handler = handler(null, deletion("IN_PROGRESS").build());

        String output = run(handler, "{\"input\":{\"dataDeletionJobArn\":\"" + DELETION_ARN + "\","
                + "\"source\":{\"bucket\":\"b\",\"key\":\"forget/list.csv\"},"
                + "\"monitor\":{\"dataDeletionJob\":{\"status\":\"PENDING\",\"polls\":4},\"nextWaitSeconds\":30}},"
                + "\"executionStartTime\":\"2026-03-01T10:00:00Z\"}");

        assertEquals(List.of(DELETION_ARN), described);
        assertEquals("{\"dataDeletionJob\":{\"jobName\":\"forget-list-1\",\"dataDeletionJobArn\":\"" + DELETION_ARN
                + "\",\"datasetGroupArn\":\"" + GROUP_ARN + "\",\"dataLocation\":\"s3://b/forget/list.csv\","
                + "\"status\":\"IN_PROGRESS\",\"creationDateTime\":\"2026-03-01T10:01:00Z\","
                + "\"lastUpdatedDateTime\":\"2026-03-01T10:08:20Z\",\"jobAgeSeconds\":540,\"monitorElapsedSeconds\":600,"
                + "\"polls\":5},\"nextWaitSeconds\":"
                + PollPolicy.defaults().nextWait(Duration.ofSeconds(540), Duration.ofSeconds(600))
                .toSeconds() + "}", output);
    }

    @Test
    void deletionJobThatEnded_shouldCarryItsCountOrItsReason() throws Exception {
        String input = "{\"input\":{\"dataDeletionJobArn\":\"" + DELETION_ARN + "\"},"
                + "\"executionStartTime\":\"2026-03-01T10:00:00Z\"}";

        var completed = Json.read(run(handler(null, deletion("COMPLETED").numDeleted(200).build()), input),
                DeletionJobWatch.Observation.class);
        var failed = Json.read(run(handler(null, deletion("FAILED").failureReason("Access denied").build()), input),
                DeletionJobWatch.Observation.class);

        assertEquals(200, completed.dataDeletionJob().numDeleted());
        assertEquals(null, completed.cause());
        assertEquals("Data deletion job forget-list-1 of s3://b/forget/list.csv from " + GROUP_ARN
                + " failed: Access denied", failed.cause());
    }

    @Test
    void deletionJobArnOfTheWrongForm_shouldBeRefusedSayingWhatIsExpected() {
        var error = assertThrows(InvalidImportRequestException.class, () -> run(handler(null, null),
                "{\"input\":{\"dataDeletionJobArn\":\"" + JOB_ARN + "\"},"
                        + "\"executionStartTime\":\"2026-03-01T10:00:00Z\"}"));

        assertEquals("dataDeletionJobArn is '" + JOB_ARN + "': expected"
                + " arn:aws:personalize:<region>:<account>:data-deletion-job/<name>", error.getMessage());
        assertEquals(List.of(), described);
    }

    @Test
    void inputOfTheWrongKind_shouldBeRefusedNamingTheField() {
        DescribeHandler handler = handler(job("ACTIVE").build());

        var error = assertThrows(InvalidImportRequestException.class, () -> run(handler,
                "{\"input\":{\"datasetImportJobArn\":\"" + JOB_ARN + "\",\"monitor\":{\"datasetImportJob\":"
                        + "{\"polls\":\"many\"}}},\"executionStartTime\":\"2026-03-01T10:00:00Z\"}"));

        assertEquals("The describe task's input cannot be read: Task field $.input.monitor.datasetImportJob.polls"
                + " is \"many\": expected a whole number", error.getMessage());
        assertEquals(List.of(), described);
    }

    @Test
    void missingStartTime_shouldBeRefusedSayingWhatToPass() {
        DescribeHandler handler = handler(job("ACTIVE").build());

        var error = assertThrows(InvalidImportRequestException.class, () -> run(handler,
                "{\"input\":{\"datasetImportJobArn\":\"" + JOB_ARN + "\"}}"));

        assertEquals("executionStartTime is missing: expected the task's Parameters to pass $$.Execution.StartTime",
                error.getMessage());
    }
}
