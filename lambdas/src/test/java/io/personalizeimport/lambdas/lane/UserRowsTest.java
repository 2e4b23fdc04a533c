package io.personalizeimport.lambdas.lane;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A CSV file's records by their user: the ids of a list, and a copy without some users' records. */
class UserRowsTest {

    private static ByteArrayInputStream csv(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }

    private static String filtered(String text, Set<String> users, Map<String, Long> expectedLeftOut) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        UserRows.Filtered result = UserRows.filter(csv(text), out, id -> users.contains(id) ? "list" : null);
        assertEquals(expectedLeftOut, result.leftOut());
        String copy = out.toString(StandardCharsets.UTF_8);
        assertEquals(CsvRecords.count(csv(copy), Long.MAX_VALUE - 1), result.kept(), "kept records as counted");
        return copy;
    }

    @Test
    void aListWithAByteOrderMarkBlankLinesAndQuotedIds_shouldGiveEachIdOnce() {
        assertEquals(Set.of("u1", "u 2", "u\"3"),
                UserRows.ids(csv("\uFEFFname,user_id\r\n\r\nA,u1\r\nB,\"u 2\"\r\nC,\"u\\\"3\"\r\nD,u1\r\nE\r\n"),
                        "forget/list.csv"));
    }

    @Test
    void aListWithoutAUserIdColumn_shouldSaySo() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> UserRows.ids(csv("ID\nu1\n"), "forget/list.csv"));
        assertEquals("forget/list.csv has the header [ID]: expected a USER_ID column", e.getMessage());
        assertEquals("forget/empty.csv is empty: expected a header with a USER_ID column", assertThrows(
                IllegalArgumentException.class, () -> UserRows.ids(csv("\n"), "forget/empty.csv")).getMessage());
    }

    @Test
    void aFileWithoutAUserIdColumn_shouldBeCopiedWhole() {
        String items = "ITEM_ID,PRICE\ni1,\"1,5\"\n";
        assertEquals(items, filtered(items, Set.of("i1"), Map.of()));
    }

    @Test
    void rowsWithDoubledQuotesAndShortRows_shouldBeJudgedByTheirOwnUserId() {
        String text = "A,\" USER_ID \"\n\"x\"\"y\",u1\nshort\n\"q\"\"\",u2";
        assertEquals("A,\" USER_ID \"\nshort\n\"q\"\"\",u2", filtered(text, Set.of("u1"), Map.of("list", 1L)));
    }
}
