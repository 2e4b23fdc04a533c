package io.personalizeimport.lambdas.lane;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** A created object's notification holds what its lane places it by: no guessed size or time. */
class NotificationTest {

    private static final Instant WRITTEN = Instant.parse("2026-11-23T12:00:00Z");

    @Test
    void aCreatedObjectWithoutSize_shouldNotExist() {
        var error = assertThrows(IllegalArgumentException.class,
                () -> new Notification.Created("b", "users/a.csv", null, "e", -1, "0A", WRITTEN));

        assertEquals("size of users/a.csv is -1: expected the event's size, 0 or more bytes", error.getMessage());
    }

    @Test
    void aCreatedObjectWithoutEventTime_shouldNotExist() {
        var error = assertThrows(IllegalArgumentException.class,
                () -> new Notification.Created("b", "users/a.csv", null, "e", 10, "0A", null));

        assertEquals("eventTime of users/a.csv is missing: expected the event's time", error.getMessage());
    }

    @Test
    void anObjectOfNoBytes_shouldBeEmpty() {
        assertTrue(new Notification.Created("b", "users/a.csv", null, "e", 0, "0A", WRITTEN).isEmpty());
        assertEquals(false, new Notification.Created("b", "users/a.csv", null, "e", 1, "0A", WRITTEN).isEmpty());
    }
}
