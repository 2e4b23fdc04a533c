package io.personalizeimport.local.personalize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.personalize.model.ImportMode;
import software.amazon.awssdk.services.personalize.model.LimitExceededException;

/** The region's quota of five unfinished import jobs, shared by every dataset group, and how GET /_emulator/stats reports its use. */
class ImportJobStatsTest {

    /** Long enough that the five jobs are still unfinished when the sixth is asked for, even on a busy machine. */
    private static final long STEP_MILLIS = 3_000;

    @TempDir
    Path root;
    private EmulatorHarness harness;

    @BeforeEach
    void start() {
        harness = new EmulatorHarness(root, null, STEP_MILLIS);
    }

    @AfterEach
    void stop() {
        harness.close();
    }

    @Test
    void freshEmulator_shouldReportNoJobs() throws Exception {
        assertEquals(new ImportJobStats(0, 0, 0), stats());
        assertEquals(new ImportJobStats(0, 0, 0), harness.emulator.importJobStats());
    }

    @Test
    void sixthJobAcrossGroupsAndTypes_shouldBeRefusedForTheRegionAndCountedUntilASlotFrees() throws Exception {
        // GIVEN five unfinished jobs in three dataset groups, into interactions and users datasets
        String interactions = harness.putInteractions("interactions.csv", 1000);
        String users = harness.put("users.csv", "USER_ID,AGE,MEMBER\nu1,30,true\nu2,,false\n");
        List<String> jobs = new ArrayList<>();
        jobs.add(harness.startImport("shop-clicks", harness.interactionsDataset("shop"), interactions, ImportMode.FULL));
        jobs.add(harness.startImport("shop-users", harness.createDataset("shop-members", "Users",
                EmulatorHarness.USERS_SCHEMA), users, ImportMode.FULL));
        jobs.add(harness.startImport("app-clicks", harness.interactionsDataset("app"), interactions, ImportMode.FULL));
        jobs.add(harness.startImport("app-users", harness.usersDataset("app-members"), users, ImportMode.FULL));
        jobs.add(harness.startImport("tv-clicks", harness.interactionsDataset("tv"), interactions, ImportMode.FULL));
        String tvUsers = harness.usersDataset("tv-members");

        // WHEN a sixth job is asked for, in a group and dataset with no job of their own, twice
        for (int attempt = 0; attempt < 2; attempt++) {
            LimitExceededException refused = assertThrows(LimitExceededException.class,
                    () -> harness.startImport("tv-users", tvUsers, users, ImportMode.FULL));

            // THEN the region's limit refuses it, in Personalize's words
            assertEquals("More than 5 resources with PENDING or IN_PROGRESS status.",
                    refused.awsErrorDetails().errorMessage());
        }
        assertEquals(new ImportJobStats(5, 2, 5), stats());

        // AND once one job has ended, the sixth is created, and the most at once stays five
        harness.awaitFinished(jobs.getFirst());
        harness.startImport("tv-users", tvUsers, users, ImportMode.FULL);
        assertEquals(new ImportJobStats(5, 2, 6), stats());
        assertEquals(stats(), harness.emulator.importJobStats());
    }

    /** GET /_emulator/stats over HTTP, as a test or a person would ask it. */
    private ImportJobStats stats() throws Exception {
        try (HttpClient http = HttpClient.newHttpClient()) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                    URI.create(harness.emulator.endpoint() + "/_emulator/stats")).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, response.statusCode(), response.body());
            JsonNode body = new ObjectMapper().readTree(response.body());
            return new ImportJobStats(body.path("maxUnfinishedImportJobs").asLong(-1),
                    body.path("limitExceededAnswers").asLong(-1), body.path("importJobsCreated").asLong(-1));
        }
    }
}
