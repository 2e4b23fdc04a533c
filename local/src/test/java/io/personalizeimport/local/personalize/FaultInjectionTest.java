package io.personalizeimport.local.personalize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.personalizeimport.local.faults.Fault;
import io.personalizeimport.local.faults.FaultStats;
import io.personalizeimport.local.testing.SdkClients;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.personalize.PersonalizeClient;
import software.amazon.awssdk.services.personalize.model.PersonalizeException;

/** Faults injected through the Java API and the admin endpoint, as the real SDK client experiences them. */
class FaultInjectionTest {

    private static final String GROUP_ARN = "arn:aws:personalize:us-east-1:000000000000:dataset-group/shop";
    private static final ObjectMapper JSON = new ObjectMapper();
    // Fixed, so every run draws the same probabilistic faults and the assertions below are exact.
    private static final long FAULT_SEED = 2024;

    private PersonalizeEmulator emulator;
    private PersonalizeClient client;

    @BeforeEach
    void start() {
        emulator = PersonalizeEmulator.builder().faultSeed(FAULT_SEED).build().start();
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
    void injectedThrottling_shouldBeSeenByTheSdkAsThrottling() {
        // GIVEN DescribeDatasetGroup is throttled for good, answered as AWS JSON services do (400, ThrottlingException)
        emulator.injectFault(Fault.error("DescribeDatasetGroup", "ThrottlingException", Fault.UNLIMITED));

        // WHEN the SDK calls, retrying as it does for throttling, and gives up
        PersonalizeException error = assertThrows(PersonalizeException.class,
                () -> client.describeDatasetGroup(b -> b.datasetGroupArn(GROUP_ARN)));

        // THEN it classed the answer as throttling, which is what its retry policy and callers key on
        assertEquals(400, error.statusCode());
        assertEquals("ThrottlingException", error.awsErrorDetails().errorCode());
        assertTrue(error.isThrottlingException());
        assertTrue(error.numAttempts() > 1, "attempts: " + error.numAttempts());
    }

    @Test
    void overlappingProbabilisticFaults_shouldEachBeInjectedAndCounted() {
        // GIVEN chaos on every operation: 30% throttling, 10% internal failures, 5% latency (40 ms, not 40 s, here)
        emulator.injectFault(Fault.randomError("*", "ThrottlingException", 0.3));
        emulator.injectFault(Fault.randomError("*", "InternalFailure", 0.1));
        emulator.injectFault(Fault.randomLatency("*", 40, 0.05));

        // WHEN a client that never retries makes 300 calls
        int calls = 300;
        int throttled = 0;
        int failed = 0;
        try (PersonalizeClient once = SdkClients.personalizeWithoutRetries(emulator.endpoint())) {
            for (int i = 0; i < calls; i++) {
                try {
                    once.describeDatasetGroup(b -> b.datasetGroupArn(GROUP_ARN));
                } catch (PersonalizeException e) {
                    if (e.isThrottlingException()) {
                        throttled++;
                    } else if (e.statusCode() == 500) {
                        failed++;
                    } else {
                        throw e;
                    }
                }
            }
        }

        // THEN every fault rolled for every call, each hit some and not all, and the counters match what was seen
        List<FaultStats> faults = emulator.faults();
        faults.forEach(stats -> System.out.printf(Locale.ROOT, "fault %d %-20s p=%.2f matched=%d injected=%d%n",
                stats.id(), stats.fault().error() != null ? stats.fault().error()
                        : stats.fault().latencyMillis() + " ms", stats.fault().probability(), stats.matched(),
                stats.injected()));
        assertEquals(3, faults.size());
        for (FaultStats stats : faults) {
            assertEquals(calls, stats.matched());
            assertTrue(stats.injected() > 0 && stats.injected() < calls, stats.toString());
        }
        assertEquals(throttled, faults.get(0).injected());
        assertEquals(failed, faults.get(1).injected());
        // With 30% then 10% (of the remaining 70%), about 90 and 21 calls: far from both 0 and the total.
        assertTrue(throttled > 45 && throttled < 135, "throttled: " + throttled);
        assertTrue(failed > 5 && failed < 45, "failed: " + failed);
    }

    @Test
    void probabilisticFaultPostedToTheAdminEndpoint_shouldReportItsCountersThere() throws Exception {
        try (HttpClient http = HttpClient.newHttpClient();
                PersonalizeClient once = SdkClients.personalizeWithoutRetries(emulator.endpoint())) {
            // GIVEN a 50% fault with its own seed, posted over HTTP with no count (so unlimited)
            HttpResponse<String> posted = http.send(HttpRequest.newBuilder(admin("/_emulator/faults"))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"operation\": \"DescribeDatasetGroup\", "
                            + "\"error\": \"ServiceUnavailable\", \"probability\": 0.5, \"seed\": 7}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, posted.statusCode(), posted.body());
            assertEquals(-1, JSON.readTree(posted.body()).get("count").asInt());

            // WHEN 40 calls are made
            int unavailable = 0;
            for (int i = 0; i < 40; i++) {
                try {
                    once.describeDatasetGroup(b -> b.datasetGroupArn(GROUP_ARN));
                } catch (PersonalizeException e) {
                    assertEquals(503, e.statusCode());
                    unavailable++;
                }
            }

            // THEN the listing shows the seed, and the fault with as many injections as calls failed
            HttpResponse<String> listed = http.send(HttpRequest.newBuilder(admin("/_emulator/faults")).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            JsonNode body = JSON.readTree(listed.body());
            assertEquals(FAULT_SEED, body.get("seed").asLong());
            JsonNode fault = body.get("faults").get(0);
            assertEquals(0.5, fault.get("probability").asDouble());
            assertEquals(7, fault.get("seed").asLong());
            assertEquals(40, fault.get("matched").asInt());
            assertEquals(unavailable, fault.get("injected").asInt());
            assertTrue(unavailable > 0 && unavailable < 40, "unavailable: " + unavailable);
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
