package io.personalizeimport.local.personalize;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The CSV of an export: header, quoting, identical records once, parts and their keys. */
class ExportCsvTest {

    private static final List<String> COLUMNS = List.of("USER_ID", "AGE", "MEMBER");

    @Test
    void records_shouldBeWrittenUnderTheSchemasHeaderInSchemaOrder() {
        Map<String, String> record = new LinkedHashMap<>();
        record.put("MEMBER", "true");
        record.put("USER_ID", "u1");

        List<String> parts = ExportCsv.parts(COLUMNS, List.of(record, Map.of("USER_ID", "u2", "AGE", "40")), 10);

        // THEN a missing column is empty, a field the schema no longer has is left out
        assertEquals(List.of("USER_ID,AGE,MEMBER\nu1,,true\nu2,40,\n"), parts);
    }

    @Test
    void valuesWithCommasQuotesAndNewlines_shouldReadBackUnchanged() throws Exception {
        Map<String, String> record = Map.of("USER_ID", "u \"one\", the first", "AGE", "3\r\n0", "MEMBER", "");

        String part = ExportCsv.parts(COLUMNS, List.of(record), 10).getFirst();

        assertEquals("USER_ID,AGE,MEMBER\n\"u \"\"one\"\", the first\",\"3\r\n0\",\n", part);
        List<List<String>> read = readAll(part);
        assertEquals(List.of(COLUMNS, List.of("u \"one\", the first", "3\r\n0", "")), read);
    }

    @Test
    void recordsEqualInEveryField_shouldBeWrittenOnce() {
        Map<String, String> click = Map.of("USER_ID", "u1", "AGE", "1");

        List<String> parts = ExportCsv.parts(COLUMNS, List.of(click, click, Map.of("USER_ID", "u1", "AGE", "2")), 10);

        assertEquals(List.of("USER_ID,AGE,MEMBER\nu1,1,\nu1,2,\n"), parts);
    }

    @Test
    void moreRecordsThanAPartHolds_shouldSplitIntoPartsEachWithAHeader() {
        List<Map<String, String>> records = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            records.add(Map.of("USER_ID", "u" + i));
        }

        List<String> parts = ExportCsv.parts(COLUMNS, records, 2);

        assertEquals(List.of("USER_ID,AGE,MEMBER\nu0,,\nu1,,\n", "USER_ID,AGE,MEMBER\nu2,,\nu3,,\n",
                "USER_ID,AGE,MEMBER\nu4,,\n"), parts);
    }

    @Test
    void noRecords_shouldGiveOnePartWithTheHeaderOnly() {
        assertEquals(List.of("USER_ID,AGE,MEMBER\n"), ExportCsv.parts(COLUMNS, List.of(), 2));
    }

    @Test
    void partKeys_shouldSitInAFolderNamedAfterTheJob() {
        assertEquals("exports/users/part-00000.csv", ExportCsv.partKey("exports/", "users", 0));
        assertEquals("exports/users/part-00012.csv", ExportCsv.partKey("exports", "users", 12));
        assertEquals("users/part-00001.csv", ExportCsv.partKey("", "users", 1));
    }

    private static List<List<String>> readAll(String csv) throws IOException, CsvReader.MalformedCsvException,
            CsvReader.RecordTooLongException {
        CsvReader reader = new CsvReader(new StringReader(csv));
        List<List<String>> rows = new ArrayList<>();
        for (List<String> row = reader.next(); row != null; row = reader.next()) {
            rows.add(row);
        }
        return rows;
    }
}
