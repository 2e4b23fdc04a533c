package io.personalizeimport.local.personalize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.personalize.model.DatasetImportJob;
import software.amazon.awssdk.services.personalize.model.ImportMode;

/** State kept under a data directory outlives the emulator process, unfinished jobs included. */
class RestartTest {

    @TempDir
    Path root;

    @Test
    void jobInProgressAtShutdown_shouldResumeAfterRestartAndFinish() {
        // GIVEN an emulator with a data dir and a job caught in CREATE IN_PROGRESS
        Path stateDir = root.resolve("personalize");
        try (EmulatorHarness harness = new EmulatorHarness(root, stateDir, 400)) {
            String datasetArn = harness.interactionsDataset("shop");
            String jobArn = harness.startImport("shop-1", datasetArn, harness.putInteractions("a.csv", 1500),
                    ImportMode.FULL);
            awaitStatus(harness, jobArn, "CREATE IN_PROGRESS");

            // WHEN the emulator stops and starts again over the same directory
            harness.stopEmulator();
            assertTrue(Files.exists(stateDir.resolve("state.json")));
            harness.startEmulator(100);

            // THEN the job carries on to ACTIVE, with its records, and the earlier resources are still there
            DatasetImportJob done = harness.finalState(jobArn);
            assertEquals("ACTIVE", done.status(), done.failureReason());
            assertEquals(1500, harness.emulator.recordCount(datasetArn));
            assertEquals("shop", harness.personalize.describeDatasetGroup(b -> b.datasetGroupArn(
                    "arn:aws:personalize:us-east-1:000000000000:dataset-group/shop")).datasetGroup().name());
        }
    }

    @Test
    void keyedRecords_shouldSurviveARestartForIncrementalUpserts() throws Exception {
        // GIVEN users u1, u2 imported FULL, then a restart
        try (EmulatorHarness harness = new EmulatorHarness(root, root.resolve("state"), 50)) {
            String datasetArn = harness.usersDataset("members");
            harness.finalState(harness.startImport("u-1", datasetArn, harness.put("1.csv", "USER_ID\nu1\nu2\n"),
                    ImportMode.FULL));
            harness.stopEmulator();
            harness.startEmulator(50);

            // WHEN u2 and u3 are imported INCREMENTAL
            DatasetImportJob job = harness.finalState(harness.startImport("u-2", datasetArn,
                    harness.put("2.csv", "USER_ID\nu2\nu3\n"), ImportMode.INCREMENTAL));

            // THEN the upsert saw the ids stored before the restart, and the admin endpoint reports the count
            assertEquals("ACTIVE", job.status());
            assertEquals(3, harness.emulator.recordCount(datasetArn));
            try (HttpClient http = HttpClient.newHttpClient()) {
                String body = http.send(HttpRequest.newBuilder(URI.create(harness.emulator.endpoint()
                        + "/_emulator/datasets")).build(), HttpResponse.BodyHandlers.ofString()).body();
                assertTrue(body.contains("\"recordCount\":3"), body);
            }
        }
    }

    private static void awaitStatus(EmulatorHarness harness, String jobArn, String status) {
        String current = null;
        for (int i = 0; i < 500; i++) {
            current = harness.personalize.describeDatasetImportJob(b -> b.datasetImportJobArn(jobArn))
                    .datasetImportJob().status();
            if (current.equals(status)) {
                return;
            }
            EmulatorHarness.sleep(5);
        }
        throw new AssertionError("Job never reached " + status + "; last status " + current);
    }
}
