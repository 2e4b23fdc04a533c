package io.personalizeimport.lambdas.lane;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * A CSV file's records by their USER_ID, read a record at a time as {@link CsvRecords} reads them: the user ids of a list
 * of users, and a copy of a file without the records of some users, every other byte kept.
 */
public final class UserRows {

    /** The column that names a record's user, found in the header whatever its case (as the preflight compares names). */
    static final String USER_ID = "USER_ID";

    private UserRows() {
    }

    /**
     * The user ids a list names, in its USER_ID column.
     *
     * @throws IllegalArgumentException when the list has no USER_ID column
     */
    public static Set<String> ids(InputStream list, String name) {
        Records records = new Records(list);
        int column = column(records, name);
        Set<String> ids = new HashSet<>();
        while (records.next()) {
            if (!records.isBlank()) {
                String id = records.field(column);
                if (id != null) {
                    ids.add(id);
                }
            }
        }
        return ids;
    }

    /**
     * What a filtered copy holds.
     *
     * @param kept the records it kept, as {@link CsvRecords} counts them
     * @param leftOut how many records were left out, by the name the caller gave, in the order first met
     */
    public record Filtered(long kept, Map<String, Long> leftOut) {
    }

    /**
     * Copies {@code csv} to {@code out} without the records whose user {@code leftOutBy} names a list for (null keeps the
     * record); the header, blank lines, line breaks and every kept record stay byte for byte. A file without a USER_ID
     * column is copied whole.
     */
    public static Filtered filter(InputStream csv, OutputStream out, Function<String, String> leftOutBy) {
        Records records = new Records(csv);
        Map<String, Long> leftOut = new LinkedHashMap<>();
        long kept = 0;
        int column = -1;
        boolean header = true;
        try {
            while (records.next()) {
                if (header && !records.isBlank()) {
                    header = false;
                    column = records.fields().stream().map(UserRows::columnName).toList().indexOf(USER_ID);
                } else if (!records.isBlank()) {
                    String id = column < 0 ? null : records.field(column);
                    String list = id == null ? null : leftOutBy.apply(id);
                    if (list != null) {
                        leftOut.merge(list, 1L, Long::sum);
                        continue;
                    }
                    kept++;
                }
                records.writeTo(out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Filtered(kept, leftOut);
    }

    private static int column(Records records, String name) {
        while (records.next()) {
            if (!records.isBlank()) {
                int column = records.fields().stream().map(UserRows::columnName).toList().indexOf(USER_ID);
                if (column < 0) {
                    throw new IllegalArgumentException(name + " has the header " + records.fields()
                            + ": expected a " + USER_ID + " column");
                }
                return column;
            }
        }
        throw new IllegalArgumentException(name + " is empty: expected a header with a " + USER_ID + " column");
    }

    /** A header's column name as the preflight compares it: trimmed, without a byte order mark, in upper case. */
    private static String columnName(String column) {
        String name = column.startsWith("\uFEFF") ? column.substring(1) : column;
        return name.trim().toUpperCase(Locale.ROOT);
    }

    /** The records of a CSV stream, one at a time, each with its raw bytes (line break included). */
    private static final class Records {

        private final InputStream in;
        private final ByteArrayOutputStream raw = new ByteArrayOutputStream();
        private List<String> fields;

        Records(InputStream in) {
            this.in = in;
        }

        /** Reads the next record; false at the end of the stream. */
        boolean next() {
            raw.reset();
            fields = null;
            RecordEnds ends = new RecordEnds();
            try {
                int b;
                while ((b = in.read()) != -1) {
                    raw.write(b);
                    if (ends.endsRecord(b)) {
                        return true;
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return raw.size() > 0;
        }

        boolean isBlank() {
            for (byte b : raw.toByteArray()) {
                if (b != '\r' && b != '\n') {
                    return false;
                }
            }
            return true;
        }

        /** The record's {@code index}th field's value, unquoted; null when the record has fewer fields. */
        String field(int index) {
            List<String> all = fields();
            return index < all.size() ? all.get(index) : null;
        }

        /**
         * The record's values: a quoted value without its quotes, with a quote escaped by a backslash or doubled read as
         * one quote (Amazon Personalize Developer Guide, "Formatting your input data").
         */
        List<String> fields() {
            if (fields != null) {
                return fields;
            }
            String text = raw.toString(StandardCharsets.UTF_8);
            int end = text.length();
            while (end > 0 && (text.charAt(end - 1) == '\n' || text.charAt(end - 1) == '\r')) {
                end--;
            }
            List<String> values = new ArrayList<>();
            StringBuilder value = new StringBuilder();
            boolean quoted = false;
            for (int i = 0; i < end; i++) {
                char c = text.charAt(i);
                if (quoted && c == '\\' && i + 1 < end && text.charAt(i + 1) == '"') {
                    value.append('"');
                    i++;
                } else if (quoted && c == '"' && i + 1 < end && text.charAt(i + 1) == '"') {
                    value.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = !quoted;
                } else if (c == ',' && !quoted) {
                    values.add(value.toString());
                    value.setLength(0);
                } else {
                    value.append(c);
                }
            }
            values.add(value.toString());
            fields = values;
            return fields;
        }

        void writeTo(OutputStream out) throws IOException {
            raw.writeTo(out);
        }
    }
}
