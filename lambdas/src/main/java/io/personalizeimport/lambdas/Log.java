package io.personalizeimport.lambdas;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;

/**
 * One JSON object per line on standard output, which Lambda sends to CloudWatch Logs: every decision names the job,
 * the dataset and the key, so Logs Insights can filter on them.
 */
public final class Log {

    private static final PrintStream OUT = System.out;

    private Log() {
    }

    public static void info(String message, Object... fields) {
        write("INFO", message, fields);
    }

    public static void warn(String message, Object... fields) {
        write("WARN", message, fields);
    }

    public static void error(String message, Object... fields) {
        write("ERROR", message, fields);
    }

    /** {@code fields} alternate names and values; null values are left out. */
    private static void write(String level, String message, Object... fields) {
        ObjectNode line = Json.MAPPER.createObjectNode();
        line.put("level", level);
        line.put("message", message);
        for (int i = 0; i + 1 < fields.length; i += 2) {
            if (fields[i + 1] != null) {
                line.set(String.valueOf(fields[i]), Json.MAPPER.valueToTree(fields[i + 1]));
            }
        }
        try {
            OUT.println(Json.MAPPER.writeValueAsString(line));
        } catch (JsonProcessingException e) {
            OUT.println("{\"level\":\"ERROR\",\"message\":\"log line not serializable: " + e.getOriginalMessage() + "\"}");
        }
    }
}
