package io.personalizeimport.local.notifications;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The ids of events and dead letters, and the only files they can name. */
class EventIdTest {

    private static final Path FOLDER = Path.of("/data/notifications/dead-letters");

    @Test
    void randomId_shouldNameAFileDirectlyInTheFolder() {
        // GIVEN a new id, as an event gets when it is queued
        EventId id = EventId.random();

        // WHEN it is turned into a file and back
        Path file = id.fileIn(FOLDER);

        // THEN the file is <id>.json in the folder, and it is named after that id
        assertEquals(FOLDER, file.getParent());
        assertEquals(FOLDER.resolve(id.value() + ".json"), file.normalize());
        assertEquals(Optional.of(id), EventId.ofFile(file));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "..", "../x", "../../etc/passwd", "/etc/passwd", "a/b", "a\\b", "notes",
            "0b5e6f4c-9d27-4a8e-b1f3-7c2d58e9a604.json", "0B5E6F4C-9D27-4A8E-B1F3-7C2D58E9A604",
            " 0b5e6f4c-9d27-4a8e-b1f3-7c2d58e9a604", "0b5e6f4c-9d27-4a8e-b1f3-7c2d58e9a604\n",
            "0b5e6f4c9d274a8eb1f37c2d58e9a604", "0b5e6f4c-9d27-4a8e-b1f3-7c2d58e9a604/../x"})
    void malformedId_shouldBeRefusedNamingItAndAValidExample(String value) {
        // GIVEN a string that is not a lower-case UUID

        // WHEN it is taken as an id
        MalformedEventIdException failure = assertThrows(MalformedEventIdException.class, () -> new EventId(value));

        // THEN the refusal names it and shows what an id looks like
        assertTrue(failure.getMessage().contains("'" + value + "'"), failure.getMessage());
        assertTrue(failure.getMessage().contains(EventId.EXAMPLE), failure.getMessage());
    }

    @Test
    void example_shouldBeAValidId() {
        // GIVEN / WHEN / THEN the example the messages show is accepted
        assertEquals(EventId.EXAMPLE, new EventId(EventId.EXAMPLE).value());
    }

    @ParameterizedTest
    @ValueSource(strings = {"notes.json", "0b5e6f4c-9d27-4a8e-b1f3-7c2d58e9a604.json.tmp-1",
            "0b5e6f4c-9d27-4a8e-b1f3-7c2d58e9a604", "0B5E6F4C-9D27-4A8E-B1F3-7C2D58E9A604.json"})
    void fileNotNamedAfterAnId_shouldNameNoEvent(String name) {
        // GIVEN / WHEN / THEN a file of another name in the folder is no event's file
        assertEquals(Optional.empty(), EventId.ofFile(FOLDER.resolve(name)));
    }
}
