package io.personalizeimport.lambdas.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The records of a file's first bytes, as the preflight judges them (no server needed). */
class CsvSampleTest {

    private static CsvSample read(String text, boolean whole) {
        return CsvSample.read(text.getBytes(StandardCharsets.UTF_8), whole);
    }

    private static List<List<String>> values(CsvSample sample) {
        return sample.rows().stream().map(CsvSample.Row::values).toList();
    }

    @Test
    void quotedValues_shouldKeepTheirCommasLineBreaksAndDoubledQuotes() {
        CsvSample sample = read("\uFEFFID,NAME\r\n1,\"Smith, \"\"Jo\"\"\nline two\"\r\n2,plain\r\n", true);

        assertEquals(List.of("ID", "NAME"), sample.header());
        assertEquals(List.of(List.of("1", "Smith, \"Jo\"\nline two"), List.of("2", "plain")), values(sample));
    }

    @Test
    void blankLines_shouldBeSkippedAndNotCountedAsRows() {
        CsvSample sample = read("ID,N\n\n1,a\n\r\n2,b\n", true);

        assertEquals(List.of(1L, 2L), sample.rows().stream().map(CsvSample.Row::number).toList());
        assertEquals(List.of("2", "b"), sample.rows().get(1).values());
    }

    @Test
    void aRowCutByTheReadLimit_shouldNotBeJudged() {
        // GIVEN the first bytes of a longer file, ending inside row 2's value
        CsvSample sample = read("ID,PRICE\n1,9.99\n2,1", false);

        // THEN row 2 is left out: its PRICE may go on in the bytes not read
        assertEquals(List.of(List.of("1", "9.99")), values(sample));
    }

    @Test
    void aQuotedValueCutByTheReadLimit_shouldNotBeJudged() {
        assertEquals(List.of(List.of("1", "a")), values(read("ID,N\n1,a\n2,\"b\nc", false)));
        assertEquals(List.of(List.of("1", "a")), values(read("ID,N\n1,a\n2,\"b\"", false)));
    }

    @Test
    void theLastRowOfAWholeFile_shouldBeJudgedWithoutALineEnd() {
        assertEquals(List.of(List.of("1", "a"), List.of("2", "b")), values(read("ID,N\n1,a\n2,b", true)));
    }

    @Test
    void aBackslashBeforeAQuote_shouldEndTheSampleThere() {
        // Personalize's documented escape and RFC 4180 read the rest of this file differently: neither is assumed
        CsvSample sample = read("ID,N\n1,a\n2,\"say \\\"hi\\\"\"\n3,c\n", true);

        assertEquals(List.of(List.of("1", "a")), values(sample));
    }

    @Test
    void malformedQuoting_shouldEndTheSampleThere() {
        assertEquals(List.of(List.of("1", "a")), values(read("ID,N\n1,a\n2,b\"c\n3,d\n", true)));
        assertEquals(List.of(List.of("1", "a")), values(read("ID,N\n1,a\n2,\"b\"c\n3,d\n", true)));
    }

    @Test
    void aHeaderCutByTheReadLimit_shouldGiveNoRecords() {
        CsvSample sample = read("USER_ID,ITE", false);

        assertEquals(List.of(), sample.header());
        assertEquals(List.of(), sample.rows());
    }
}
