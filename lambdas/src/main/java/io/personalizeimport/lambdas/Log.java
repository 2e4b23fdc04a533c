package io.personalizeimport.lambdas;

import io.personalizeimport.lambdas.json.Json;
import java.io.PrintStream;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

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

    /**
     * {@code fields} alternate names and values; null values are left out, and a value that is not text, a number, a
     * boolean, an enum, a collection, a map or a record is written as its text.
     */
    private static void write(String level, String message, Object... fields) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("level", level);
        line.put("message", message);
        for (int i = 0; i + 1 < fields.length; i += 2) {
            if (fields[i + 1] != null) {
                line.put(String.valueOf(fields[i]), loggable(fields[i + 1]));
            }
        }
        OUT.println(Json.write(line));
    }

    private static Object loggable(Object value) {
        return value instanceof CharSequence || value instanceof Number || value instanceof Boolean
                || value instanceof Enum<?> || value instanceof Collection<?> || value instanceof Map<?, ?>
                || value instanceof Record ? value : value.toString();
    }
}
