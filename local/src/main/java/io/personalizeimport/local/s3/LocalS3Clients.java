package io.personalizeimport.local.s3;

import java.net.URI;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The S3 client the local tools (the stack's own, the CLI's, the console's) use against {@link LocalS3}: path-style,
 * over the URL-connection HTTP client, and without {@code Expect: 100-continue} on uploads.
 *
 * <p>Why without it: the JDK keeps idle HTTP connections in one cache for the whole JVM, and a connection the server
 * closes just as it is taken from that cache fails the next request with "Unexpected end of file from server". For
 * an upload that waits for {@code 100 Continue}, the URL-connection client reports that failure as an
 * {@code UncheckedIOException}, which the SDK does not retry; without the header, it is an {@code IOException} when
 * the response is read, which the SDK's retry sends again on a new connection. Against a server on 127.0.0.1 the
 * handshake saves nothing: it only spares sending a body the server would refuse.
 */
public final class LocalS3Clients {

    private LocalS3Clients() {
    }

    /** A client of the local S3 server at {@code endpoint}. */
    public static S3Client client(URI endpoint, Region region, AwsCredentialsProvider credentials) {
        return S3Client.builder().endpointOverride(endpoint).forcePathStyle(true).region(region)
                .credentialsProvider(credentials).httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(config -> config.addExecutionInterceptor(new NoExpectContinue()))
                .build();
    }

    /** Drops the {@code Expect} header that the S3 client adds to uploads with a body. */
    static final class NoExpectContinue implements ExecutionInterceptor {

        @Override
        public SdkHttpRequest modifyHttpRequest(Context.ModifyHttpRequest context, ExecutionAttributes attributes) {
            SdkHttpRequest request = context.httpRequest();
            return request.firstMatchingHeader("Expect").isPresent()
                    ? request.toBuilder().removeHeader("Expect").build() : request;
        }
    }
}
