package io.personalizeimport.lambdas.aws;

import io.personalizeimport.lambdas.FunctionSettings;
import io.personalizeimport.lambdas.config.Environment;
import io.personalizeimport.lambdas.errors.ConfigurationException;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.ContainerCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;

/**
 * How one function container builds its SDK clients, once at init (AWS SDK for Java 2.x Developer Guide, "Reduce SDK
 * startup time for AWS Lambda"): explicit region, explicit credentials provider, one lightweight URL-connection HTTP
 * client shared by all its clients, and SDK timeouts below the function's own. It names no service, so a function
 * builds only the clients it calls and its deployment package holds no other service's classes.
 *
 * <p>Endpoints follow the SDK's standard variables {@code AWS_ENDPOINT_URL} and {@code AWS_ENDPOINT_URL_<SERVICE>},
 * read from the same {@link Environment} as the rest of the configuration; in AWS they are unset.
 */
public final class ClientFactory {

    /** AWS endpoints answer a TCP connect in milliseconds; a slow connect is better retried than waited for. */
    private static final Duration CONNECTION_TIMEOUT = Duration.ofSeconds(2);
    /**
     * How long one CopyObject may take: a server-side copy of up to 5 GB is one call (Amazon S3 API Reference,
     * CopyObject), far longer than the functions' default bound on a call. With the staging budget (BatchStaging) it
     * stays below the create function's timeout. Here, not in S3Objects, so that a package without S3 has none of it.
     */
    static final Duration COPY_TIMEOUT = Duration.ofSeconds(45);

    private final Environment env;
    private final Region region;
    private final AwsCredentialsProvider credentials;
    private final SdkHttpClient http;
    private final ClientOverrideConfiguration timeouts;

    private ClientFactory(Environment env, Region region, AwsCredentialsProvider credentials, SdkHttpClient http,
                          ClientOverrideConfiguration timeouts) {
        this.env = env;
        this.region = region;
        this.credentials = credentials;
        this.http = http;
        this.timeouts = timeouts;
    }

    /** The settings of one function's clients, each call bounded by the function's SDK timeouts. */
    public static ClientFactory forFunction(FunctionSettings function, Environment env) {
        Region region = Region.of(env.required("AWS_REGION", "the AWS region, such as us-east-1 (Lambda sets it)"));
        SdkHttpClient http = UrlConnectionHttpClient.builder()
                .connectionTimeout(CONNECTION_TIMEOUT)
                .socketTimeout(socketTimeout(function))
                .build();
        ClientOverrideConfiguration timeouts = ClientOverrideConfiguration.builder()
                .apiCallTimeout(function.apiCallTimeout())
                .apiCallAttemptTimeout(function.apiCallAttemptTimeout())
                .build();
        return new ClientFactory(env, region, credentials(env), http, timeouts);
    }

    /**
     * How long a read may wait for the server's next bytes: no shorter than the longest attempt a call of the function
     * may take, a server-side copy ({@link #COPY_TIMEOUT}), during which S3 may send nothing. Every other call
     * stays bounded by its attempt timeout, which aborts the request whatever the socket waits for.
     */
    static Duration socketTimeout(FunctionSettings function) {
        Duration attempt = function.apiCallAttemptTimeout();
        return attempt.compareTo(COPY_TIMEOUT) < 0 ? COPY_TIMEOUT : attempt;
    }

    /**
     * Builds one client with these settings.
     *
     * @param builder the service's client builder, such as {@code PersonalizeClient.builder()}
     * @param service the service's part of its endpoint variable, such as {@code PERSONALIZE} for
     *     {@code AWS_ENDPOINT_URL_PERSONALIZE}
     */
    public <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> C build(B builder, String service) {
        builder.region(region).credentialsProvider(credentials).httpClient(http).overrideConfiguration(timeouts);
        endpoint(service).ifPresent(builder::endpointOverride);
        return builder.build();
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
                    .<AwsCredentials>map(token -> AwsSessionCredentials.create(keyId, secret, token))
                    .orElseGet(() -> AwsBasicCredentials.create(keyId, secret));
        };
    }

    private Optional<URI> endpoint(String service) {
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
