package io.personalizeimport.local.personalize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.personalizeimport.local.testing.SdkClients;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.personalize.model.DatasetImportJob;
import software.amazon.awssdk.services.personalize.model.ImportMode;

/** An import job as long as a real one: briefly CREATE PENDING, then CREATE IN_PROGRESS as long as set, on a timeline. */
class ImportJobTimingTest {

    private static final long PENDING_MILLIS = 1_000;
    private static final long IN_PROGRESS_MILLIS = 1_500;

    @TempDir
    Path root;
    private EmulatorHarness harness;
    private PersonalizeEmulator emulator;

    @AfterEach
    void stop() {
        if (emulator != null) {
            emulator.close();
        }
        harness.close();
    }

    @Test
    void jobOfSetDuration_shouldRunThatLongAndShowOnTheTimelineWithItsEnd() throws Exception {
        // GIVEN a dataset and its data, and an emulator over the same state whose jobs run 1.5 s after 1 s pending
        harness = new EmulatorHarness(root, root.resolve("state"), PENDING_MILLIS);
        String dataset = harness.interactionsDataset("shop");
        String data = harness.putInteractions("clicks.csv", 1_000);
        harness.stopEmulator();
        emulator = PersonalizeEmulator.builder().dataDir(root.resolve("state")).stepMillis(PENDING_MILLIS)
                .inProgressMillis(IN_PROGRESS_MILLIS)
                .s3(new S3Settings(harness.s3.endpoint(), "us-east-1", harness.s3.accessKey(), harness.s3.secretKey()))
                .build().start();
        harness.emulator = emulator;
        harness.personalize = SdkClients.personalize(emulator.endpoint(), Region.US_EAST_1);

        // WHEN a job is created
        String job = harness.startImport("clicks-1", dataset, data, ImportMode.FULL);

        // THEN while it runs the timeline has it without an end
        JsonNode running = timeline().path(0);
        assertEquals("clicks-1", running.path("jobName").asText());
        assertEquals(dataset, running.path("datasetArn").asText());
        assertFalse(running.has("endedMillis"), running.toString());

        // AND it goes through every status, in progress for the time set
        List<DatasetImportJob> seen = harness.awaitFinished(job);
        assertEquals(List.of("CREATE PENDING", "CREATE IN_PROGRESS", "ACTIVE"),
                seen.stream().map(DatasetImportJob::status).toList());
        DatasetImportJob inProgress = seen.get(1);
        DatasetImportJob active = seen.get(2);
        long ran = active.lastUpdatedDateTime().toEpochMilli() - inProgress.lastUpdatedDateTime().toEpochMilli();
        assertTrue(ran >= IN_PROGRESS_MILLIS && ran < IN_PROGRESS_MILLIS + 1_000, "in progress for " + ran + " ms");

        // AND the timeline has its creation and end, as GET /_emulator/import-jobs and in Java
        JsonNode ended = timeline().path(0);
        assertEquals("ACTIVE", ended.path("status").asText());
        assertEquals(active.creationDateTime().toEpochMilli(), ended.path("createdMillis").asLong());
        assertEquals(active.lastUpdatedDateTime().toEpochMilli(), ended.path("endedMillis").asLong());
        long span = ended.path("endedMillis").asLong() - ended.path("createdMillis").asLong();
        assertTrue(span >= PENDING_MILLIS + IN_PROGRESS_MILLIS, "span " + span + " ms");
        assertEquals(List.of(new ImportJobSpan("clicks-1", dataset, "ACTIVE", ended.path("createdMillis").asLong(),
                ended.path("endedMillis").asLong())), emulator.importJobTimeline());
    }

    private JsonNode timeline() throws Exception {
        try (HttpClient http = HttpClient.newHttpClient()) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                    URI.create(emulator.endpoint() + "/_emulator/import-jobs")).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, response.statusCode(), response.body());
            return new ObjectMapper().readTree(response.body()).path("importJobs");
        }
    }
}
