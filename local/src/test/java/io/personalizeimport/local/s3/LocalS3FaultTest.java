package io.personalizeimport.local.s3;

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
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** Faults injected into LocalS3, as the real S3Client experiences them. */
class LocalS3FaultTest {

    private static final String BUCKET = "imports";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dataDir;
    private LocalS3 s3;
    private S3Client client;
    private S3Client once;

    @BeforeEach
    void start() {
        // A fixed seed, so every run draws the same probabilistic faults.
        s3 = LocalS3.builder().dataDir(dataDir).faultSeed(42).build().start();
        s3.createBucket(BUCKET);
        client = SdkClients.s3(s3);
        once = SdkClients.s3WithoutRetries(s3);
        client.putObject(b -> b.bucket(BUCKET).key("users/u.csv"), RequestBody.fromString("USER_ID\nu1\n"));
    }

    @AfterEach
    void stop() {
        once.close();
        client.close();
        s3.close();
    }

    @Test
    void slowDownOnGetObject_shouldReachTheSdkAsA503SlowDownAfterItsRetries() {
        // GIVEN every GetObject is answered SlowDown until cleared
        s3.injectFault(Fault.error("GetObject", "SlowDown", Fault.UNLIMITED));

        // WHEN the SDK reads an object, retrying as it does for 503s
        S3Exception error = assertThrows(S3Exception.class, () -> client.getObjectAsBytes(get("users/u.csv")));

        // THEN it parsed S3's error document, counted it as throttling, and each attempt was one injection
        assertEquals(503, error.statusCode());
        assertEquals("SlowDown", error.awsErrorDetails().errorCode());
        assertEquals("Injected fault: SlowDown", error.awsErrorDetails().errorMessage());
        assertTrue(error.isThrottlingException());
        assertTrue(error.numAttempts() > 1, "attempts: " + error.numAttempts());
        assertEquals(error.numAttempts().longValue(), s3.faults().getFirst().injected());

        // AND other operations were untouched, and once cleared the read works
        assertEquals(1, client.listObjectsV2(b -> b.bucket(BUCKET)).keyCount().intValue());
        s3.clearFaults();
        assertEquals("USER_ID\nu1\n", client.getObjectAsBytes(get("users/u.csv")).asUtf8String());
    }

    static Stream<Arguments> operations() {
        return Stream.of(
                Arguments.of("GetObject", (CallOn) c -> c.getObjectAsBytes(b -> b.bucket(BUCKET).key("users/u.csv"))),
                Arguments.of("ListObjectsV2", (CallOn) c -> c.listObjectsV2(b -> b.bucket(BUCKET))),
                Arguments.of("PutObject", (CallOn) c -> c.putObject(b -> b.bucket(BUCKET).key("x.csv"),
                        RequestBody.fromString("x", StandardCharsets.UTF_8))),
                Arguments.of("CopyObject", (CallOn) c -> c.copyObject(b -> b.sourceBucket(BUCKET)
                        .sourceKey("users/u.csv").destinationBucket(BUCKET).destinationKey("copy.csv"))),
                Arguments.of("DeleteObject", (CallOn) c -> c.deleteObject(b -> b.bucket(BUCKET).key("users/u.csv"))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("operations")
    void accessDeniedOnOneOperation_shouldFailThatOperationOnly(String operation, CallOn call) {
        // GIVEN AccessDenied on one operation
        s3.injectFault(Fault.error(operation, "AccessDenied", 1));
        s3.injectFault(Fault.error("HeadBucket", "AccessDenied", 1));

        // WHEN the SDK calls it THEN 403 AccessDenied, not retried
        S3Exception error = assertThrows(S3Exception.class, () -> call.on(client));
        assertEquals(403, error.statusCode());
        assertEquals("AccessDenied", error.awsErrorDetails().errorCode());
        assertEquals(1, error.numAttempts());

        // AND only that operation's fault was used
        List<FaultStats> faults = s3.faults();
        assertEquals(1, faults.get(0).injected());
        assertEquals(0, faults.get(1).matched());
    }

    @Test
    void errorOnHeadObject_shouldCarryItsStatusWithoutABody() {
        s3.injectFault(Fault.error("HeadObject", "InternalError", 1));

        S3Exception error = assertThrows(S3Exception.class,
                () -> once.headObject(b -> b.bucket(BUCKET).key("users/u.csv")));

        assertEquals(500, error.statusCode());
    }

    @Test
    void latencyFault_shouldDelayTheAnswerAndThenServeIt() {
        // GIVEN the next HeadObject waits 400 ms
        s3.injectFault(Fault.latency("HeadObject", 400, 1));

        // WHEN it is called
        long started = System.nanoTime();
        long length = client.headObject(b -> b.bucket(BUCKET).key("users/u.csv")).contentLength();
        long elapsedMillis = (System.nanoTime() - started) / 1_000_000;

        // THEN the real answer came, late
        assertEquals(11, length);
        assertTrue(elapsedMillis >= 400, "took " + elapsedMillis + " ms");
    }

    @Test
    void probabilisticFault_shouldHitSomeButNotAllCalls() {
        // GIVEN 30% of all requests fail with InternalError
        s3.injectFault(Fault.randomError("*", "InternalError", 0.3));

        // WHEN a client that never retries reads 100 times
        int failed = 0;
        for (int i = 0; i < 100; i++) {
            try {
                once.getObjectAsBytes(get("users/u.csv"));
            } catch (S3Exception e) {
                assertEquals(500, e.statusCode());
                assertEquals("InternalError", e.awsErrorDetails().errorCode());
                failed++;
            }
        }

        // THEN some failed and most did not (30 expected; the bounds are 4 standard deviations away), as counted
        assertTrue(failed > 12 && failed < 48, "failed: " + failed);
        assertEquals(100, s3.faults().getFirst().matched());
        assertEquals(failed, s3.faults().getFirst().injected());
    }

    @Test
    void faultPostedOverHttp_shouldApplyAndBeListedUntilDeleted() throws Exception {
        try (HttpClient http = HttpClient.newHttpClient()) {
            // GIVEN a NoSuchKey fault posted to the admin path
            HttpResponse<String> posted = http.send(HttpRequest.newBuilder(admin())
                    .POST(HttpRequest.BodyPublishers.ofString(
                            "{\"operation\": \"GetObject\", \"error\": \"NoSuchKey\", \"count\": 2}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, posted.statusCode(), posted.body());

            // WHEN the SDK reads THEN 404 NoSuchKey, and the listing counts it
            S3Exception error = assertThrows(S3Exception.class, () -> once.getObjectAsBytes(get("users/u.csv")));
            assertEquals(404, error.statusCode());
            assertEquals("NoSuchKey", error.awsErrorDetails().errorCode());
            JsonNode listed = JSON.readTree(http.send(HttpRequest.newBuilder(admin()).GET().build(),
                    HttpResponse.BodyHandlers.ofString()).body());
            assertEquals(42, listed.get("seed").asLong());
            assertEquals(1, listed.get("faults").get(0).get("injected").asInt());
            assertEquals(1, listed.get("faults").get(0).get("remaining").asInt());

            // AND once deleted the read works
            HttpResponse<String> deleted = http.send(HttpRequest.newBuilder(admin()).DELETE().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(204, deleted.statusCode());
            assertEquals("USER_ID\nu1\n", once.getObjectAsBytes(get("users/u.csv")).asUtf8String());
        }
    }

    @Test
    void invalidFaultPostedOverHttp_shouldBeRefusedWithTheReason() throws Exception {
        try (HttpClient http = HttpClient.newHttpClient()) {
            HttpResponse<String> posted = http.send(HttpRequest.newBuilder(admin())
                    .POST(HttpRequest.BodyPublishers.ofString(
                            "{\"operation\": \"GetObject\", \"error\": \"SlowDown\", \"probability\": 2}"))
                    .build(), HttpResponse.BodyHandlers.ofString());

            assertEquals(400, posted.statusCode());
            assertTrue(posted.body().contains("probability must be greater than 0 and at most 1"), posted.body());
            assertEquals(List.of(), s3.faults());
        }
    }

    private URI admin() {
        return URI.create(s3.endpoint() + LocalS3.FAULTS_PATH);
    }

    private static Consumer<GetObjectRequest.Builder> get(String key) {
        return b -> b.bucket(BUCKET).key(key);
    }

    /** One SDK call, named by the operation it makes. */
    @FunctionalInterface
    interface CallOn {
        void on(S3Client client) throws Exception;
    }
}
