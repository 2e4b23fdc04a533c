package io.personalizeimport.local.personalize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** RFC 4180 details the import depends on, without any server. */
class CsvReaderTest {

    private static List<List<String>> readAll(String text) throws Exception {
        CsvReader reader = new CsvReader(new StringReader(text));
        List<List<String>> records = new ArrayList<>();
        for (List<String> record = reader.next(); record != null; record = reader.next()) {
            records.add(record);
        }
        return records;
    }

    @Test
    void quotedFields_shouldKeepCommasQuotesAndNewlines() throws Exception {
        assertEquals(List.of(List.of("a,b", "say \"hi\"", "two\nlines", "")),
                readAll("\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",\n"));
    }

    @Test
    void crlfAndBom_shouldNotLeakIntoValues() throws Exception {
        assertEquals(List.of(List.of("USER_ID", "AGE"), List.of("u1", "3")), readAll("\uFEFFUSER_ID,AGE\r\nu1,3\r\n"));
    }

    @Test
    void blankLinesAndMissingFinalNewline_shouldBeTolerated() throws Exception {
        assertEquals(List.of(List.of("a"), List.of("b")), readAll("a\n\n\nb"));
    }

    @Test
    void emptyInput_shouldHaveNoRecords() throws Exception {
        assertNull(new CsvReader(new StringReader("")).next());
    }

    @Test
    void quoteInsideAnUnquotedValue_shouldBeMalformed() {
        CsvReader.MalformedCsvException error = assertThrows(CsvReader.MalformedCsvException.class,
                () -> readAll("a,b\"c\n"));
        assertEquals("a quote inside an unquoted value in record 1", error.getMessage());
    }

    @Test
    void textAfterAClosingQuote_shouldBeMalformed() {
        assertThrows(CsvReader.MalformedCsvException.class, () -> readAll("\"a\"b,c\n"));
    }
}
