package io.personalizeimport.lambdas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.S3Event;
import com.amazonaws.services.lambda.runtime.events.models.s3.S3EventNotification.S3BucketEntity;
import com.amazonaws.services.lambda.runtime.events.models.s3.S3EventNotification.S3Entity;
import com.amazonaws.services.lambda.runtime.events.models.s3.S3EventNotification.S3EventNotificationRecord;
import com.amazonaws.services.lambda.runtime.events.models.s3.S3EventNotification.S3ObjectEntity;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import io.personalizeimport.lambdas.lane.Notification;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** S3 event records, read from one fixture per scenario as Lambda's runtime reads them, turned into notifications. */
class S3NotificationsTest {

    /** The fixture's records, deserialized by the library Lambda's Java runtime reads events with. */
    private static List<Notification> read(String fixture) throws IOException {
        try (InputStream json = S3NotificationsTest.class.getResourceAsStream("/events/" + fixture)) {
            S3Event event = LambdaEventSerializers.serializerFor(S3Event.class, S3Event.class.getClassLoader())
                    .fromJson(json);
            return event.getRecords() == null ? List.of()
                    : event.getRecords().stream().map(S3Notifications::read).toList();
        }
    }

    @Test
    void aFormEncodedKey_shouldBeDecodedWithItsWritesIdentity() throws IOException {
        var created = assertInstanceOf(Notification.Created.class, read("put-encoded-key.json").getFirst());

        assertEquals("interactions/daily export été + more%.csv", created.key());
        assertEquals("personalize-import-data", created.bucket());
        assertEquals("3HL4kqtJlcpXroDTDmJ", created.versionId());
        assertEquals("0123456789abcdef0123456789abcdef", created.eTag());
        assertEquals(2048, created.size());
        assertEquals("0A1B2C3D4E5F678901", created.sequencer());
        assertEquals(Instant.parse("2026-11-23T12:00:00Z"), created.eventTime());
    }

    @Test
    void aMultipartUploadInAnUnversionedBucket_shouldBeACreatedObjectWithoutVersion() throws IOException {
        var created = assertInstanceOf(Notification.Created.class,
                read("multipart-upload-unversioned.json").getFirst());

        assertEquals(null, created.versionId());
        assertEquals("d41d8cd98f00b204e9800998ecf8427e-3", created.eTag());
    }

    @Test
    void recordsThatAreNoNewObject_shouldBeSkippedWithTheReason() throws IOException {
        assertEquals("event version '3.0' is not 2.x", skipped("put-event-version-3.json").reason());
        assertTrue(skipped("delete-object.json").reason().endsWith("is not an ObjectCreated event"));
        assertEquals("key is a folder marker", skipped("put-folder-marker.json").reason());
    }

    /** A record as a reader that leaves absent fields null (Jackson, aws-lambda-java-tests) builds it. */
    private static S3EventNotificationRecord record(String key, Long size, String eventTime) {
        return new S3EventNotificationRecord("us-east-1", "ObjectCreated:Put", "aws:s3", eventTime, "2.1", null, null,
                new S3Entity("csv", new S3BucketEntity("personalize-import-data", null, null),
                        new S3ObjectEntity(key, size, "0123456789abcdef", null, "0A1B2C"), "1.0"), null);
    }

    @Test
    void aRecordWithoutEventTime_shouldBeRefusedNamingTheField() {
        assertEquals(new Notification.Skipped("interactions/no-time.csv", "record refused: it has no eventTime"
                + " (expected the ISO-8601 time of the write, which orders the file in its lane)"),
                S3Notifications.read(record("interactions/no-time.csv", 2048L, null)));
    }

    @Test
    void aRecordWithoutSize_shouldBeRefusedNamingTheField() {
        assertEquals(new Notification.Skipped("interactions/no-size.csv", "record refused: it has no s3.object.size"
                + " (expected the object's size in bytes, which the lane's limits are checked on)"),
                S3Notifications.read(record("interactions/no-size.csv", null, "2026-11-23T12:00:00.000Z")));
    }

    @Test
    void anEventWithARecordWithoutEventTime_shouldNotBeReadByTheRuntime() {
        // Lambda's runtime cannot read such an event at all: the invocation fails before the handler, and Lambda retries
        // it, then hands it to the function's on-failure destination. No record of it becomes a file of the epoch.
        assertThrows(RuntimeException.class, () -> read("put-without-event-time.json"));
    }

    @Test
    void aRecordWithoutSize_shouldReadAsZeroBytesInTheRuntime() throws IOException {
        // The runtime's reader gives an absent size as 0: only the object itself tells such a record from an empty file.
        assertEquals(0, assertInstanceOf(Notification.Created.class, read("put-without-size.json").getFirst()).size());
    }

    @Test
    void anEmptyObject_shouldBeACreatedObjectOfNoBytes() throws IOException {
        var created = assertInstanceOf(Notification.Created.class, read("put-empty-object.json").getFirst());

        assertEquals(0, created.size());
        assertEquals("interactions/empty.csv", created.key());
    }

    @Test
    void anS3TestEvent_shouldHaveNoRecords() throws IOException {
        assertEquals(List.of(), read("s3-test-event.json"));
    }

    @Test
    void aRecordWithoutObject_shouldBeSkipped() {
        var record = new com.amazonaws.services.lambda.runtime.events.models.s3.S3EventNotification
                .S3EventNotificationRecord(null, "ObjectCreated:Put", "aws:s3", null, "2.1", null, null, null, null);

        assertEquals(new Notification.Skipped(null, "record has no s3 bucket or object"), S3Notifications.read(record));
    }

    private static Notification.Skipped skipped(String fixture) throws IOException {
        return assertInstanceOf(Notification.Skipped.class, read(fixture).getFirst());
    }
}
