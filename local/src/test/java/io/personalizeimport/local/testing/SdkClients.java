package io.personalizeimport.local.testing;

import io.personalizeimport.local.s3.LocalS3;
import io.personalizeimport.local.s3.LocalS3Clients;
import java.net.URI;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.personalize.PersonalizeClient;
import software.amazon.awssdk.services.s3.S3Client;

/** Real AWS SDK v2 clients pointed at the local servers, configured as the Lambdas configure theirs. */
public final class SdkClients {

    private SdkClients() {
    }

    /** An S3 client for a {@link LocalS3}, made as the local tools make theirs ({@link LocalS3Clients}). */
    public static S3Client s3(LocalS3 s3) {
        return LocalS3Clients.client(s3.endpoint(), Region.US_EAST_1, StaticCredentialsProvider.create(
                AwsBasicCredentials.create(s3.accessKey(), s3.secretKey())));
    }

    /** An S3 client like {@link #s3(LocalS3)} that makes one attempt per call, so a test sees every answer. */
    public static S3Client s3WithoutRetries(LocalS3 s3) {
        return S3Client.builder()
                .endpointOverride(s3.endpoint())
                .region(Region.US_EAST_1)
                .forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(s3.accessKey(), s3.secretKey())))
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
                .build();
    }

    /** A Personalize client that makes one attempt per call, so a test sees every answer the emulator gives. */
    public static PersonalizeClient personalizeWithoutRetries(URI endpoint) {
        return PersonalizeClient.builder()
                .endpointOverride(endpoint)
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create("AKIDLOCAL", "local-secret")))
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
                .build();
    }

    /** A Personalize client for the emulator at {@code endpoint}, in {@code region}. */
    public static PersonalizeClient personalize(URI endpoint, Region region) {
        return PersonalizeClient.builder()
                .endpointOverride(endpoint)
                .region(region)
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create("AKIDLOCAL", "local-secret")))
                .httpClient(UrlConnectionHttpClient.create())
                .build();
    }
}
