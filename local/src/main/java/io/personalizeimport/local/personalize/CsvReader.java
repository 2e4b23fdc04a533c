package io.personalizeimport.local.personalize;

import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.List;

/**
 * A streaming RFC 4180 CSV reader: quoted fields with doubled quotes, CR, LF or CRLF record ends, a leading UTF-8
 * byte order mark skipped. Holds one record at a time, so a file of any size can be checked.
 */
final class CsvReader {

    private static final int BOM = '\uFEFF';

    private final Reader in;
    private int pushedBack = -2;
    private boolean started;
    private long recordNumber;

    CsvReader(Reader in) {
        this.in = in;
    }

    /** The 1-based number of the record last returned (the header is record 1). */
    long recordNumber() {
        return recordNumber;
    }

    /** The next record's fields, or null at the end; blank lines are skipped. */
    List<String> next() throws IOException, MalformedCsvException {
        if (!started) {
            started = true;
            int first = read();
            if (first != BOM) {
                unread(first);
            }
        }
        while (true) {
            int c = read();
            if (c == -1) {
                return null;
            }
            if (c == '\r' || c == '\n') {
                consumeLf(c);
                continue;
            }
            unread(c);
            recordNumber++;
            return readRecord();
        }
    }

    private List<String> readRecord() throws IOException, MalformedCsvException {
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        while (true) {
            int c = read();
            if (c == '"' && field.isEmpty()) {
                readQuoted(field);
                c = read();
                if (c != ',' && c != '\r' && c != '\n' && c != -1) {
                    throw new MalformedCsvException("unexpected character '" + (char) c
                            + "' after a closing quote in record " + recordNumber);
                }
            }
            if (c == ',') {
                fields.add(field.toString());
                field.setLength(0);
            } else if (c == '\r' || c == '\n' || c == -1) {
                fields.add(field.toString());
                if (c != -1) {
                    consumeLf(c);
                }
                return fields;
            } else if (c == '"') {
                throw new MalformedCsvException("a quote inside an unquoted value in record " + recordNumber);
            } else {
                field.append((char) c);
            }
        }
    }

    private void readQuoted(StringBuilder field) throws IOException, MalformedCsvException {
        while (true) {
            int c = read();
            if (c == -1) {
                throw new MalformedCsvException("a quoted value is not closed in record " + recordNumber);
            }
            if (c == '"') {
                int next = read();
                if (next != '"') {
                    unread(next);
                    return;
                }
            }
            field.append((char) c);
        }
    }

    private void consumeLf(int c) throws IOException {
        if (c == '\r') {
            int next = read();
            if (next != '\n') {
                unread(next);
            }
        }
    }

    private int read() throws IOException {
        if (pushedBack != -2) {
            int c = pushedBack;
            pushedBack = -2;
            return c;
        }
        return in.read();
    }

    private void unread(int c) {
        pushedBack = c;
    }

    /** Thrown when the input is not well-formed CSV. */
    static final class MalformedCsvException extends Exception {
        MalformedCsvException(String message) {
            super(message);
        }
    }
}
