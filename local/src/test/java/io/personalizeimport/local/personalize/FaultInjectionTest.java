package io.personalizeimport.local.personalize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.personalizeimport.local.testing.SdkClients;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.personalize.PersonalizeClient;
import software.amazon.awssdk.services.personalize.model.PersonalizeException;

/** Faults injected through the Java API and the admin endpoint, as the real SDK client experiences them. */
class FaultInjectionTest {

    private static final String GROUP_ARN = "arn:aws:personalize:us-east-1:000000000000:dataset-group/shop";

    private PersonalizeEmulator emulator;
    private PersonalizeClient client;

    @BeforeEach
    void start() {
        emulator = PersonalizeEmulator.builder().build().start();
        client = SdkClients.personalize(emulator.endpoint(), Region.US_EAST_1);
        client.createDatasetGroup(b -> b.name("shop"));
    }

    @AfterEach
    void stop() {
        client.close();
        emulator.close();
    }

    @Test
    void twoThrottlingErrors_shouldBeRetriedBySdkAndThenSucceed() {
        // GIVEN the next two DescribeDatasetGroup calls are throttled
        emulator.injectFault(Fault.error("DescribeDatasetGroup", "ThrottlingException", 2));

        // WHEN the SDK calls once (its default retry policy allows more than two retries)
        var response = client.describeDatasetGroup(b -> b.datasetGroupArn(GROUP_ARN));

        // THEN the third attempt succeeds, both throttles having been answered
        assertEquals("shop", response.datasetGroup().name());
        assertEquals(List.of(), emulator.activeFaults());
    }

    @Test
    void persistentServerError_shouldReachTheCallerAsA500AfterRetries() {
        // GIVEN every CreateDatasetImportJob answers 500 InternalFailure for the next 10 calls
        emulator.injectFault(Fault.error("CreateDatasetImportJob", "InternalFailure", 10));

        // WHEN the SDK calls
        PersonalizeException error = assertThrows(PersonalizeException.class, () -> client.createDatasetImportJob(b -> b
                .jobName("j").datasetArn("arn:aws:personalize:us-east-1:000000000000:dataset/shop/INTERACTIONS")
                .roleArn(EmulatorHarness.ROLE_ARN).dataSource(s -> s.dataLocation("s3://b/k.csv"))));

        // THEN it retried (a 5xx is retryable; the attempt count is the SDK's default policy's) and then gave up
        assertEquals(500, error.statusCode());
        assertEquals("InternalFailure", error.awsErrorDetails().errorCode());
        assertTrue(error.numAttempts() > 1, "attempts: " + error.numAttempts());
        assertEquals(10 - error.numAttempts(), emulator.activeFaults().getFirst().count());
    }

    @Test
    void latencyFault_shouldDelayTheResponse() {
        emulator.injectFault(Fault.latency("*", 400, 1));

        long started = System.nanoTime();
        client.describeDatasetGroup(b -> b.datasetGroupArn(GROUP_ARN));
        long elapsedMillis = (System.nanoTime() - started) / 1_000_000;

        assertTrue(elapsedMillis >= 400, "took " + elapsedMillis + " ms");
    }

    @Test
    void faultPostedToTheAdminEndpoint_shouldApplyUntilDeleted() throws Exception {
        try (HttpClient http = HttpClient.newHttpClient()) {
            // GIVEN a fault posted over HTTP for 100 calls
            HttpResponse<String> posted = http.send(HttpRequest.newBuilder(admin("/_emulator/faults"))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"operation\": \"DescribeDatasetGroup\", "
                            + "\"error\": \"ResourceNotFoundException\", \"count\": 100, \"message\": \"gone\"}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, posted.statusCode(), posted.body());

            // WHEN the SDK calls THEN it gets the injected error, not retried
            var error = assertThrows(
                    software.amazon.awssdk.services.personalize.model.ResourceNotFoundException.class,
                    () -> client.describeDatasetGroup(b -> b.datasetGroupArn(GROUP_ARN)));
            assertEquals("gone", error.awsErrorDetails().errorMessage());
            assertEquals(1, error.numAttempts());

            // AND WHEN the faults are deleted THEN the call succeeds
            HttpResponse<String> deleted = http.send(HttpRequest.newBuilder(admin("/_emulator/faults")).DELETE()
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(204, deleted.statusCode());
            assertEquals("shop", client.describeDatasetGroup(b -> b.datasetGroupArn(GROUP_ARN)).datasetGroup().name());
        }
    }

    @Test
    void faultWithoutOperation_shouldBeRejectedByTheAdminEndpoint() throws Exception {
        try (HttpClient http = HttpClient.newHttpClient()) {
            HttpResponse<String> posted = http.send(HttpRequest.newBuilder(admin("/_emulator/faults"))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"error\": \"ThrottlingException\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());

            assertEquals(400, posted.statusCode());
            assertTrue(posted.body().contains("operation"), posted.body());
        }
    }

    private URI admin(String path) {
        return URI.create(emulator.endpoint() + path);
    }
}
