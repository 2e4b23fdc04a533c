package io.personalizeimport.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.personalizeimport.local.stack.LocalStack;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.personalize.PersonalizeClient;
import software.amazon.awssdk.services.personalize.model.DatasetExportJobSummary;
import software.amazon.awssdk.services.personalize.model.IngestionMode;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;

/**
 * Which value of a record won: users imported through the pipeline, FULL and then INCREMENTAL, read back with a
 * Personalize dataset export job (real PersonalizeClient and S3Client) instead of a record count.
 */
class DatasetExportSystemTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(90);
    private static final String USERS = LocalStack.demoDatasetArn("USERS");

    @Test
    void incrementalFileChangingSomeUsers_shouldLeaveEachUsersNewestValuesInTheExport() {
        LocalStack stack = SharedStack.get();
        String tag = "x" + UUID.randomUUID().toString().substring(0, 8);
        try (S3Client s3 = stack.s3Client(); SfnClient sfn = stack.sfnClient();
                PersonalizeClient personalize = stack.personalizeClient()) {
            // GIVEN users 1..4 imported through the users route (FULL)
            String base = "users/" + tag + "-base.csv";
            put(s3, base, "USER_ID,MEMBERSHIP,AGE\n" + tag + "-1,gold,31\n" + tag + "-2,basic,32\n"
                    + tag + "-3,basic,\n" + tag + "-4,gold,34\n");
            assertSucceeded(sfn, run(sfn, stack, tag + "-base",
                    "{\"bucket\":\"" + LocalStack.BUCKET + "\",\"key\":\"" + base + "\"}"));

            // AND an INCREMENTAL import changing users 2 and 3 and adding user 5
            String changes = "users/" + tag + "-changes.csv";
            put(s3, changes, "USER_ID,MEMBERSHIP,AGE\n" + tag + "-2,gold,42\n" + tag + "-3,basic,43\n"
                    + tag + "-5,basic,45\n");
            assertSucceeded(sfn, run(sfn, stack, tag + "-changes", "{\"dataLocation\":\"s3://" + LocalStack.BUCKET
                    + "/" + changes + "\",\"datasetArn\":\"" + USERS + "\",\"importMode\":\"INCREMENTAL\"}"));

            // WHEN the dataset is exported
            DatasetExport.Result export = DatasetExport.export(personalize, s3, USERS, LocalStack.BUCKET,
                    IngestionMode.ALL);

            // THEN each user holds its newest values, and only these users are there (the FULL import replaced others)
            Map<String, Map<String, String>> expected = new LinkedHashMap<>();
            expected.put(tag + "-1", user(tag + "-1", "gold", "31"));
            expected.put(tag + "-2", user(tag + "-2", "gold", "42"));
            expected.put(tag + "-3", user(tag + "-3", "basic", "43"));
            expected.put(tag + "-4", user(tag + "-4", "gold", "34"));
            expected.put(tag + "-5", user(tag + "-5", "basic", "45"));
            assertEquals(expected, export.byId("USER_ID"));
            assertEquals(List.of("USER_ID", "MEMBERSHIP", "AGE"), List.copyOf(export.rows().getFirst().keySet()));

            // AND the job is listed with the dataset's export jobs
            List<DatasetExportJobSummary> listed = personalize.listDatasetExportJobsPaginator(b -> b.datasetArn(USERS))
                    .datasetExportJobs().stream().toList();
            assertTrue(listed.stream().anyMatch(j -> j.datasetExportJobArn().equals(export.job().datasetExportJobArn())
                    && j.status().equals("ACTIVE")), listed::toString);
        }
    }

    private static Map<String, String> user(String id, String membership, String age) {
        Map<String, String> user = new LinkedHashMap<>();
        user.put("USER_ID", id);
        user.put("MEMBERSHIP", membership);
        user.put("AGE", age);
        return user;
    }

    private static void put(S3Client s3, String key, String content) {
        s3.putObject(b -> b.bucket(LocalStack.BUCKET).key(key), RequestBody.fromString(content));
    }

    private static String run(SfnClient sfn, LocalStack stack, String name, String input) {
        return sfn.startExecution(b -> b.stateMachineArn(stack.stateMachineArn()).name(name).input(input))
                .executionArn();
    }

    private static void assertSucceeded(SfnClient sfn, String executionArn) {
        DescribeExecutionResponse execution = Executions.awaitEnd(sfn, executionArn, TIMEOUT);
        assertEquals(ExecutionStatus.SUCCEEDED, execution.status(), execution::toString);
    }
}
