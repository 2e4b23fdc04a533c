package io.personalizeimport.local.personalize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.Reader;
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

    @Test
    void recordOfExactlyTheLimit_shouldBeRead() throws Exception {
        // GIVEN a 7-byte record and a 7-byte limit WHEN read THEN it is whole
        assertEquals(List.of("abcd", "ef"), new CsvReader(new StringReader("abcd,ef\n"), 7).next());
    }

    @Test
    void recordOverTheLimit_shouldFailNamingItWithoutReadingTheRestOfIt() throws Exception {
        // GIVEN a limit of 8 bytes, and a third record of 10,000 bytes
        CountingReader in = new CountingReader("h\nshort\n" + "x".repeat(10_000) + "\nnext\n");
        CsvReader reader = new CsvReader(in, 8);
        reader.next();
        reader.next();

        // WHEN the third record is read
        CsvReader.RecordTooLongException error = assertThrows(CsvReader.RecordTooLongException.class, reader::next);

        // THEN it is named, and reading stopped one character past the limit
        assertEquals(3, error.recordNumber());
        assertEquals(8, error.limit());
        assertEquals("h\nshort\n".length() + 9, in.read);
    }

    @Test
    void multiByteCharacters_shouldCountAsTheirUtf8Bytes() throws Exception {
        // GIVEN three 2-byte characters and a 4-byte one: 10 bytes in 5 chars
        String text = "\u00e9\u00e9\u00e9\uD83D\uDE00\n";

        // WHEN read with limits of 10 and 9 bytes THEN the first fits and the second does not
        assertEquals(List.of(text.strip()), new CsvReader(new StringReader(text), 10).next());
        assertThrows(CsvReader.RecordTooLongException.class, () -> new CsvReader(new StringReader(text), 9).next());
    }

    @Test
    void quoteNeverClosed_shouldBeTooLongRatherThanTheRestOfTheFileInOneValue() throws Exception {
        // GIVEN a quote opened in record 2 and never closed, followed by plenty of lines
        CsvReader reader = new CsvReader(new StringReader("a\n\"x\n" + "y\n".repeat(1_000)), 100);
        reader.next();

        // WHEN the next record is read THEN it stops at the limit instead of swallowing the file
        CsvReader.RecordTooLongException error = assertThrows(CsvReader.RecordTooLongException.class, reader::next);
        assertEquals(2, error.recordNumber());
        assertTrue(error.getMessage().contains("longer than 100 bytes"), error.getMessage());
    }

    /** Counts the characters the CSV reader took, to show where it stopped. */
    private static final class CountingReader extends Reader {
        private final StringReader text;
        private int read;

        CountingReader(String text) {
            this.text = new StringReader(text);
        }

        @Override
        public int read(char[] buffer, int offset, int length) throws IOException {
            int n = text.read(buffer, offset, Math.min(length, 1));
            read += Math.max(n, 0);
            return n;
        }

        @Override
        public void close() {
            text.close();
        }
    }
}
