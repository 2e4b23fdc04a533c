package io.personalizeimport.local.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LoopbackOnlyTest {

    private static final int PORT = 4566;
    private static final LoopbackOnly AWS_JSON = LoopbackOnly.taking("application/x-amz-json-1.1");

    private HttpServer server;

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            try (exchange) {
                exchange.getRequestBody().readAllBytes();
                exchange.sendResponseHeaders(204, -1);
            }
        }).getFilters().add(AWS_JSON.filter());
        server.start();
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    private static LoopbackOnly.Request post(String host, String origin, String contentType) {
        return new LoopbackOnly.Request("POST", "/", PORT, host, origin, null, contentType);
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1:4566", "localhost:4566", "LOCALHOST:4566", "[::1]:4566"})
    void ownLoopbackHostWithoutOrigin_shouldBeAnswered(String host) {
        assertEquals(Optional.empty(), AWS_JSON.check(post(host, null, "application/x-amz-json-1.1")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"evil.example:4566", "127.0.0.1:4567", "127.0.0.1", "localhost", "127.0.0.2:4566",
        "localhost.:4566", "0.0.0.0:4566"})
    void foreignHost_shouldBeRefusedNamingWhatWasExpected(String host) {
        LoopbackOnly.Refusal refusal = AWS_JSON.check(
                new LoopbackOnly.Request("GET", "/", PORT, host, null, null, null)).orElseThrow();

        assertEquals(403, refusal.status());
        assertTrue(refusal.message().contains("Host '" + host + "' is not this server's"), refusal.message());
        assertTrue(refusal.message().contains("127.0.0.1:4566, localhost:4566, [::1]:4566"), refusal.message());
    }

    @Test
    void missingHost_shouldBeRefused() {
        LoopbackOnly.Refusal refusal = AWS_JSON.check(post(null, null, "application/x-amz-json-1.1")).orElseThrow();

        assertEquals(403, refusal.status());
        assertTrue(refusal.message().startsWith("No Host header"), refusal.message());
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://evil.example", "http://127.0.0.1:4567", "null", "https://127.0.0.1:4566"})
    void postWithForeignOrigin_shouldBeRefused(String origin) {
        LoopbackOnly.Refusal refusal = AWS_JSON.check(post("127.0.0.1:4566", origin, "application/x-amz-json-1.1"))
                .orElseThrow();

        assertEquals(403, refusal.status());
        assertEquals("AccessDeniedException", refusal.error());
        assertTrue(refusal.message().contains("Origin '" + origin + "' is not this server's"), refusal.message());
        assertTrue(refusal.message().contains("http://127.0.0.1:4566"), refusal.message());
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://127.0.0.1:4566", "http://localhost:4566"})
    void postFromOwnOrigin_shouldBeAnswered(String origin) {
        assertEquals(Optional.empty(), AWS_JSON.check(post("localhost:4566", origin, "application/x-amz-json-1.1")));
    }

    @Test
    void getWithForeignOrigin_shouldBeAnswered() {
        // The same-origin policy keeps the answer from the foreign page; only the Host guards reads.
        assertEquals(Optional.empty(), AWS_JSON.check(
                new LoopbackOnly.Request("GET", "/", PORT, "127.0.0.1:4566", "https://evil.example", null, null)));
    }

    @Test
    void postFromCrossSitePageWithoutOrigin_shouldBeRefused() {
        LoopbackOnly.Refusal refusal = AWS_JSON.check(new LoopbackOnly.Request("POST", "/", PORT, "127.0.0.1:4566",
                null, "cross-site", "application/x-amz-json-1.1")).orElseThrow();

        assertEquals(403, refusal.status());
        assertTrue(refusal.message().startsWith("Sec-Fetch-Site 'cross-site'"), refusal.message());
    }

    @ParameterizedTest
    @ValueSource(strings = {"text/plain", "text/plain;charset=UTF-8", "application/x-www-form-urlencoded",
        "Multipart/Form-Data; boundary=x"})
    void postOfTypeAnyPageMaySend_shouldBeRefusedNamingWhatTheEndpointTakes(String type) {
        LoopbackOnly.Refusal refusal = AWS_JSON.check(post("127.0.0.1:4566", null, type)).orElseThrow();

        assertEquals(415, refusal.status());
        assertEquals("UnsupportedMediaTypeException", refusal.error());
        assertTrue(refusal.message().contains("takes application/x-amz-json-1.1"), refusal.message());
    }

    @Test
    void formTypeUnderAnyTypePrefix_shouldBeAnswered() {
        LoopbackOnly check = AWS_JSON.anyTypeUnder("/_emulator/");

        assertEquals(Optional.empty(), check.check(new LoopbackOnly.Request("POST", "/_emulator/faults", PORT,
                "127.0.0.1:4566", null, null, "application/x-www-form-urlencoded")));
        assertEquals(415, check.check(post("127.0.0.1:4566", null, "text/plain")).orElseThrow().status());
    }

    @Test
    void anyTypeEndpoint_shouldTakeTextPlainButNotAForeignOrigin() {
        assertEquals(Optional.empty(), LoopbackOnly.anyType().check(post("127.0.0.1:4566", null, "text/plain")));
        assertEquals(403, LoopbackOnly.anyType().check(post("127.0.0.1:4566", "https://evil.example", "text/csv"))
                .orElseThrow().status());
    }

    @Test
    void filter_shouldAnswerAClientOfItsOwnAddress() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                        "http://localhost:" + server.getAddress().getPort() + "/"))
                .header("Content-Type", "application/x-amz-json-1.1")
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());

        assertEquals(204, response.statusCode());
    }

    @Test
    void filter_shouldRefuseAForeignHostWithItsReasonAsJson() throws Exception {
        int port = server.getAddress().getPort();
        String answer;
        // java.net.http does not let a caller set Host, so the request is written by hand.
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            OutputStream out = socket.getOutputStream();
            out.write(("GET / HTTP/1.1\r\nHost: evil.example:" + port + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            answer = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }

        assertTrue(answer.startsWith("HTTP/1.1 403"), answer);
        JsonNode body = new ObjectMapper().readTree(answer.substring(answer.indexOf("\r\n\r\n") + 4));
        assertEquals("AccessDeniedException", body.path("__type").asText());
        assertTrue(body.path("message").asText().contains("Host 'evil.example:" + port + "' is not this server's"),
                body.toString());
    }
}
