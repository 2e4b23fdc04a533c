package io.personalizeimport.lambdas.domain;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Reads the header row of a CSV file from its first bytes (RFC 4180 quoting, CRLF, UTF-8 byte order mark). */
public final class CsvHeader {

    private CsvHeader() {
    }

    /**
     * The header's column names, or empty when {@code head} ends before the header row does.
     *
     * @param complete true when {@code head} is the whole file, so a header without a line break still counts
     */
    public static Optional<List<String>> parse(byte[] head, boolean complete) {
        String text = new String(head, StandardCharsets.UTF_8);
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        List<String> columns = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
                    cell.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    cell.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                columns.add(cell.toString().trim());
                cell.setLength(0);
            } else if (c == '\n' || c == '\r') {
                columns.add(cell.toString().trim());
                return Optional.of(columns);
            } else {
                cell.append(c);
            }
        }
        if (!complete || quoted) {
            return Optional.empty();
        }
        columns.add(cell.toString().trim());
        return Optional.of(columns);
    }
}
