package io.personalizeimport.local.personalize;

import java.net.URI;

/**
 * How the emulator reaches the S3 endpoint that holds the import data.
 *
 * @param endpoint the S3 endpoint, or null for the SDK's default resolution (which honours AWS_ENDPOINT_URL_S3)
 * @param region the signing region
 * @param accessKey the access key id
 * @param secretKey the secret access key
 */
public record S3Settings(URI endpoint, String region, String accessKey, String secretKey) {
}
