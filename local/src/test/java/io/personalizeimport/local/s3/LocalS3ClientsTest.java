package io.personalizeimport.local.s3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * An upload over a kept-alive connection that the server closes as the upload arrives. LocalS3 cannot be made to do
 * that on purpose (it happened in CI, at random), so a small HTTP server on 127.0.0.1 stands in for it: it answers the
 * first request on its first connection, closes that connection when the next request's first bytes come, and answers
 * every request on later connections with 200. The clients are the real SDK S3 client over the URL-connection client.
 */
class LocalS3ClientsTest {

    private static final StaticCredentialsProvider CREDENTIALS =
            StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local-secret-key"));

    private ServerSocket server;
    private final AtomicInteger connections = new AtomicInteger();
    /** The connection being served; closed with the server, since the JDK keeps idle ones open for seconds. */
    private volatile Socket current;
    private Thread acceptor;

    @BeforeEach
    void startServer() throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        acceptor = Thread.ofVirtual().start(this::serve);
    }

    @AfterEach
    void stopServer() throws Exception {
        server.close();
        Socket open = current;
        if (open != null) {
            open.close();
        }
        acceptor.join(5_000);
    }

    @Test
    void anUploadOnAConnectionTheServerCloses_shouldBeSentAgainOnANewOne() {
        try (S3Client s3 = LocalS3Clients.client(endpoint(), Region.US_EAST_1, CREDENTIALS)) {
            // GIVEN a connection kept alive after a first request
            s3.headObject(head -> head.bucket("bucket").key("a.csv"));

            // WHEN an upload goes out on it and the server closes it
            s3.putObject(put -> put.bucket("bucket").key("b.csv"), RequestBody.fromString("USER_ID\nu1\n"));

            // THEN the SDK sent the upload again, on a second connection, and it succeeded
            assertEquals(2, connections.get());
        }
    }

    @Test
    void anUploadThatWaitsForContinue_shouldFailUnretriedOnAConnectionTheServerCloses() {
        // The reason for LocalS3Clients: a plain client's upload waits for 100 Continue, and the URL-connection client
        // reports the closed connection as an UncheckedIOException, which the SDK does not retry.
        try (S3Client s3 = S3Client.builder().endpointOverride(endpoint()).forcePathStyle(true)
                .region(Region.US_EAST_1).credentialsProvider(CREDENTIALS)
                .httpClient(UrlConnectionHttpClient.create()).build()) {
            s3.headObject(head -> head.bucket("bucket").key("a.csv"));

            UncheckedIOException failure = assertThrows(UncheckedIOException.class, () -> s3.putObject(
                    put -> put.bucket("bucket").key("b.csv"), RequestBody.fromString("USER_ID\nu1\n")));

            assertEquals("Unexpected end of file from server", failure.getCause().getMessage());
            assertEquals(1, connections.get());
        }
    }

    private URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getLocalPort());
    }

    private void serve() {
        while (!server.isClosed()) {
            try (Socket socket = server.accept()) {
                current = socket;
                int connection = connections.incrementAndGet();
                InputStream in = socket.getInputStream();
                OutputStream out = socket.getOutputStream();
                boolean first = true;
                while (true) {
                    if (connection == 1 && !first) {
                        // The next request's first bytes: close instead of answering.
                        in.read();
                        break;
                    }
                    String head = readHead(in);
                    if (head == null) {
                        break;
                    }
                    in.readNBytes(contentLength(head));
                    out.write(("HTTP/1.1 200 OK\r\nETag: \"e\"\r\nContent-Length: 0\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    first = false;
                }
            } catch (IOException e) {
                // The server socket closed at the end of the test, or a client went away: nothing more to serve.
            }
        }
    }

    /** A request's line and headers, or null when the client closed the connection. */
    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        byte[] end = "\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        int b;
        while ((b = in.read()) >= 0) {
            head.write(b);
            matched = b == end[matched] ? matched + 1 : (b == end[0] ? 1 : 0);
            if (matched == end.length) {
                return head.toString(StandardCharsets.US_ASCII);
            }
        }
        return null;
    }

    private static int contentLength(String head) {
        for (String line : head.split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                return Integer.parseInt(line.substring("content-length:".length()).trim());
            }
        }
        return 0;
    }
}
