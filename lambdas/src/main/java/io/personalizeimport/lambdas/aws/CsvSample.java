package io.personalizeimport.lambdas.aws;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The complete records of a CSV file's first bytes: the header and the rows after it, numbered as the import job numbers
 * them (the first record after the header is row 1; blank lines are skipped).
 *
 * @param rows the rows that can be judged: none past a record the read cut short, nor past quoting that two readings
 *     of CSV would split differently
 */
record CsvSample(List<String> header, List<Row> rows) {

    CsvSample {
        header = List.copyOf(header);
        rows = List.copyOf(rows);
    }

    /** One record after the header, with its 1-based number. */
    record Row(long number, List<String> values) {

        Row {
            values = List.copyOf(values);
        }
    }

    /**
     * Reads the records of {@code firstBytes} (RFC 4180 quoting; CR, LF or CRLF line ends; a UTF-8 byte order mark).
     *
     * @param whole true when {@code firstBytes} is the whole file, so its last record needs no line end
     */
    static CsvSample read(byte[] firstBytes, boolean whole) {
        String text = new String(firstBytes, StandardCharsets.UTF_8);
        Reader reader = new Reader(text.startsWith("\uFEFF") ? text.substring(1) : text, whole);
        List<String> header = reader.next();
        List<Row> rows = new ArrayList<>();
        long number = 0;
        for (List<String> record = header == null ? null : reader.next(); record != null; record = reader.next()) {
            rows.add(new Row(++number, record));
        }
        return new CsvSample(header == null ? List.of() : header, rows);
    }

    /** Reads one record at a time; null at the end of what can be judged. */
    private static final class Reader {

        private final String text;
        private final boolean whole;
        private int at;
        private boolean stopped;

        Reader(String text, boolean whole) {
            this.text = text;
            this.whole = whole;
        }

        List<String> next() {
            while (!stopped && at < text.length() && (text.charAt(at) == '\r' || text.charAt(at) == '\n')) {
                at++;
            }
            if (stopped || at >= text.length()) {
                return null;
            }
            List<String> values = new ArrayList<>();
            StringBuilder value = new StringBuilder();
            while (true) {
                if (at >= text.length()) {
                    // A record the read cut short is not judged: its last value may go on in the bytes not read.
                    return whole ? finish(values, value) : stop();
                }
                char c = text.charAt(at++);
                if (c == '"' && value.isEmpty()) {
                    if (!readQuoted(value)) {
                        return stop();
                    }
                    if (at < text.length() && ",\r\n".indexOf(text.charAt(at)) < 0) {
                        // Text after a closing quote: the job says what is wrong with it.
                        return stop();
                    }
                } else if (c == ',') {
                    values.add(value.toString());
                    value.setLength(0);
                } else if (c == '\r' || c == '\n') {
                    if (c == '\r' && at < text.length() && text.charAt(at) == '\n') {
                        at++;
                    }
                    return finish(values, value);
                } else if (c == '"') {
                    // A quote inside an unquoted value: malformed, and the job says so.
                    return stop();
                } else {
                    value.append(c);
                }
            }
        }

        /**
         * Reads a quoted value up to its closing quote; false when it has none in the text, or when it holds a
         * backslash before a quote: Personalize's documentation escapes quotes so ("Formatting your input data"), RFC
         * 4180 by doubling them, and the two would split the rest of the file differently.
         */
        private boolean readQuoted(StringBuilder value) {
            while (at < text.length()) {
                char c = text.charAt(at++);
                if (c == '\\' && at < text.length() && text.charAt(at) == '"') {
                    return false;
                }
                if (c != '"') {
                    value.append(c);
                } else if (at < text.length() && text.charAt(at) == '"') {
                    value.append('"');
                    at++;
                } else {
                    return at < text.length() || whole;
                }
            }
            return false;
        }

        private static List<String> finish(List<String> values, StringBuilder value) {
            values.add(value.toString());
            return values;
        }

        private List<String> stop() {
            stopped = true;
            return null;
        }
    }
}
