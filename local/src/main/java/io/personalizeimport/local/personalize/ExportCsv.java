package io.personalizeimport.local.personalize;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes a dataset's records as the CSV part files of an export: each part starts with a header row of the schema's
 * field names, values are quoted as RFC 4180 says (the emulator's own import reads them back unchanged), and records
 * equal in every field are written once, as Personalize exports them (Developer Guide, "Exporting the training data in
 * a dataset to Amazon S3").
 */
final class ExportCsv {

    /** The most records in one part file; a larger dataset is split over several parts. */
    static final int MAX_ROWS_PER_PART = 100_000;

    private ExportCsv() {
    }

    /**
     * The parts' contents in order; at least one, so an empty export still shows its columns. A record's field missing
     * from {@code columns} is left out, a column the record lacks is empty.
     */
    static List<String> parts(List<String> columns, List<Map<String, String>> records, int maxRowsPerPart) {
        if (maxRowsPerPart < 1) {
            throw new IllegalArgumentException("maxRowsPerPart must be at least 1, was " + maxRowsPerPart);
        }
        Set<List<String>> rows = new LinkedHashSet<>();
        for (Map<String, String> record : records) {
            rows.add(columns.stream().map(column -> record.getOrDefault(column, "")).toList());
        }
        List<String> parts = new ArrayList<>();
        StringBuilder part = new StringBuilder();
        int inPart = 0;
        for (List<String> row : rows) {
            if (inPart == 0) {
                line(part, columns);
            }
            line(part, row);
            if (++inPart == maxRowsPerPart) {
                parts.add(part.toString());
                part.setLength(0);
                inPart = 0;
            }
        }
        if (inPart > 0 || parts.isEmpty()) {
            if (inPart == 0) {
                line(part, columns);
            }
            parts.add(part.toString());
        }
        return parts;
    }

    /** The key of part {@code index} of job {@code jobName} under the output folder {@code prefix}. */
    static String partKey(String prefix, String jobName, int index) {
        String folder = prefix.isEmpty() || prefix.endsWith("/") ? prefix : prefix + "/";
        return folder + jobName + "/part-" + String.format("%05d", index) + ".csv";
    }

    private static void line(StringBuilder out, List<String> values) {
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            out.append(quoted(values.get(i)));
        }
        out.append('\n');
    }

    private static String quoted(String value) {
        boolean plain = value.chars().noneMatch(c -> c == ',' || c == '"' || c == '\r' || c == '\n');
        return plain ? value : '"' + value.replace("\"", "\"\"") + '"';
    }
}
