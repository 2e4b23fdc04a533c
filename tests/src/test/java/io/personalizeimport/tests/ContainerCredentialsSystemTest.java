package io.personalizeimport.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.personalizeimport.lambdas.FunctionSettings;
import io.personalizeimport.local.lambda.FunctionConfig;
import io.personalizeimport.local.lambda.InvocationResult;
import io.personalizeimport.local.stack.LocalStack;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Each deployment package on the Lambda host with its credentials from a container credentials endpoint, as SnapStart
 * functions get them in AWS (ClientFactory): the path that no other local run takes, through the classes the packages
 * keep of the SDK's credential providers.
 */
class ContainerCredentialsSystemTest {

    private static final String TOKEN = "local-authorization-token";
    private static final AtomicInteger SERVED = new AtomicInteger();
    private static LocalStack stack;
    private static HttpServer credentials;

    @BeforeAll
    static void serveCredentials() throws IOException {
        stack = SharedStack.get();
        credentials = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        credentials.createContext("/credentials", exchange -> {
            boolean authorized = TOKEN.equals(exchange.getRequestHeaders().getFirst("Authorization"));
            byte[] body = ("{\"AccessKeyId\":\"" + stack.s3().accessKey() + "\",\"SecretAccessKey\":\""
                    + stack.s3().secretKey() + "\",\"Expiration\":\"" + Instant.now().plus(1, ChronoUnit.HOURS)
                    .truncatedTo(ChronoUnit.SECONDS) + "\"}").getBytes(StandardCharsets.UTF_8);
            if (authorized) {
                SERVED.incrementAndGet();
            }
            exchange.sendResponseHeaders(authorized ? 200 : 403, authorized ? body.length : -1);
            try (OutputStream out = exchange.getResponseBody()) {
                if (authorized) {
                    out.write(body);
                }
            }
        });
        credentials.start();
    }

    @AfterAll
    static void stopCredentials() {
        credentials.stop(0);
    }

    /** An input on which the function makes a call with its credentials, and how the invocation ends. */
    private static InvocationResult invoke(FunctionSettings function, String name) {
        String now = Instant.now().toString();
        String key = "interactions/absent-" + UUID.randomUUID() + ".csv";
        String input = switch (function) {
            case TRIGGER -> "{\"Records\":[{\"eventVersion\":\"2.1\",\"eventTime\":\"" + now + "\",\"eventName\":"
                    + "\"ObjectCreated:Put\",\"s3\":{\"bucket\":{\"name\":\"" + LocalStack.BUCKET + "\"},\"object\":"
                    + "{\"key\":\"" + key + "\",\"size\":10,\"sequencer\":\"01\"}}}]}";
            case CREATE -> "{\"input\":{\"bucket\":\"" + LocalStack.BUCKET + "\",\"key\":\"" + key + "\"},"
                    + "\"executionName\":\"" + name + "\",\"executionStartTime\":\"" + now + "\","
                    + "\"stateMachineArn\":\"" + stack.stateMachineArn() + "\"}";
            case DESCRIBE -> "{\"input\":{\"datasetImportJobArn\":\"arn:aws:personalize:" + LocalStack.REGION + ":"
                    + LocalStack.ACCOUNT_ID + ":dataset-import-job/absent\"},\"executionStartTime\":\"" + now + "\"}";
            case FINISH -> "{\"input\":{\"folderWatch\":{\"datasetArn\":\"" + stack.datasetArn("interactions") + "\","
                    + "\"bucket\":\"" + LocalStack.BUCKET + "\",\"folder\":\"absent/\",\"route\":\"interactions\","
                    + "\"marker\":\"_SUCCESS\",\"waitSeconds\":60}},\"executionName\":\"" + name + "\","
                    + "\"stateMachineArn\":\"" + stack.stateMachineArn() + "\"}";
            case RECOVER -> "{\"version\":\"0\",\"detail-type\":\"Step Functions Execution Status Change\","
                    + "\"source\":\"aws.states\",\"detail\":{\"name\":\"" + name + "\",\"stateMachineArn\":\""
                    + stack.stateMachineArn() + "\",\"status\":\"FAILED\",\"input\":\"{\\\"datasetArn\\\":\\\""
                    + stack.datasetArn("interactions") + "\\\"}\"}}";
            // It drains the routed datasets' outboxes, reading the ledger whatever they hold.
            case PUBLISH -> "{\"version\":\"0\",\"detail-type\":\"Scheduled Event\",\"source\":\"aws.events\","
                    + "\"detail\":{}}";
        };
        return stack.lambdaHost().invoke(name, input);
    }

    @ParameterizedTest
    @EnumSource(FunctionSettings.class)
    void eachPackage_shouldCallItsServicesWithContainerCredentials(FunctionSettings function) {
        // GIVEN the function's package registered with the container credentials variables SnapStart functions get
        String name = function.functionName() + "-container-credentials";
        Map<String, String> env = new HashMap<>(stack.functionEnvironment(function));
        env.put("AWS_CONTAINER_CREDENTIALS_FULL_URI",
                "http://127.0.0.1:" + credentials.getAddress().getPort() + "/credentials");
        env.put("AWS_CONTAINER_AUTHORIZATION_TOKEN", TOKEN);
        stack.lambdaHost().register(new FunctionConfig(name, function.handler(),
                SharedStack.repositoryRoot().resolve(function.packagePath()), env, function.timeoutSeconds(),
                function.memoryMb()));
        int served = SERVED.get();

        // WHEN it is invoked with an input that makes it call a service (about objects and jobs that do not exist)
        InvocationResult result = invoke(function, name);

        // THEN it fetched credentials from the endpoint and ended as its code says for what does not exist
        assertTrue(SERVED.get() > served, "no credentials fetched: " + result.payload());
        String expected = switch (function) {
            // An event without version or eTag makes the trigger read the object, which is gone: skipped, not retried.
            case TRIGGER -> null;
            case CREATE -> "io.personalizeimport.lambdas.errors.InvalidImportRequestException";
            case DESCRIBE -> "io.personalizeimport.lambdas.errors.DatasetImportJobNotFoundException";
            case FINISH, RECOVER, PUBLISH -> null;
        };
        assertEquals(expected, result.errorType(), result::payload);
        if (function == FunctionSettings.TRIGGER) {
            assertTrue(result.payload().contains("object no longer exists"), result::payload);
        }
        assertFalse(result.payload().contains("NoClassDefFoundError"), result::payload);
    }
}
