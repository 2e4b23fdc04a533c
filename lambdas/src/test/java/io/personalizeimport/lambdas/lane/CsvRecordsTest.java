package io.personalizeimport.lambdas.lane;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Records of a CSV file, counted as Personalize reads them. */
class CsvRecordsTest {

    private static long count(String csv, long upTo) {
        return CsvRecords.count(new ByteArrayInputStream(csv.getBytes(StandardCharsets.UTF_8)), upTo);
    }

    @ParameterizedTest(name = "{2}")
    @CsvSource(delimiter = '|', value = {
        "H\\na\\nb\\n|2|rows after the header",
        "H\\na\\nb|2|no line break after the last row",
        "H\\r\\na\\r\\nb\\r\\n|2|CRLF line breaks",
        "H\\na\\n\\n\\nb\\n|2|blank lines are no records",
        "H\\n\"a\\nstill a\"\\nb\\n|2|a line break inside quotes belongs to its row",
        "H\\n\"a \\\\\" quote\\nstill a\"\\nb\\n|2|a backslash-escaped quote does not end the quoted value",
        "H\\n|0|a header only",
        "|0|an empty file"})
    void records_shouldBeCountedAsPersonalizeReadsThem(String csv, long expected, String what) {
        String text = csv == null ? "" : csv;
        assertEquals(expected, count(text.replace("\\n", "\n").replace("\\r", "\r").replace("\\\\", "\\"), 100));
    }

    @ParameterizedTest(name = "up to {0}")
    @CsvSource({"1, 1", "3, 3", "5, 4"})
    void counting_shouldStopAtUpTo(long upTo, long expected) {
        assertEquals(expected, count("H\na\nb\nc\nd\n", upTo));
    }
}
