package io.personalizeimport.lambdas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.personalizeimport.lambdas.TriggerHandler.Notification;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * Unit tests of how the trigger reads S3 notifications ({@link S3EventNotification#read}, then
 * {@link TriggerHandler#read}); one fixture file per scenario under {@code src/test/resources/events/}.
 */
class S3NotificationReadingTest {

    /** The fixture as the trigger's handler reads it from Lambda's input stream. */
    static S3EventNotification event(String fixture) {
        try (InputStream json = S3NotificationReadingTest.class.getResourceAsStream("/events/" + fixture)) {
            assertTrue(json != null, "no fixture events/" + fixture);
            return S3EventNotification.read(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Notification only(String fixture) {
        S3EventNotification event = event(fixture);
        assertEquals(1, event.records().size());
        return TriggerHandler.read(event.records().getFirst());
    }

    @Test
    void putOfRoutedCsv_shouldBecomeACreatedObject() {
        var created = assertInstanceOf(Notification.Created.class, only("put-interactions.json"));

        assertEquals("personalize-import-data", created.bucket());
        assertEquals("interactions/2026-11-23.csv", created.key());
        assertEquals("3HL4kqtJlcpXroDTDmJ", created.versionId());
        assertEquals("0123456789abcdef0123456789abcdef", created.eTag());
        assertEquals(2048, created.size());
        // Amazon S3 User Guide, 'Event message structure': the sequencer and event time place a write in its lane
        assertEquals("0A1B2C3D4E5F678901", created.sequencer());
        assertEquals(Instant.parse("2026-11-23T12:00:00Z"), created.eventTime());
    }

    @Test
    void formEncodedKey_shouldBeDecoded() {
        // Amazon S3 User Guide, 'Event message structure': keys are form-encoded, space -> '+', '+' -> %2B
        var created = assertInstanceOf(Notification.Created.class, only("put-encoded-key.json"));

        assertEquals("interactions/daily export été + more%.csv", created.key());
    }

    @Test
    void unversionedMultipartUpload_shouldKeepItsETag() {
        var created = assertInstanceOf(Notification.Created.class, only("multipart-upload-unversioned.json"));

        assertNull(created.versionId());
        assertEquals("d41d8cd98f00b204e9800998ecf8427e-3", created.eTag());
    }

    @Test
    void folderMarker_shouldBeSkipped() {
        assertSkipped(only("put-folder-marker.json"), "folder marker");
    }

    @Test
    void zeroByteObject_shouldBeReadWithItsSize() {
        // Empty objects are skipped once their route is known: a folder route's marker is empty on purpose.
        var created = assertInstanceOf(Notification.Created.class, only("put-empty-object.json"));
        assertEquals(0, created.size());
    }

    @Test
    void nonCsvKey_shouldBeReadForItsRouteToJudge() {
        // A key that is not a CSV is skipped once its route is known: a folder route's marker is not a CSV.
        var created = assertInstanceOf(Notification.Created.class, only("put-not-csv.json"));
        assertFalse(created.key().toLowerCase(Locale.ROOT).endsWith(".csv"), created::toString);
    }

    @Test
    void deleteEvent_shouldBeSkipped() {
        assertSkipped(only("delete-object.json"), "ObjectRemoved:Delete is not an ObjectCreated event");
    }

    @Test
    void unknownEventVersion_shouldBeSkipped() {
        assertSkipped(only("put-event-version-3.json"), "event version '3.0' is not 2.x");
    }

    @Test
    void severalRecords_shouldEachBeRead() {
        S3EventNotification event = event("put-several-records.json");

        assertEquals(3, event.records().size());
        assertEquals("interactions/a.csv", event.records().getFirst().s3().object().key());
    }

    @Test
    void s3TestEvent_shouldHaveNoRecords() {
        // S3 sends an s3:TestEvent when a notification is configured: it has no Records at all.
        assertTrue(event("s3-test-event.json").records().isEmpty());
    }

    @Test
    void jsonNullOrEmptyRecords_shouldHaveNoRecords() throws IOException {
        assertTrue(S3EventNotification.read(stream("null")).records().isEmpty());
        assertTrue(S3EventNotification.read(stream("{\"Records\":[]}")).records().isEmpty());
    }

    @Test
    void recordWithoutAnObject_shouldBeSkipped() throws IOException {
        S3EventNotification event = S3EventNotification.read(stream(
                "{\"Records\":[{\"eventVersion\":\"2.1\",\"eventName\":\"ObjectCreated:Put\",\"s3\":{}}]}"));

        assertSkipped(TriggerHandler.read(event.records().getFirst()), "record has no s3 bucket or object");
    }

    @Test
    void recordWithoutSequencerOrTime_shouldStandInForThemWithTheWrite() throws IOException {
        S3EventNotification event = S3EventNotification.read(stream("{\"Records\":[{\"eventVersion\":\"2.0\","
                + "\"eventName\":\"ObjectCreated:Copy\",\"s3\":{\"bucket\":{\"name\":\"b\"},"
                + "\"object\":{\"key\":\"users/u.csv\",\"size\":5,\"eTag\":\"abc\"}}}]}"));

        var created = assertInstanceOf(Notification.Created.class, TriggerHandler.read(event.records().getFirst()));
        assertTrue(created.sequencer().startsWith("write-"), created::toString);
        assertEquals(Instant.EPOCH, created.eventTime());
    }

    private static InputStream stream(String json) {
        return new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8));
    }

    private static void assertSkipped(Notification notification, String reason) {
        var skipped = assertInstanceOf(Notification.Skipped.class, notification);
        assertTrue(skipped.reason().contains(reason), skipped.reason());
    }
}
