package io.personalizeimport.local.lambda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Drives the host through the real Lambda Invoke API over HTTP; every function runs in a child JVM under the AWS
 * runtime interface client, so each test here is an end-to-end run of the Lambda Java runtime.
 */
class LambdaHostTest {

    private static final String FIXTURE = "io.personalizeimport.local.lambda.fixture.";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ConcurrentLinkedQueue<String> LOGS = new ConcurrentLinkedQueue<>();

    @TempDir
    static Path tempDir;

    private static Path functionJar;
    private static LambdaHost host;

    @BeforeAll
    static void startHost() throws IOException {
        functionJar = FixtureJar.build(tempDir);
        host = LambdaHost.builder()
                .port(0)
                .region("eu-west-1")
                .accountId("123456789012")
                .credentials("AKIDLOCAL", "local-secret")
                .logSink(line -> {
                    LOGS.add(line);
                    System.err.println(line);
                })
                .build();
        FunctionConfig echo = new FunctionConfig("echo", FIXTURE + "EchoHandler::handleRequest", functionJar,
                Map.of("GREETING", "hello from env"), 10, 256);
        host.register(echo);
        host.register(FunctionConfig.of("thrower", FIXTURE + "ThrowingHandler", functionJar));
        host.register(FunctionConfig.of("sleeper", FIXTURE + "SleepingHandler::handleRequest", functionJar)
                .withTimeoutSeconds(1));
        host.register(FunctionConfig.of("broken-init", FIXTURE + "InitFailureHandler::handleRequest", functionJar));
        host.register(FunctionConfig.of("exiter", FIXTURE + "ExitingHandler::handleRequest", functionJar));
        host.register(FunctionConfig.of("upper", FIXTURE + "UpperCaseStreamHandler::handleRequest", functionJar));
        host.register(echo.withEnvironment(Map.of()).withName("faulty"));
        host.register(echo.withEnvironment(Map.of()).withName("throttled"));
        host.register(echo.withEnvironment(Map.of()).withName("async"));
        host.register(echo.withEnvironment(Map.of()).withName("busy"));
        host.register(echo.withEnvironment(Map.of()).withName("crashy"));
        host.register(echo.withEnvironment(Map.of()).withName("crashy-java"));
        host.start();
    }

    @AfterAll
    static void stopHost() {
        host.close();
    }

    @Test
    void severalInvokesOfWarmFunction_shouldConstructHandlerOnceAndPassContextAndEnvironment() throws Exception {
        // GIVEN a registered echo function with 256 MB, 10 s and one environment variable
        // WHEN it is invoked three times in a row
        HttpResponse<String> first = invoke("echo", "RequestResponse", "{\"n\":1}");
        invoke("echo", "RequestResponse", "{\"n\":2}");
        HttpResponse<String> third = invoke("echo", "RequestResponse", "{\"n\":3}");

        // THEN one container served all three, and the handler saw Lambda's Context and environment
        assertEquals(200, third.statusCode(), third.body());
        JsonNode out = JSON.readTree(third.body());
        assertEquals(3, out.get("n").asInt());
        assertEquals(1, out.get("constructions").asInt(), "handler constructed once per container");
        assertEquals(JSON.readTree(first.body()).get("pid").asLong(), out.get("pid").asLong());
        assertEquals(third.headers().firstValue("x-amzn-RequestId").orElseThrow(), out.get("requestId").asText());
        assertEquals("echo", out.get("functionName").asText());
        assertEquals("$LATEST", out.get("functionVersion").asText());
        assertEquals("arn:aws:lambda:eu-west-1:123456789012:function:echo", out.get("invokedFunctionArn").asText());
        assertEquals(256, out.get("memoryLimitMb").asInt());
        long remaining = out.get("remainingTimeMs").asLong();
        assertTrue(remaining > 5_000 && remaining <= 10_000, "remaining time " + remaining);
        assertEquals("/aws/lambda/echo", out.get("logGroupName").asText());
        assertEquals("hello from env", out.get("greeting").asText());
        assertEquals("eu-west-1", out.get("region").asText());
        assertEquals("AKIDLOCAL", out.get("accessKeyId").asText());
        assertEquals(":UTC", out.get("tz").asText());
        assertFalse(third.headers().firstValue("X-Amz-Function-Error").isPresent());
        assertTrue(LOGS.contains("[echo] echo handled " + out.get("requestId").asText()), "handler output forwarded");
    }

    @Test
    void qualifiedArnAsFunctionName_shouldReachFunctionAndReportInvokedArn() throws Exception {
        // GIVEN the full ARN of the echo function with an alias qualifier, URL-encoded as SDKs send it
        String arn = host.functionArn("echo") + ":live";

        // WHEN it is invoked by that ARN
        HttpResponse<String> response = invoke(arn, "RequestResponse", "{}");

        // THEN the function runs and its Context reports the qualified ARN, as Lambda does
        assertEquals(200, response.statusCode(), response.body());
        assertEquals(arn, JSON.readTree(response.body()).get("invokedFunctionArn").asText());
    }

    @Test
    void handlerThrows_shouldAnswerUnhandledWithFullyQualifiedExceptionName() throws Exception {
        // GIVEN a handler that throws the nested exception ThrowingHandler.Boom
        // WHEN it is invoked
        HttpResponse<String> response = invoke("thrower", "RequestResponse", "{\"who\":\"tests\"}");

        // THEN Lambda's function error: 200, X-Amz-Function-Error, and the binary class name Step Functions matches
        assertEquals(200, response.statusCode());
        assertEquals("Unhandled", response.headers().firstValue("X-Amz-Function-Error").orElseThrow());
        JsonNode error = JSON.readTree(response.body());
        assertEquals(FIXTURE + "ThrowingHandler$Boom", error.get("errorType").asText());
        assertEquals("boom for tests", error.get("errorMessage").asText());
        assertTrue(error.get("stackTrace").isArray() && !error.get("stackTrace").isEmpty(), response.body());
    }

    @Test
    void handlerOverrunsTimeout_shouldKillContainerAndServeNextInvokeFromFreshOne() throws Exception {
        // GIVEN a function with a 1 s timeout whose first invocation sleeps 30 s
        HttpResponse<String> warm = invoke("sleeper", "RequestResponse", "{\"sleepMs\":0}");
        long firstPid = JSON.readTree(warm.body()).get("pid").asLong();

        // WHEN it is invoked
        long started = System.nanoTime();
        HttpResponse<String> timedOut = invoke("sleeper", "RequestResponse", "{\"sleepMs\":30000}");
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        // THEN the caller gets Sandbox.Timedout after about a second, the container is gone, the next invoke works
        assertEquals(200, timedOut.statusCode());
        assertEquals("Unhandled", timedOut.headers().firstValue("X-Amz-Function-Error").orElseThrow());
        JsonNode error = JSON.readTree(timedOut.body());
        assertEquals("Sandbox.Timedout", error.get("errorType").asText());
        assertTrue(error.get("errorMessage").asText().endsWith("Task timed out after 1.00 seconds"),
                timedOut.body());
        assertTrue(took.toMillis() < 5_000, "answered after " + took);
        assertTrue(exits(firstPid, Duration.ofSeconds(5)), "container killed");

        HttpResponse<String> next = invoke("sleeper", "RequestResponse", "{\"sleepMs\":0}");
        assertEquals(200, next.statusCode(), next.body());
        assertNotEquals(firstPid, JSON.readTree(next.body()).get("pid").asLong());
        assertEquals(2, host.stats("sleeper").containersStarted());
    }

    @Test
    void staticInitializerThrows_shouldAnswerTheRuntimesInitErrorReport() throws Exception {
        // GIVEN a handler class whose static initialiser throws
        // WHEN it is invoked
        HttpResponse<String> response = invoke("broken-init", "RequestResponse", "{}");

        // THEN the invoke fails with the error the runtime posted to /init/error; the cause is in the logs
        assertEquals(200, response.statusCode());
        assertEquals("Unhandled", response.headers().firstValue("X-Amz-Function-Error").orElseThrow());
        JsonNode error = JSON.readTree(response.body());
        assertEquals("java.lang.ExceptionInInitializerError", error.get("errorType").asText());
        assertEquals("Error loading class " + FIXTURE + "InitFailureHandler", error.get("errorMessage").asText());
        assertTrue(LOGS.stream().anyMatch(line -> line.startsWith("[broken-init] Caused by: ")
                && line.endsWith("REQUIRED_SETTING is not set")), "init failure cause logged");
    }

    @Test
    void runtimeExitsMidInvocation_shouldAnswerExitErrorAndStartFreshContainer() throws Exception {
        // GIVEN a handler that halts its JVM when asked
        // WHEN it halts during an invocation
        HttpResponse<String> crashed = invoke("exiter", "RequestResponse", "{\"exit\":true}");

        // THEN Runtime.ExitError, and the next invocation gets a new container
        assertEquals(200, crashed.statusCode());
        JsonNode error = JSON.readTree(crashed.body());
        assertEquals("Runtime.ExitError", error.get("errorType").asText());
        assertTrue(error.get("errorMessage").asText().endsWith("Runtime exited with error: exit status 3"),
                crashed.body());
        HttpResponse<String> next = invoke("exiter", "RequestResponse", "{\"exit\":false}");
        assertEquals(200, next.statusCode(), next.body());
        assertFalse(next.headers().firstValue("X-Amz-Function-Error").isPresent());
    }

    @Test
    void streamHandler_shouldReceiveAndReturnRawBytes() throws Exception {
        // GIVEN a RequestStreamHandler that upper-cases its input
        // WHEN it is invoked with a JSON string
        HttpResponse<String> response = invoke("upper", "RequestResponse", "\"quiet please\"");

        // THEN the bytes come back untouched by any serializer, except for the case
        assertEquals(200, response.statusCode());
        assertEquals("\"QUIET PLEASE\"", response.body());
    }

    @Test
    void injectedServiceFault_shouldFailNextInvokesWithoutRunningTheFunction() throws Exception {
        // GIVEN two ServiceException faults injected through the admin endpoint
        HttpResponse<String> injected = admin("POST", "/_lambdahost/faults",
                "{\"function\":\"faulty\",\"error\":\"ServiceException\",\"status\":500,\"count\":2}");
        assertEquals(204, injected.statusCode(), injected.body());

        // WHEN the function is invoked three times
        HttpResponse<String> first = invoke("faulty", "RequestResponse", "{}");
        HttpResponse<String> second = invoke("faulty", "RequestResponse", "{}");
        HttpResponse<String> third = invoke("faulty", "RequestResponse", "{}");

        // THEN the first two fail as the service would, the third runs, and the counters tell it all
        assertEquals(500, first.statusCode());
        assertEquals("ServiceException", first.headers().firstValue("x-amzn-ErrorType").orElseThrow());
        assertEquals("Service", JSON.readTree(first.body()).get("Type").asText());
        assertTrue(JSON.readTree(first.body()).hasNonNull("message"), first.body());
        assertEquals(500, second.statusCode());
        assertEquals(200, third.statusCode(), third.body());
        JsonNode stats = functionStats("faulty");
        assertEquals(3, stats.get("invocations").asInt());
        assertEquals(2, stats.get("injectedFaults").asInt());
        assertEquals(1, stats.get("executions").asInt());
    }

    @Test
    void throttlingFault_shouldAnswer429UntilCleared() throws Exception {
        // GIVEN five TooManyRequestsException faults
        host.injectFault(ServiceFault.tooManyRequests("throttled", 5));

        // WHEN one invoke is throttled, the faults are cleared, and it is invoked again
        HttpResponse<String> throttled = invoke("throttled", "RequestResponse", "{}");
        HttpResponse<String> cleared = admin("DELETE", "/_lambdahost/faults", "");
        HttpResponse<String> after = invoke("throttled", "RequestResponse", "{}");

        // THEN 429 with the error code, then a normal run
        assertEquals(429, throttled.statusCode());
        assertEquals("TooManyRequestsException", throttled.headers().firstValue("x-amzn-ErrorType").orElseThrow());
        assertEquals(204, cleared.statusCode());
        assertEquals(200, after.statusCode(), after.body());
    }

    @Test
    void injectedCrash_shouldAnswerExitErrorAndServeTheNextInvokeFromAFreshContainer() throws Exception {
        // GIVEN a warm container, and a crash injected for the next invocation through the admin endpoint
        HttpResponse<String> warm = invoke("crashy", "RequestResponse", "{}");
        long firstPid = JSON.readTree(warm.body()).get("pid").asLong();
        HttpResponse<String> injected = admin("POST", "/_lambdahost/faults",
                "{\"function\":\"crashy\",\"kind\":\"crash\",\"count\":1}");
        assertEquals(204, injected.statusCode(), injected.body());

        // WHEN the function is invoked
        HttpResponse<String> crashed = invoke("crashy", "RequestResponse", "{}");

        // THEN the caller gets Runtime.ExitError as when a JVM is killed, and that JVM is gone
        assertEquals(200, crashed.statusCode());
        assertEquals("Unhandled", crashed.headers().firstValue("X-Amz-Function-Error").orElseThrow());
        JsonNode error = JSON.readTree(crashed.body());
        assertEquals("Runtime.ExitError", error.get("errorType").asText());
        assertTrue(error.get("errorMessage").asText().endsWith("Runtime exited with error: signal: killed"),
                crashed.body());
        assertTrue(exits(firstPid, Duration.ofSeconds(5)), "container killed");

        // AND the next invocation runs in a fresh container, and the counters tell it all
        HttpResponse<String> next = invoke("crashy", "RequestResponse", "{}");
        assertEquals(200, next.statusCode(), next.body());
        assertFalse(next.headers().firstValue("X-Amz-Function-Error").isPresent(), next.body());
        assertNotEquals(firstPid, JSON.readTree(next.body()).get("pid").asLong());
        JsonNode stats = functionStats("crashy");
        assertEquals(1, stats.get("injectedCrashes").asInt());
        assertEquals(2, stats.get("containersStarted").asInt());
    }

    @Test
    void crashesInjectedThroughJava_shouldHitTheNextCountInvocationsOnly() {
        // GIVEN two crashes injected for a function
        host.injectCrash("crashy-java", 2);

        // WHEN it is invoked three times through the Java API
        InvocationResult first = host.invoke("crashy-java", "{}");
        InvocationResult second = host.invoke("crashy-java", "{}");
        InvocationResult third = host.invoke("crashy-java", "{}");

        // THEN the first two crashed, each in its own container, and the third ran in a third one
        assertEquals("Runtime.ExitError", first.errorType());
        assertEquals("Runtime.ExitError", second.errorType());
        assertNull(third.errorType(), third.payload());
        assertEquals(2, host.stats("crashy-java").injectedCrashes());
        assertEquals(3, host.stats("crashy-java").containersStarted());
    }

    @Test
    void faultOfUnknownKind_shouldBeRefused() throws Exception {
        HttpResponse<String> response = admin("POST", "/_lambdahost/faults",
                "{\"function\":\"crashy\",\"kind\":\"meteor\"}");

        assertEquals(400, response.statusCode());
        assertTrue(JSON.readTree(response.body()).get("message").asText()
                .endsWith("expected \"service\" or \"crash\""), response.body());
    }

    @Test
    void unknownFunction_shouldAnswer404ResourceNotFound() throws Exception {
        // GIVEN no function named "missing"
        // WHEN it is invoked
        HttpResponse<String> response = invoke("missing", "RequestResponse", "{}");

        // THEN Lambda's ResourceNotFoundException
        assertEquals(404, response.statusCode());
        assertEquals("ResourceNotFoundException", response.headers().firstValue("x-amzn-ErrorType").orElseThrow());
        JsonNode body = JSON.readTree(response.body());
        assertEquals("User", body.get("Type").asText());
        assertEquals("Function not found: arn:aws:lambda:eu-west-1:123456789012:function:missing",
                body.get("Message").asText());
    }

    @Test
    void eventInvocation_shouldAnswer202AtOnceAndRecordTheResult() throws Exception {
        // GIVEN an echo function
        // WHEN it is invoked asynchronously
        HttpResponse<String> response = invoke("async", "Event", "{\"sleepMs\":300}");

        // THEN 202 with no payload, and the run completes in the background
        assertEquals(202, response.statusCode());
        assertEquals("", response.body());
        String requestId = response.headers().firstValue("x-amzn-RequestId").orElseThrow();
        List<InvocationResult> results = awaitAsyncResults("async", 1);
        assertEquals(requestId, results.get(0).requestId());
        assertFalse(results.get(0).isFunctionError(), results.get(0).payload());
    }

    @Test
    void dryRun_shouldAnswer204WithoutRunningTheFunction() throws Exception {
        // GIVEN a registered function
        long before = host.stats("thrower").executions();

        // WHEN it is invoked as DryRun
        HttpResponse<String> response = invoke("thrower", "DryRun", "{}");

        // THEN 204, and nothing ran
        assertEquals(204, response.statusCode());
        assertEquals(before, host.stats("thrower").executions());
    }

    @Test
    void moreConcurrentInvokesThanContainers_shouldScaleToTheMaximumThenQueue() throws Exception {
        // GIVEN a function allowed two containers (the default)
        // WHEN three slow invocations arrive at once
        List<Future<HttpResponse<String>>> calls;
        try (ExecutorService callers = Executors.newFixedThreadPool(3)) {
            calls = List.of(
                    callers.submit(() -> invoke("busy", "RequestResponse", "{\"sleepMs\":1500}")),
                    callers.submit(() -> invoke("busy", "RequestResponse", "{\"sleepMs\":1500}")),
                    callers.submit(() -> invoke("busy", "RequestResponse", "{\"sleepMs\":1500}")));
        }

        // THEN all succeed, served by exactly two containers, each handler constructed once in its own
        for (Future<HttpResponse<String>> call : calls) {
            HttpResponse<String> response = call.get();
            assertEquals(200, response.statusCode(), response.body());
            assertEquals(1, JSON.readTree(response.body()).get("constructions").asInt());
        }
        assertEquals(2, host.stats("busy").containersStarted());
    }

    @Test
    void javaInvoke_shouldReturnPayloadOrFunctionError() {
        // GIVEN the echo and thrower functions
        // WHEN they are invoked through the Java API
        InvocationResult ok = host.invoke("echo:live", "{\"via\":\"java\"}");
        InvocationResult failed = host.invoke("thrower", "{}");

        // THEN the payload, or the error with its type
        assertNull(ok.errorType());
        assertTrue(ok.payload().contains("\"via\":\"java\""), ok.payload());
        assertTrue(ok.payload().contains("\"invokedFunctionArn\":\"" + host.functionArn("echo") + ":live\""),
                ok.payload());
        assertEquals(FIXTURE + "ThrowingHandler$Boom", failed.errorType());
    }

    private static HttpResponse<String> invoke(String function, String type, String payload)
            throws IOException, InterruptedException {
        URI uri = host.endpoint().resolve("/2015-03-31/functions/"
                + URLEncoder.encode(function, StandardCharsets.UTF_8) + "/invocations");
        HttpRequest request = HttpRequest.newBuilder(uri)
                .header("X-Amz-Invocation-Type", type)
                .POST(HttpRequest.BodyPublishers.ofString(payload))
                .build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> admin(String method, String path, String body)
            throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(host.endpoint().resolve(path))
                .method(method, body.isEmpty()
                        ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body))
                .build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode functionStats(String name) throws IOException, InterruptedException {
        HttpResponse<String> response = admin("GET", "/_lambdahost/functions", "");
        for (JsonNode function : JSON.readTree(response.body()).get("functions")) {
            if (function.get("name").asText().equals(name)) {
                return function;
            }
        }
        throw new AssertionError("No stats for " + name + " in " + response.body());
    }

    private static boolean exits(long pid, Duration within) throws Exception {
        Optional<ProcessHandle> process = ProcessHandle.of(pid);
        if (process.isEmpty()) {
            return true;
        }
        try {
            process.get().onExit().get(within.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException stillAlive) {
            return false;
        }
    }

    private static List<InvocationResult> awaitAsyncResults(String name, int count) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            List<InvocationResult> results = host.asyncResults(name);
            if (results.size() >= count) {
                return results;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("No async result for " + name + " within 20 s");
    }
}
