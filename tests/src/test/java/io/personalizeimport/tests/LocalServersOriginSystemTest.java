package io.personalizeimport.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.personalizeimport.local.console.ConsoleServer;
import io.personalizeimport.local.stack.LocalStack;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.services.dynamodb.model.DescribeTableRequest;
import software.amazon.awssdk.services.personalize.model.ListDatasetImportJobsRequest;
import software.amazon.awssdk.services.s3.model.HeadBucketRequest;
import software.amazon.awssdk.services.sfn.model.ListExecutionsRequest;

/**
 * Every server of the local stack answers only its own loopback clients: a page of another site, by DNS rebinding
 * (a Host of its own), by a POST from its origin or by a form's content type, is refused with a reason.
 */
class LocalServersOriginSystemTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String EVIL = "https://evil.example";

    private static LocalStack stack;
    private static ConsoleServer console;

    /** A request that changes state on one server, with the type its own clients send. */
    record Server(String name, URI endpoint, String method, String path, String contentType, boolean refusesFormTypes) {

        URI uri() {
            return endpoint.resolve(path);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    @BeforeAll
    static void startConsole() {
        stack = SharedStack.get();
        console = ConsoleServer.start(stack, SharedStack.repositoryRoot(), 0, System.err::println);
    }

    @AfterAll
    static void stopConsole() {
        console.close();
    }

    static Stream<Server> servers() {
        LocalStack local = SharedStack.get();
        return Stream.of(
                new Server("console", console.endpoint(), "POST", "/api/upload?route=users&name=origin-check.csv",
                        "text/csv", true),
                new Server("s3", local.s3().endpoint(), "PUT", "/" + LocalStack.BUCKET + "/origin-check.csv",
                        "text/csv", false),
                new Server("personalize", local.personalize().endpoint(), "POST", "/",
                        "application/x-amz-json-1.1", true),
                new Server("personalize admin", local.personalize().endpoint(), "POST", "/_emulator/faults",
                        "application/json", false),
                new Server("lambda", local.lambdaHost().endpoint(), "POST",
                        "/2015-03-31/functions/trigger/invocations", "application/json", true),
                new Server("lambda admin", local.lambdaHost().endpoint(), "POST", "/_lambdahost/faults",
                        "application/json", false),
                new Server("stepfunctions", local.stepFunctions().endpoint(), "POST", "/",
                        "application/x-amz-json-1.0", true),
                new Server("dynamodb", local.dynamoDb().endpoint(), "POST", "/", "application/x-amz-json-1.0", true),
                new Server("eventbridge", local.eventBridge().endpoint(), "POST", "/",
                        "application/x-amz-json-1.1", true));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("servers")
    void foreignHost_shouldBeRefusedNamingTheHostReceivedAndExpected(Server server) throws IOException {
        // GIVEN a page of evil.example whose name now resolves to 127.0.0.1 (DNS rebinding)
        int port = server.endpoint().getPort();
        String host = "evil.example:" + port;

        // WHEN it reads from the server (java.net.http sets Host itself, so the request is written by hand)
        RawAnswer answer = RawAnswer.of(port, "GET " + server.uri().getRawPath() + " HTTP/1.1\r\nHost: " + host
                + "\r\nConnection: close\r\n\r\n");

        // THEN the server refuses it, naming the Host it received and the ones it answers
        assertEquals(403, answer.status(), answer.text());
        String message = MAPPER.readTree(answer.body()).path("message").asText();
        assertTrue(message.contains("Host '" + host + "' is not this server's"), message);
        assertTrue(message.contains("127.0.0.1:" + port + ", localhost:" + port), message);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("servers")
    void stateChangeWithForeignOrigin_shouldBeRefused(Server server) throws Exception {
        // GIVEN a page of another site sending what the server's own clients send
        HttpRequest request = HttpRequest.newBuilder(server.uri())
                .header("Origin", EVIL)
                .header("Content-Type", server.contentType())
                .method(server.method(), HttpRequest.BodyPublishers.ofString("{}"))
                .build();

        // WHEN it reaches the server
        HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());

        // THEN it is refused, naming the Origin and the server's own
        assertEquals(403, response.statusCode(), response.body());
        String message = MAPPER.readTree(response.body()).path("message").asText();
        assertTrue(message.contains("Origin '" + EVIL + "' is not this server's"), message);
        assertTrue(message.contains("http://127.0.0.1:" + server.endpoint().getPort()), message);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("servers")
    void textPlainWithoutOrigin_shouldBeRefusedWhereTheEndpointTakesAnotherType(Server server) throws Exception {
        // GIVEN a text/plain body, which any page may send without a CORS preflight
        HttpRequest request = HttpRequest.newBuilder(server.uri())
                .header("Content-Type", "text/plain;charset=UTF-8")
                .method(server.method(), HttpRequest.BodyPublishers.ofString("{}"))
                .build();

        // WHEN it reaches the server
        HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());

        // THEN an endpoint that takes another type refuses it, naming the type and what it takes; S3 objects and
        // the fault endpoints (fed by curl -d) take any type, guarded by Host and Origin alone
        if (server.refusesFormTypes()) {
            assertEquals(415, response.statusCode(), response.body());
            String message = MAPPER.readTree(response.body()).path("message").asText();
            assertTrue(message.contains("Content-Type 'text/plain' is refused"), message);
            assertTrue(message.contains("this endpoint takes "), message);
        } else {
            assertFalse(response.statusCode() == 415, response.body());
            assertFalse(response.body().contains("Content-Type 'text/plain' is refused"), response.body());
        }
    }

    @Test
    void consoleFromItsOwnPageAtLocalhost_shouldReadAndTakeACsvPost() throws Exception {
        // GIVEN the console opened as http://localhost:PORT
        URI page = URI.create("http://localhost:" + console.endpoint().getPort() + "/");

        // WHEN the page reads the routes and posts a CSV (without a route, so nothing is uploaded)
        HttpResponse<String> routes = HTTP.send(HttpRequest.newBuilder(page.resolve("api/routes"))
                .header("Sec-Fetch-Site", "same-origin").build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> upload = HTTP.send(HttpRequest.newBuilder(page.resolve("api/upload?name=x.csv"))
                .header("Origin", "http://localhost:" + console.endpoint().getPort())
                .header("Sec-Fetch-Site", "same-origin")
                .header("Content-Type", "text/csv")
                .POST(HttpRequest.BodyPublishers.ofString("USER_ID\nu1\n")).build(),
                HttpResponse.BodyHandlers.ofString());

        // THEN both pass the check and reach the console itself
        assertEquals(200, routes.statusCode(), routes.body());
        assertEquals(400, upload.statusCode(), upload.body());
        assertEquals("The query parameter 'route' is required", MAPPER.readTree(upload.body()).path("error").asText());
    }

    @Test
    void sdkClients_shouldStillBeAnswered() {
        // GIVEN the SDK clients the CLI and the functions use, each naming 127.0.0.1:PORT
        // WHEN they call each AWS API the stack serves, THEN each is answered
        stack.s3Client().headBucket(HeadBucketRequest.builder().bucket(LocalStack.BUCKET).build());
        stack.personalizeClient().listDatasetImportJobs(ListDatasetImportJobsRequest.builder().build());
        stack.sfnClient().listExecutions(ListExecutionsRequest.builder().stateMachineArn(stack.stateMachineArn())
                .build());
        stack.dynamoDbClient().describeTable(DescribeTableRequest.builder().tableName(LocalStack.LEDGER_TABLE).build());
        List<String> hosts = new ArrayList<>();
        stack.endpoints().values().forEach(endpoint -> hosts.add(endpoint.getHost()));
        assertTrue(hosts.stream().allMatch("127.0.0.1"::equals), "every server is on 127.0.0.1: " + hosts);
    }

    /** An HTTP/1.1 answer read whole from a socket. */
    private record RawAnswer(int status, String text) {

        static RawAnswer of(int port, String request) throws IOException {
            try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
                OutputStream out = socket.getOutputStream();
                out.write(request.getBytes(StandardCharsets.US_ASCII));
                out.flush();
                InputStream in = socket.getInputStream();
                String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                return new RawAnswer(Integer.parseInt(text.substring("HTTP/1.1 ".length(), "HTTP/1.1 ".length() + 3)),
                        text);
            }
        }

        String body() {
            return text.substring(text.indexOf("\r\n\r\n") + 4);
        }
    }
}
