package io.personalizeimport.local.lambda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;
import software.amazon.awssdk.services.lambda.model.ResourceNotFoundException;

/** The AWS SDK v2 LambdaClient, pointed at the host, sees what it would see from Lambda. */
class LambdaHostSdkTest {

    private static final String FIXTURE = "io.personalizeimport.local.lambda.fixture.";

    @TempDir
    static Path tempDir;

    private static LambdaHost host;
    private static LambdaClient lambda;

    @BeforeAll
    static void start() throws Exception {
        Path jar = FixtureJar.build(tempDir);
        host = LambdaHost.builder().region("us-east-1").build();
        host.register(FunctionConfig.of("echo", FIXTURE + "EchoHandler::handleRequest", jar));
        host.register(FunctionConfig.of("thrower", FIXTURE + "ThrowingHandler::handleRequest", jar));
        host.start();
        lambda = LambdaClient.builder()
                .endpointOverride(host.endpoint())
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .httpClient(UrlConnectionHttpClient.create())
                // Standard mode makes at most 3 attempts: the retry arithmetic below depends on it.
                .overrideConfiguration(c -> c.retryStrategy(RetryMode.STANDARD))
                .build();
    }

    @AfterAll
    static void stop() {
        lambda.close();
        host.close();
    }

    @Test
    void twoInjectedServiceExceptions_shouldBeRetriedAwayBySdkAndCountedByHost() {
        // GIVEN two ServiceException faults on echo
        host.injectFault(ServiceFault.serviceException("echo", 2));

        // WHEN the SDK invokes it once, by ARN
        InvokeResponse response = lambda.invoke(r -> r.functionName(host.functionArn("echo"))
                .payload(SdkBytes.fromUtf8String("{\"sdk\":true}")));

        // THEN the third attempt ran the function, and the host saw all three requests
        assertEquals(200, response.statusCode());
        assertTrue(response.payload().asUtf8String().contains("\"sdk\":true"), response.payload().asUtf8String());
        FunctionStats stats = host.stats("echo");
        assertEquals(3, stats.invocations());
        assertEquals(2, stats.injectedFaults());
        assertEquals(1, stats.executions());
    }

    @Test
    void handlerException_shouldReachSdkAsFunctionError() {
        // GIVEN / WHEN
        InvokeResponse response = lambda.invoke(r -> r.functionName("thrower").payload(SdkBytes.fromUtf8String("{}")));

        // THEN
        assertEquals("Unhandled", response.functionError());
        assertTrue(response.payload().asUtf8String().contains(FIXTURE + "ThrowingHandler$Boom"));
    }

    @Test
    void unknownFunction_shouldRaiseResourceNotFoundException() {
        ResourceNotFoundException missing = assertThrows(ResourceNotFoundException.class,
                () -> lambda.invoke(r -> r.functionName("missing").payload(SdkBytes.fromUtf8String("{}"))));

        assertEquals(404, missing.statusCode());
        assertTrue(missing.getMessage().contains("Function not found"), missing.getMessage());
    }
}
