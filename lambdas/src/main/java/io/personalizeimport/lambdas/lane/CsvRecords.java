package io.personalizeimport.lambdas.lane;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * Counts the records of a CSV file as Personalize reads one: rows after the header, a line break inside a quoted
 * value belongs to its row, a quote escaped with a backslash inside quoted text is part of the value (Amazon
 * Personalize Developer Guide, "Formatting your input data"), and blank lines are no records.
 */
public final class CsvRecords {

    private CsvRecords() {
    }

    /** The records of {@code csv}, counting no further than {@code upTo}: the count when it is less, else upTo. */
    public static long count(InputStream csv, long upTo) {
        long rows = 0;
        RecordEnds ends = new RecordEnds();
        boolean blank = true;
        try {
            int b;
            while ((b = csv.read()) != -1 && rows <= upTo) {
                if (ends.endsRecord(b)) {
                    rows += blank ? 0 : 1;
                    blank = true;
                    continue;
                }
                if (b != '\r' && b != '\n') {
                    blank = false;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (!blank) {
            rows++;
        }
        // The first row is the header.
        return Math.min(upTo, Math.max(0, rows - 1));
    }
}
