package io.personalizeimport.local.personalize;

import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.List;

/**
 * A streaming RFC 4180 CSV reader: quoted fields with doubled quotes, CR, LF or CRLF record ends, a leading UTF-8
 * byte order mark skipped. Holds one record at a time, and no record longer than its limit, so a file of any size
 * and any shape can be checked in bounded memory.
 */
final class CsvReader {

    /**
     * The longest record read, in UTF-8 bytes without its line end. Personalize publishes no row limit, but its values
     * are short (ids of at most 256 characters, categorical values of at most 1,000, textual fields of at most 20,000:
     * "Amazon Personalize endpoints and quotas"), so a real row is far below 1 MiB. A longer one is a file without line
     * breaks or a quote that is never closed, which would otherwise make the rest of the file one record in memory.
     */
    static final int MAX_RECORD_BYTES = 1024 * 1024;

    private static final int BOM = '\uFEFF';

    private final Reader in;
    private final int maxRecordBytes;
    private long recordBytes;
    private int pushedBack = -2;
    private boolean started;
    private long recordNumber;

    CsvReader(Reader in) {
        this(in, MAX_RECORD_BYTES);
    }

    CsvReader(Reader in, int maxRecordBytes) {
        this.in = in;
        this.maxRecordBytes = maxRecordBytes;
    }

    /** The 1-based number of the record last returned (the header is record 1). */
    long recordNumber() {
        return recordNumber;
    }

    /** The next record's fields, or null at the end; blank lines are skipped. */
    List<String> next() throws IOException, MalformedCsvException, RecordTooLongException {
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

    private List<String> readRecord() throws IOException, MalformedCsvException, RecordTooLongException {
        recordBytes = 0;
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        while (true) {
            int c = read();
            if (c == '"' && field.isEmpty()) {
                count(c);
                readQuoted(field);
                c = read();
                if (c != ',' && c != '\r' && c != '\n' && c != -1) {
                    throw new MalformedCsvException("unexpected character '" + (char) c
                            + "' after a closing quote in record " + recordNumber);
                }
            }
            if (c == ',') {
                count(c);
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
                count(c);
                field.append((char) c);
            }
        }
    }

    private void readQuoted(StringBuilder field) throws IOException, MalformedCsvException, RecordTooLongException {
        while (true) {
            int c = read();
            if (c == -1) {
                throw new MalformedCsvException("a quoted value is not closed in record " + recordNumber);
            }
            count(c);
            if (c == '"') {
                int next = read();
                if (next != '"') {
                    unread(next);
                    return;
                }
                count(next);
            }
            field.append((char) c);
        }
    }

    /** Adds a character of the current record to its length, failing as soon as the record is too long. */
    private void count(int c) throws RecordTooLongException {
        // UTF-8 needs 1 byte below U+0080, 2 below U+0800, 4 for a surrogate pair (2 per half), else 3.
        recordBytes += c < 0x80 ? 1 : c < 0x800 || Character.isSurrogate((char) c) ? 2 : 3;
        if (recordBytes > maxRecordBytes) {
            throw new RecordTooLongException(recordNumber, maxRecordBytes);
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

    /** Thrown when a record is longer than the reader's limit; nothing more of it is read. */
    static final class RecordTooLongException extends Exception {
        private final long recordNumber;
        private final int limit;

        RecordTooLongException(long recordNumber, int limit) {
            super("record " + recordNumber + " is longer than " + limit + " bytes");
            this.recordNumber = recordNumber;
            this.limit = limit;
        }

        /** The 1-based number of the record, the header being record 1. */
        long recordNumber() {
            return recordNumber;
        }

        /** The limit it broke, in bytes. */
        int limit() {
            return limit;
        }
    }

    /** Thrown when the input is not well-formed CSV. */
    static final class MalformedCsvException extends Exception {
        MalformedCsvException(String message) {
            super(message);
        }
    }
}
