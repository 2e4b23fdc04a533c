package io.personalizeimport.lambdas;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One JSON object per line on standard output, which Lambda sends to CloudWatch Logs: every decision names the job,
 * the dataset and the key, so Logs Insights can filter on them. Written with {@link JsonText}.
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
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("level", level);
        line.put("message", message);
        for (int i = 0; i + 1 < fields.length; i += 2) {
            if (fields[i + 1] != null) {
                line.put(String.valueOf(fields[i]), fields[i + 1]);
            }
        }
        OUT.println(new String(JsonText.write(line), StandardCharsets.UTF_8));
    }
}
