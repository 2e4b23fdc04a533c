package io.personalizeimport.local.personalize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Oversized request bodies, sent over a raw socket: an HTTP client would insist on sending the whole body first,
 * and the point here is that the emulator answers without waiting for it.
 */
class RequestSizeLimitTest {

    private static final int LIMIT = PersonalizeEmulator.MAX_REQUEST_BYTES;

    private PersonalizeEmulator emulator;

    @BeforeEach
    void start() {
        emulator = PersonalizeEmulator.builder().build().start();
    }

    @AfterEach
    void stop() {
        emulator.close();
    }

    @Test
    void declaredLengthOverTheLimit_shouldBeRefusedBeforeTheBodyArrives() throws IOException {
        try (Socket socket = connect()) {
            // GIVEN a request declaring a 2 MiB body, of which only the first bytes are ever sent
            OutputStream out = socket.getOutputStream();
            out.write(headers("Content-Length: " + 2 * LIMIT));
            out.write("{\"datasetGroupArn\": \"".getBytes(StandardCharsets.US_ASCII));
            out.flush();

            // WHEN the answer is read THEN it is 413 with an awsJson error naming the limit
            String response = readResponse(socket.getInputStream());
            assertTrue(response.startsWith("HTTP/1.1 413 "), response);
            assertTrue(response.contains("\"__type\":\"RequestTooLargeException\""), response);
            assertTrue(response.contains("The request body of 2097152 bytes is larger than the emulator's limit of "
                    + "1048576 bytes"), response);
        }
    }

    @Test
    void chunkedBodyOverTheLimit_shouldBeRefusedOnceItPassesTheLimit() throws IOException {
        try (Socket socket = connect()) {
            // GIVEN a chunked body, no length declared, sent up to 32 KiB past the limit and never ended
            OutputStream out = socket.getOutputStream();
            out.write(headers("Transfer-Encoding: chunked"));
            byte[] chunk = new byte[32 * 1024];
            Arrays.fill(chunk, (byte) ' ');
            for (int sent = 0; sent <= LIMIT; sent += chunk.length) {
                out.write((Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(chunk);
                out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
            }
            out.flush();

            // WHEN the answer is read THEN it is 413 naming the limit
            String response = readResponse(socket.getInputStream());
            assertTrue(response.startsWith("HTTP/1.1 413 "), response);
            assertTrue(response.contains("The request body is larger than the emulator's limit of 1048576 bytes"),
                    response);
        }
    }

    private Socket connect() throws IOException {
        Socket socket = new Socket(emulator.endpoint().getHost(), emulator.endpoint().getPort());
        socket.setSoTimeout(10_000);
        return socket;
    }

    private byte[] headers(String lengthHeader) {
        return ("POST / HTTP/1.1\r\n"
                + "Host: 127.0.0.1:" + emulator.endpoint().getPort() + "\r\n"
                + "X-Amz-Target: AmazonPersonalize.DescribeDatasetGroup\r\n"
                + "Content-Type: application/x-amz-json-1.1\r\n"
                + lengthHeader + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    /** Reads the status line, headers and the Content-Length body of one response. */
    private static String readResponse(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int c = in.read();
            if (c == -1) {
                break;
            }
            head.append((char) c);
        }
        int length = 0;
        for (String line : head.toString().split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                length = Integer.parseInt(line.substring("content-length:".length()).strip());
            }
        }
        byte[] body = in.readNBytes(length);
        assertEquals(length, body.length, "whole body received");
        return head + new String(body, StandardCharsets.UTF_8);
    }
}
