package io.personalizeimport.local.s3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.personalizeimport.local.testing.SdkClients;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

class LocalS3Test {

    @TempDir
    Path dataDir;

    @Test
    void objectPutThroughTheSdk_shouldBeAFileUnderTheBucketFolder() throws Exception {
        // GIVEN a started server with a bucket
        try (LocalS3 s3 = LocalS3.builder().dataDir(dataDir).build().start();
                S3Client client = SdkClients.s3(s3)) {
            s3.createBucket("uploads");

            // WHEN an object is put with the real SDK client
            client.putObject(b -> b.bucket("uploads").key("interactions/day-1.csv"),
                    RequestBody.fromString("USER_ID,ITEM_ID,TIMESTAMP\n", StandardCharsets.UTF_8));

            // THEN it is a plain file under <dataDir>/<bucket>/<key>
            Path file = dataDir.resolve("uploads/interactions/day-1.csv");
            assertEquals("USER_ID,ITEM_ID,TIMESTAMP\n", Files.readString(file));
        }
    }

    @Test
    void fileCopiedIntoTheBucketFolder_shouldBeListedAndReadableAsAnObject() throws Exception {
        // GIVEN a file copied straight into a bucket folder
        try (LocalS3 s3 = LocalS3.builder().dataDir(dataDir).build().start();
                S3Client client = SdkClients.s3(s3)) {
            Path bucket = s3.createBucket("drop");
            Files.createDirectories(bucket.resolve("users"));
            Files.writeString(bucket.resolve("users/u.csv"), "USER_ID\nu1\n");

            // WHEN it is listed and read through S3
            var keys = client.listObjectsV2(b -> b.bucket("drop").prefix("users/")).contents().stream()
                    .map(S3Object::key).toList();
            String body = client.getObjectAsBytes(b -> b.bucket("drop").key("users/u.csv")).asUtf8String();

            // THEN the file is an object
            assertEquals(java.util.List.of("users/u.csv"), keys);
            assertEquals("USER_ID\nu1\n", body);
        }
    }

    @Test
    void createBucketTwice_shouldBeIdempotent() {
        try (LocalS3 s3 = LocalS3.builder().dataDir(dataDir).build().start();
                S3Client client = SdkClients.s3(s3)) {
            // GIVEN an existing bucket WHEN it is created again
            s3.createBucket("twice");
            s3.createBucket("twice");

            // THEN S3 still sees exactly that bucket
            assertTrue(client.listBuckets().buckets().stream().anyMatch(b -> b.name().equals("twice")));
        }
    }

    @Test
    void requestSignedWithTheWrongSecret_shouldBeRejected() {
        // GIVEN a server and a client that signs with another secret
        try (LocalS3 s3 = LocalS3.builder().dataDir(dataDir).build().start();
                S3Client client = S3Client.builder()
                        .endpointOverride(s3.endpoint())
                        .region(Region.US_EAST_1)
                        .forcePathStyle(true)
                        .credentialsProvider(StaticCredentialsProvider.create(
                                AwsBasicCredentials.create(LocalS3.DEFAULT_ACCESS_KEY, "wrong")))
                        .httpClient(UrlConnectionHttpClient.create())
                        .build()) {
            s3.createBucket("guarded");

            // WHEN it lists the bucket THEN the signature check fails with 403
            S3Exception error = assertThrows(S3Exception.class, () -> client.listObjectsV2(b -> b.bucket("guarded")));
            assertEquals(403, error.statusCode());
        }
    }

    @Test
    void endpoint_shouldBeLoopbackOnAnAssignedPort() {
        try (LocalS3 s3 = LocalS3.builder().dataDir(dataDir).port(0).build().start()) {
            assertEquals("127.0.0.1", s3.endpoint().getHost());
            assertTrue(s3.endpoint().getPort() > 0);
        }
    }

    @Test
    void invalidBucketName_shouldBeRejectedWithTheRule() {
        try (LocalS3 s3 = LocalS3.builder().dataDir(dataDir).build().start()) {
            IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                    () -> s3.createBucket("Bad_Bucket"));
            assertTrue(error.getMessage().contains("Bad_Bucket"));
        }
    }
}
