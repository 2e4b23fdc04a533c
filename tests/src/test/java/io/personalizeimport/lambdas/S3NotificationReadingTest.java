package io.personalizeimport.lambdas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.S3Event;
import com.amazonaws.services.lambda.runtime.tests.annotations.Event;
import io.personalizeimport.lambdas.TriggerHandler.Notification;
import org.junit.jupiter.params.ParameterizedTest;

/** Unit tests of how the trigger reads one S3 notification record; one fixture file per scenario. */
class S3NotificationReadingTest {

    private static Notification only(S3Event event) {
        assertEquals(1, event.getRecords().size());
        return TriggerHandler.read(event.getRecords().get(0));
    }

    @ParameterizedTest
    @Event(value = "events/put-interactions.json", type = S3Event.class)
    void putOfRoutedCsv_shouldBecomeACreatedObject(S3Event event) {
        var created = assertInstanceOf(Notification.Created.class, only(event));

        assertEquals("personalize-import-data", created.bucket());
        assertEquals("interactions/2026-11-23.csv", created.key());
        assertEquals("3HL4kqtJlcpXroDTDmJ", created.versionId());
        assertEquals(2048, created.size());
    }

    @ParameterizedTest
    @Event(value = "events/put-encoded-key.json", type = S3Event.class)
    void formEncodedKey_shouldBeDecoded(S3Event event) {
        // FACTS.md: keys are form-encoded, space -> '+', '+' -> %2B
        var created = assertInstanceOf(Notification.Created.class, only(event));

        assertEquals("interactions/daily export été + more%.csv", created.key());
    }

    @ParameterizedTest
    @Event(value = "events/multipart-upload-unversioned.json", type = S3Event.class)
    void unversionedMultipartUpload_shouldKeepItsETag(S3Event event) {
        var created = assertInstanceOf(Notification.Created.class, only(event));

        assertNull(created.versionId());
        assertEquals("d41d8cd98f00b204e9800998ecf8427e-3", created.eTag());
    }

    @ParameterizedTest
    @Event(value = "events/put-folder-marker.json", type = S3Event.class)
    void folderMarker_shouldBeSkipped(S3Event event) {
        assertSkipped(only(event), "folder marker");
    }

    @ParameterizedTest
    @Event(value = "events/put-empty-object.json", type = S3Event.class)
    void zeroByteObject_shouldBeReadWithItsSize(S3Event event) {
        // Empty objects are skipped once their route is known: a folder route's marker is empty on purpose.
        var created = assertInstanceOf(Notification.Created.class, only(event));
        assertEquals(0, created.size());
    }

    @ParameterizedTest
    @Event(value = "events/put-not-csv.json", type = S3Event.class)
    void nonCsvKey_shouldBeReadForItsRouteToJudge(S3Event event) {
        // A key that is not a CSV is skipped once its route is known: a folder route's marker is not a CSV.
        var created = assertInstanceOf(Notification.Created.class, only(event));
        assertFalse(created.key().toLowerCase(java.util.Locale.ROOT).endsWith(".csv"), created::toString);
    }

    @ParameterizedTest
    @Event(value = "events/delete-object.json", type = S3Event.class)
    void deleteEvent_shouldBeSkipped(S3Event event) {
        assertSkipped(only(event), "ObjectRemoved:Delete is not an ObjectCreated event");
    }

    @ParameterizedTest
    @Event(value = "events/put-event-version-3.json", type = S3Event.class)
    void unknownEventVersion_shouldBeSkipped(S3Event event) {
        assertSkipped(only(event), "event version '3.0' is not 2.x");
    }

    private static void assertSkipped(Notification notification, String reason) {
        var skipped = assertInstanceOf(Notification.Skipped.class, notification);
        assertTrue(skipped.reason().contains(reason), skipped.reason());
    }
}
