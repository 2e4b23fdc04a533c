package io.personalizeimport.local.faults;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The JSON form of faults on the emulators' admin endpoints. A posted fault:
 * <pre>{"operation": "GetObject" | "*", "error": "SlowDown", "status": 503, "count": 3 | "unlimited",
 *  "probability": 0.3, "seed": 42, "latencyMillis": 0, "message": "..."}</pre>
 * Only {@code operation} is required, plus {@code error} or {@code latencyMillis}. {@code status} defaults to
 * {@link Fault#defaultStatus}; {@code count} defaults to 1 without a {@code probability} and to unlimited with one
 * ({@value Fault#UNLIMITED} also means unlimited); {@code probability} defaults to 1.
 */
public final class FaultJson {

    private FaultJson() {
    }

    /** Reads a posted fault; throws {@link IllegalArgumentException} naming what is missing or wrong. */
    public static Fault parse(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw new IllegalArgumentException("Expected a JSON object such as {\"operation\": \"*\", "
                    + "\"error\": \"ThrottlingException\", \"probability\": 0.3}");
        }
        String operation = body.path("operation").asText(null);
        if (operation == null) {
            throw new IllegalArgumentException("\"operation\" is required: an operation name such as "
                    + "CreateDatasetImportJob or GetObject, or \"*\" for every operation");
        }
        String error = body.path("error").asText(null);
        int status = body.has("status") ? integer(body, "status") : Fault.defaultStatus(error);
        boolean random = body.has("probability");
        double probability = random ? number(body, "probability").doubleValue() : 1;
        int count = count(body.get("count"), random);
        long latency = body.has("latencyMillis") ? number(body, "latencyMillis").longValue() : 0;
        String message = body.path("message").asText(null);
        Long seed = body.hasNonNull("seed") ? number(body, "seed").longValue() : null;
        return new Fault(operation, error, status, count, latency, message, probability, seed);
    }

    /** The seed and every fault armed since the last clear, with its counters, in arming order. */
    public static ObjectNode write(ObjectMapper json, FaultInjector injector) {
        ObjectNode out = json.createObjectNode();
        out.put("seed", injector.seed());
        ArrayNode faults = out.putArray("faults");
        injector.stats().forEach(stats -> faults.add(write(json, stats)));
        return out;
    }

    /** One fault with its counters. */
    public static ObjectNode write(ObjectMapper json, FaultStats stats) {
        Fault fault = stats.fault();
        ObjectNode out = json.createObjectNode()
                .put("id", stats.id())
                .put("operation", fault.operation());
        if (fault.error() != null) {
            out.put("error", fault.error()).put("status", fault.status()).put("message", fault.messageOrDefault());
        }
        out.put("latencyMillis", fault.latencyMillis())
                .put("count", fault.count())
                .put("probability", fault.probability());
        if (fault.seed() != null) {
            out.put("seed", fault.seed());
        }
        return out.put("matched", stats.matched())
                .put("injected", stats.injected())
                .put("remaining", stats.remaining());
    }

    private static int count(JsonNode count, boolean random) {
        if (count == null || count.isNull()) {
            return random ? Fault.UNLIMITED : 1;
        }
        if (count.isTextual() && count.asText().equals("unlimited")) {
            return Fault.UNLIMITED;
        }
        if (!count.isIntegralNumber() || !count.canConvertToInt()) {
            throw new IllegalArgumentException("\"count\" must be a whole number of at least 1, or \"unlimited\", was "
                    + count);
        }
        return count.intValue();
    }

    private static int integer(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (!value.isIntegralNumber() || !value.canConvertToInt()) {
            throw new IllegalArgumentException("\"" + field + "\" must be a whole number, was " + value);
        }
        return value.intValue();
    }

    private static Number number(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (!value.isNumber()) {
            throw new IllegalArgumentException("\"" + field + "\" must be a number, was " + value);
        }
        return value.numberValue();
    }
}
