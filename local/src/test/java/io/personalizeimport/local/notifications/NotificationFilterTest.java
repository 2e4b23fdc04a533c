package io.personalizeimport.local.notifications;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A route's notification configurations, matched and checked for overlap by S3's rules, without a bucket. */
class NotificationFilterTest {

    private final NotificationFilter users = NotificationFilter.csv("users", "users/");

    @ParameterizedTest
    @ValueSource(strings = {"users/file.csv", "users/FILE.CSV", "users/daily/part-0.CSV"})
    void keyEndingInACsvSuffixOfTheRoute_shouldMatch(String key) {
        // GIVEN / WHEN / THEN the route's .csv and .CSV configurations notify either spelling
        assertTrue(users.matches(key));
    }

    @ParameterizedTest
    @ValueSource(strings = {"users/file.Csv", "users/file.cSV", "users/file.csv.gz", "items/file.csv", "file.csv"})
    void mixedCaseSuffixOrOtherPrefix_shouldNotMatch(String key) {
        // GIVEN / WHEN / THEN S3 compares suffixes and prefixes case-sensitively and whole: no configuration matches
        assertFalse(users.matches(key));
    }

    @Test
    void csvAndUpperCaseCsvUnderOnePrefix_shouldNotOverlapButANestedRouteShould() {
        // GIVEN the configurations of a route, .csv and .CSV under one prefix (valid: no key ends with both)
        assertEquals(List.of(".csv", ".CSV"), users.suffixes());

        // WHEN / THEN a route nested in it overlaps through either suffix, an unrelated one does not
        assertTrue(users.overlaps(new NotificationFilter("nested", "users/daily/", List.of(".CSV"))));
        assertFalse(users.overlaps(NotificationFilter.csv("items", "items/")));
    }

    @Test
    void suffixesOneKeyCanEndWithBoth_shouldBeRefusedWithinARoute() {
        // GIVEN / WHEN / THEN .csv and csv overlap (a key ending in .csv ends in csv), as S3 would refuse them
        IllegalArgumentException failure = assertThrows(IllegalArgumentException.class,
                () -> new NotificationFilter("users", "users/", List.of(".csv", "csv")));
        assertTrue(failure.getMessage().contains("overlapping suffixes"), failure.getMessage());
    }
}
