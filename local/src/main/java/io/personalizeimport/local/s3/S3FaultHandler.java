package io.personalizeimport.local.s3;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.personalizeimport.local.faults.Fault;
import io.personalizeimport.local.faults.FaultInjector;
import io.personalizeimport.local.faults.FaultJson;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.gaul.shaded.org.eclipse.jetty.server.Handler;
import org.gaul.shaded.org.eclipse.jetty.server.Request;
import org.gaul.shaded.org.eclipse.jetty.server.Response;
import org.gaul.shaded.org.eclipse.jetty.util.Callback;

/**
 * Sits in front of S3Proxy in its Jetty handler chain: answers injected faults in S3's XML error format before
 * S3Proxy sees the request, and serves the fault admin endpoint {@value LocalS3#FAULTS_PATH}, a path no bucket can
 * have, since bucket names cannot contain '_'.
 */
final class S3FaultHandler extends Handler.Wrapper {

    // A fault is a few hundred bytes of JSON.
    private static final int MAX_ADMIN_BODY = 64 * 1024;

    private final FaultInjector faults;
    private final ObjectMapper json = new ObjectMapper();

    S3FaultHandler(FaultInjector faults) {
        this.faults = faults;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String path = request.getHttpURI().getPath();
        if (LocalS3.FAULTS_PATH.equals(path)) {
            admin(request, response, callback);
            return true;
        }
        String operation = S3OperationName.of(request.getMethod(), path, request.getHttpURI().getQuery(),
                request.getHeaders().contains("x-amz-copy-source"));
        Optional<Fault> drawn = faults.draw(operation);
        if (drawn.isEmpty()) {
            return super.handle(request, response, callback);
        }
        Fault fault = drawn.get();
        LocalS3.log(operation + " " + path + ": injecting " + fault);
        if (fault.latencyMillis() > 0) {
            try {
                Thread.sleep(fault.latencyMillis());
            } catch (InterruptedException e) {
                // The server is stopping; the request ends unanswered, as it would on a real shutdown.
                Thread.currentThread().interrupt();
                callback.failed(e);
                return true;
            }
        }
        if (fault.error() == null) {
            return super.handle(request, response, callback);
        }
        answerError(request, response, callback, fault);
        return true;
    }

    private static void answerError(Request request, Response response, Callback callback, Fault fault)
            throws IOException {
        // Read the upload first, as if S3 failed after receiving it: answering an "Expect: 100-continue" request
        // before its body makes the SDK's URL-connection client drop the error document (aws-sdk-java-v2 PR 3050),
        // and the caller would see the status without the code. Reading streams to nowhere; nothing is kept.
        try (InputStream body = Request.asInputStream(request)) {
            body.transferTo(OutputStream.nullOutputStream());
        }
        String requestId = HexFormat.of().withUpperCase().formatHex(randomBytes(8));
        response.setStatus(fault.status());
        response.getHeaders().put("x-amz-request-id", requestId);
        if ("HEAD".equals(request.getMethod())) {
            // S3 answers a failed HEAD with its status alone: a HEAD response has no body to hold the error.
            callback.succeeded();
            return;
        }
        String xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>" + escape(fault.error())
                + "</Code><Message>" + escape(fault.messageOrDefault()) + "</Message><RequestId>" + requestId
                + "</RequestId></Error>";
        response.getHeaders().put("Content-Type", "application/xml");
        response.write(true, ByteBuffer.wrap(xml.getBytes(StandardCharsets.UTF_8)), callback);
    }

    private void admin(Request request, Response response, Callback callback) throws Exception {
        int status = 200;
        Object body;
        switch (request.getMethod()) {
            case "GET" -> body = FaultJson.write(json, faults);
            case "POST" -> {
                try (InputStream in = Request.asInputStream(request)) {
                    byte[] bytes = in.readNBytes(MAX_ADMIN_BODY + 1);
                    if (bytes.length > MAX_ADMIN_BODY) {
                        throw new IllegalArgumentException("A fault is at most " + MAX_ADMIN_BODY + " bytes of JSON");
                    }
                    Fault fault = FaultJson.parse(json.readTree(bytes));
                    body = FaultJson.write(json, faults.arm(fault));
                    LocalS3.log("fault injected: " + fault);
                } catch (IllegalArgumentException | JsonProcessingException e) {
                    status = 400;
                    body = error("InvalidFault", e.getMessage());
                }
            }
            case "DELETE" -> {
                faults.clear();
                response.setStatus(204);
                callback.succeeded();
                return;
            }
            default -> {
                status = 405;
                body = error("MethodNotAllowed", "Use GET, POST or DELETE on " + LocalS3.FAULTS_PATH);
            }
        }
        response.setStatus(status);
        response.getHeaders().put("Content-Type", "application/json");
        response.write(true, ByteBuffer.wrap(json.writeValueAsBytes(body)), callback);
    }

    private JsonNode error(String code, String message) {
        return json.createObjectNode().put("error", code).put("message", message);
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private static byte[] randomBytes(int count) {
        byte[] bytes = new byte[count];
        ThreadLocalRandom.current().nextBytes(bytes);
        return bytes;
    }
}
