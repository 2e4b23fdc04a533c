package io.personalizeimport.local.dynamodb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.DoubleAdder;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Counts the read and write request units DynamoDB Local's own accounting gives each item operation, so a bench can
 * price the ledger's work as on-demand billing does: every item request is passed on with {@code ReturnConsumedCapacity}
 * {@code TOTAL} when it asked for none, and the {@code ConsumedCapacity} of the answer is added up (DynamoDB Local
 * rounds items up to 4 KB per read and 1 KB per write, halves eventually consistent reads and doubles transactions,
 * as the on-demand pricing page bills them). Such answers carry a {@code ConsumedCapacity} the caller did not ask for,
 * which the SDK reads and the functions ignore.
 */
final class CapacityCounter extends Handler.Wrapper {

    private static final String TARGET_PREFIX = "DynamoDB_20120810.";
    private static final Set<String> ITEM_OPERATIONS = Set.of("GetItem", "PutItem", "UpdateItem", "DeleteItem",
            "Query", "Scan", "BatchGetItem", "BatchWriteItem", "TransactGetItems", "TransactWriteItems");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final DoubleAdder readUnits = new DoubleAdder();
    private final DoubleAdder writeUnits = new DoubleAdder();

    CapacityCounter(Handler next) {
        super(next);
    }

    /** The read and write request units counted since start. */
    RequestUnits units() {
        return new RequestUnits(readUnits.sum(), writeUnits.sum());
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String target = request.getHeaders().get("X-Amz-Target");
        if (request.getHeaders().contains(LocalDynamoDb.UNCOUNTED_HEADER)) {
            // An observer's read, such as the bench's look at the ledger: not the pipeline's cost.
            return super.handle(request, response, callback);
        }
        if (target == null || !target.startsWith(TARGET_PREFIX)
                || !ITEM_OPERATIONS.contains(target.substring(TARGET_PREFIX.length()))) {
            return super.handle(request, response, callback);
        }
        String operation = target.substring(TARGET_PREFIX.length());
        byte[] body = askingForCapacity(Content.Source.asByteBuffer(request));
        return super.handle(new WithBody(request, body), new Counted(response, operation), callback);
    }

    private static byte[] askingForCapacity(ByteBuffer content) throws IOException {
        byte[] bytes = new byte[content.remaining()];
        content.get(bytes);
        JsonNode body = JSON.readTree(bytes);
        if (!(body instanceof ObjectNode object) || !"NONE".equals(object.path("ReturnConsumedCapacity").asText("NONE"))) {
            return bytes;
        }
        object.put("ReturnConsumedCapacity", "TOTAL");
        return JSON.writeValueAsBytes(object);
    }

    private void count(String operation, byte[] answer) {
        JsonNode consumed;
        try {
            consumed = JSON.readTree(answer).path("ConsumedCapacity");
        } catch (IOException e) {
            return;
        }
        // Batches and transactions answer a list, one entry per table; the others one object.
        for (JsonNode table : consumed.isArray() ? consumed : List.of(consumed)) {
            double read = table.path("ReadCapacityUnits").asDouble(0);
            double write = table.path("WriteCapacityUnits").asDouble(0);
            if (read == 0 && write == 0) {
                // Without the split, the operation says which kind its CapacityUnits are.
                double units = table.path("CapacityUnits").asDouble(0);
                boolean reads = operation.startsWith("Get") || operation.equals("Query") || operation.equals("Scan")
                        || operation.equals("BatchGetItem") || operation.equals("TransactGetItems");
                (reads ? readUnits : writeUnits).add(units);
            } else {
                readUnits.add(read);
                writeUnits.add(write);
            }
        }
    }

    /** The request with {@code body} as its content and length. */
    private static final class WithBody extends Request.Wrapper {
        private final HttpFields headers;
        private Content.Chunk chunk;

        WithBody(Request request, byte[] body) {
            super(request);
            HttpFields.Mutable copy = HttpFields.build(request.getHeaders());
            copy.put(new HttpField(HttpHeader.CONTENT_LENGTH, Integer.toString(body.length)));
            this.headers = copy.asImmutable();
            this.chunk = Content.Chunk.from(ByteBuffer.wrap(body), true);
        }

        @Override
        public HttpFields getHeaders() {
            return headers;
        }

        @Override
        public long getLength() {
            return chunk == null ? 0 : chunk.remaining();
        }

        @Override
        public synchronized Content.Chunk read() {
            if (chunk == null) {
                return Content.Chunk.EOF;
            }
            Content.Chunk next = chunk;
            chunk = null;
            return next;
        }

        @Override
        public void demand(Runnable demandCallback) {
            demandCallback.run();
        }
    }

    /** The response, its bytes seen on their way to the client. */
    private final class Counted extends Response.Wrapper {
        private final String operation;
        private final ByteArrayOutputStream answer = new ByteArrayOutputStream();

        Counted(Response response, String operation) {
            super(response.getRequest(), response);
            this.operation = operation;
        }

        @Override
        public void write(boolean last, ByteBuffer content, Callback callback) {
            if (content != null) {
                ByteBuffer copy = content.asReadOnlyBuffer();
                byte[] bytes = new byte[copy.remaining()];
                copy.get(bytes);
                synchronized (answer) {
                    answer.writeBytes(bytes);
                }
            }
            if (last) {
                synchronized (answer) {
                    count(operation, answer.toByteArray());
                }
            }
            super.write(last, content, callback);
        }
    }
}
