package io.personalizeimport.local.personalize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How imports change a dataset's records: FULL replaces, INCREMENTAL upserts by id, interactions append. */
class DatasetRecordsTest {

    private static Map<String, String> user(String id, String age) {
        return Map.of("USER_ID", id, "AGE", age);
    }

    @Test
    void incrementalUsers_shouldReplaceTheRecordWithTheSameIdAndKeepTheOthers() {
        // GIVEN users u1..u3 imported FULL
        DatasetRecords users = DatasetRecords.of(DatasetType.USERS);
        users.apply(true, List.of(user("u1", "30"), user("u2", "31"), user("u3", "32")));

        // WHEN u2 changes and u4 arrives INCREMENTAL
        users.apply(false, List.of(user("u2", "41"), user("u4", "44")));

        // THEN u2 holds its new value in its old place, u4 is added
        assertEquals(List.of(user("u1", "30"), user("u2", "41"), user("u3", "32"), user("u4", "44")), users.rows());
        assertEquals(4, users.count());
    }

    @Test
    void fullImport_shouldReplaceEveryRecord() {
        DatasetRecords items = DatasetRecords.of(DatasetType.ITEMS);
        items.apply(true, List.of(Map.of("ITEM_ID", "i1"), Map.of("ITEM_ID", "i2")));

        items.apply(true, List.of(Map.of("ITEM_ID", "i9", "PRICE", "1.5")));

        assertEquals(List.of(Map.of("ITEM_ID", "i9", "PRICE", "1.5")), items.rows());
    }

    @Test
    void sameIdTwiceInOneImport_shouldKeepTheLaterRow() {
        DatasetRecords actions = DatasetRecords.of(DatasetType.ACTIONS);

        actions.apply(true, List.of(Map.of("ACTION_ID", "a1", "VALUE", "old"), Map.of("ACTION_ID", "a1", "VALUE", "new")));

        assertEquals(List.of(Map.of("ACTION_ID", "a1", "VALUE", "new")), actions.rows());
    }

    @Test
    void incrementalInteractions_shouldAppendEvenIdenticalRows() {
        DatasetRecords interactions = DatasetRecords.of(DatasetType.INTERACTIONS);
        Map<String, String> click = Map.of("USER_ID", "u1", "ITEM_ID", "i1", "TIMESTAMP", "1700000000");
        interactions.apply(true, List.of(click));

        interactions.apply(false, List.of(click, Map.of("USER_ID", "u1", "ITEM_ID", "i2", "TIMESTAMP", "1700000001")));

        assertEquals(3, interactions.count());
        assertEquals(click, interactions.rows().get(1));
    }

    @Test
    void fullInteractions_shouldReplaceTheRows() {
        DatasetRecords interactions = DatasetRecords.of(DatasetType.ACTION_INTERACTIONS);
        interactions.apply(true, List.of(Map.of("USER_ID", "u1"), Map.of("USER_ID", "u2")));

        interactions.apply(true, List.of(Map.of("USER_ID", "u3")));

        assertEquals(List.of(Map.of("USER_ID", "u3")), interactions.rows());
    }

    @Test
    void keyedRecordWithoutItsId_shouldBeRefused() {
        DatasetRecords users = DatasetRecords.of(DatasetType.USERS);

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> users.add(Map.of("AGE", "30")));
        assertEquals("A record of a dataset keyed by USER_ID has no USER_ID: {AGE=30}", e.getMessage());
    }
}
