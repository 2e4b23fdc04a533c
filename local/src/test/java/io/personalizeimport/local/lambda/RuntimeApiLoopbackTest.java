package io.personalizeimport.local.lambda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A container's Runtime API, on a port of its own, answers its runtime client and no page of another site. */
class RuntimeApiLoopbackTest {

    @TempDir
    static Path tempDir;

    private static LambdaHost host;
    private static int runtimePort;

    @BeforeAll
    static void start() throws Exception {
        host = LambdaHost.builder().region("us-east-1").build();
        host.register(FunctionConfig.of("runtime-api",
                "io.personalizeimport.local.lambda.fixture.RuntimeApiHandler::handleRequest",
                FixtureJar.build(tempDir)));
        host.start();
        // The invocation itself proves the runtime interface client passes the check.
        InvocationResult result = host.invoke("runtime-api", "{}");
        String address = new ObjectMapper().readValue(result.payload(), String.class);
        runtimePort = URI.create("http://" + address).getPort();
    }

    @AfterAll
    static void stop() {
        host.close();
    }

    @Test
    void foreignHost_shouldBeRefused() throws Exception {
        // GIVEN a page of another site whose name resolves to 127.0.0.1, asking for the next event
        String answer;
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), runtimePort)) {
            OutputStream out = socket.getOutputStream();
            out.write(("GET /2018-06-01/runtime/invocation/next HTTP/1.1\r\nHost: evil.example:" + runtimePort
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            answer = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }

        // THEN it is refused at once, naming the Host it sent
        assertTrue(answer.startsWith("HTTP/1.1 403"), answer);
        assertTrue(answer.contains("Host 'evil.example:" + runtimePort + "' is not this server's"), answer);
    }

    @Test
    void responseFromForeignOrigin_shouldBeRefused() throws Exception {
        // GIVEN a page of another site posting a forged result
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + runtimePort
                        + "/2018-06-01/runtime/invocation/forged/response"))
                .header("Origin", "https://evil.example")
                .POST(HttpRequest.BodyPublishers.ofString("\"forged\"")).build();

        // WHEN it reaches the Runtime API
        HttpResponse<String> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());

        // THEN it is refused, naming the Origin
        assertEquals(403, response.statusCode(), response.body());
        assertTrue(response.body().contains("Origin 'https://evil.example' is not this server's"), response.body());
    }

    @Test
    void textPlainResult_shouldBeRefused() throws Exception {
        // GIVEN a text/plain result, which a page of any site may send without a CORS preflight
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + runtimePort
                        + "/2018-06-01/runtime/invocation/forged/response"))
                .header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString("\"forged\"")).build();

        // WHEN it reaches the Runtime API
        HttpResponse<String> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());

        // THEN it is refused, naming what the Runtime API takes
        assertEquals(415, response.statusCode(), response.body());
        assertTrue(response.body().contains("takes a function's result or error as JSON"), response.body());
    }
}
