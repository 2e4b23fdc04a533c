package io.personalizeimport.lambdas.aws;

import io.personalizeimport.lambdas.FunctionSettings;
import io.personalizeimport.lambdas.config.Environment;
import io.personalizeimport.lambdas.errors.ConfigurationException;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.ContainerCredentialsProvider;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.personalize.PersonalizeClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sfn.SfnClient;

/**
 * The SDK clients of one function container, built once at init (FACTS.md, "AWS Lambda (Java)"): explicit region,
 * explicit credentials provider, one lightweight URL-connection HTTP client shared by all, and SDK timeouts below
 * the function's own.
 *
 * <p>Endpoints follow the SDK's standard variables {@code AWS_ENDPOINT_URL} and {@code AWS_ENDPOINT_URL_<SERVICE>},
 * read from the same {@link Environment} as the rest of the configuration; in AWS they are unset.
 */
public record AwsClients(PersonalizeClient personalize, S3Client s3, SfnClient sfn, DynamoDbClient dynamoDb,
                         EventBridgeClient eventBridge) {

    public static final String S3_FORCE_PATH_STYLE = "S3_FORCE_PATH_STYLE";

    /** AWS endpoints answer a TCP connect in milliseconds; a slow connect is better retried than waited for. */
    private static final Duration CONNECTION_TIMEOUT = Duration.ofSeconds(2);

    /** The clients of one function, each call bounded by the function's SDK timeouts ({@link FunctionSettings}). */
    public static AwsClients forFunction(FunctionSettings function, Environment env) {
        Region region = Region.of(env.required("AWS_REGION", "the AWS region, such as us-east-1 (Lambda sets it)"));
        AwsCredentialsProvider credentials = credentials(env);
        SdkHttpClient http = UrlConnectionHttpClient.builder()
                .connectionTimeout(CONNECTION_TIMEOUT)
                .socketTimeout(function.apiCallAttemptTimeout())
                .build();
        ClientOverrideConfiguration timeouts = ClientOverrideConfiguration.builder()
                .apiCallTimeout(function.apiCallTimeout())
                .apiCallAttemptTimeout(function.apiCallAttemptTimeout())
                .build();

        var personalize = PersonalizeClient.builder().region(region).credentialsProvider(credentials).httpClient(http)
                .overrideConfiguration(timeouts);
        endpoint(env, "PERSONALIZE").ifPresent(personalize::endpointOverride);
        var s3 = S3Client.builder().region(region).credentialsProvider(credentials).httpClient(http)
                .overrideConfiguration(timeouts)
                .forcePathStyle(env.flag(S3_FORCE_PATH_STYLE, false));
        endpoint(env, "S3").ifPresent(s3::endpointOverride);
        var sfn = SfnClient.builder().region(region).credentialsProvider(credentials).httpClient(http)
                .overrideConfiguration(timeouts);
        endpoint(env, "SFN").ifPresent(sfn::endpointOverride);
        var dynamoDb = DynamoDbClient.builder().region(region).credentialsProvider(credentials).httpClient(http)
                .overrideConfiguration(timeouts);
        endpoint(env, "DYNAMODB").ifPresent(dynamoDb::endpointOverride);
        var eventBridge = EventBridgeClient.builder().region(region).credentialsProvider(credentials).httpClient(http)
                .overrideConfiguration(timeouts);
        endpoint(env, "EVENTBRIDGE").ifPresent(eventBridge::endpointOverride);
        return new AwsClients(personalize.build(), s3.build(), sfn.build(), dynamoDb.build(), eventBridge.build());
    }

    /**
     * SnapStart functions get their credentials from the container endpoint instead of key variables, and those
     * rotate: read them on every call rather than once.
     */
    private static AwsCredentialsProvider credentials(Environment env) {
        if (env.optional("AWS_CONTAINER_CREDENTIALS_FULL_URI").isPresent()) {
            return ContainerCredentialsProvider.builder().build();
        }
        return () -> {
            String keyId = env.required("AWS_ACCESS_KEY_ID", "the function's access key id (Lambda sets it)");
            String secret = env.required("AWS_SECRET_ACCESS_KEY", "the function's secret key (Lambda sets it)");
            return env.optional("AWS_SESSION_TOKEN")
                    .<software.amazon.awssdk.auth.credentials.AwsCredentials>map(
                            token -> AwsSessionCredentials.create(keyId, secret, token))
                    .orElseGet(() -> AwsBasicCredentials.create(keyId, secret));
        };
    }

    private static Optional<URI> endpoint(Environment env, String service) {
        String name = "AWS_ENDPOINT_URL_" + service;
        Optional<String> raw = env.optional(name);
        if (raw.isEmpty()) {
            name = "AWS_ENDPOINT_URL";
            raw = env.optional(name);
        }
        if (raw.isEmpty()) {
            return Optional.empty();
        }
        try {
            URI uri = new URI(raw.get());
            if (uri.getScheme() == null || uri.getHost() == null) {
                throw new URISyntaxException(raw.get(), "no scheme or host");
            }
            return Optional.of(uri);
        } catch (URISyntaxException e) {
            throw new ConfigurationException("Environment variable " + name + " is '" + raw.get()
                    + "': expected an endpoint URL such as https://personalize.us-east-1.amazonaws.com");
        }
    }
}
