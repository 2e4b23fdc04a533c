package io.personalizeimport.lambdas;

import java.io.InputStream;
import java.util.List;
import java.util.Objects;
import software.amazon.awssdk.protocols.jsoncore.JsonNode;

/**
 * An S3 event notification as S3 delivers it to a function, with the fields the trigger reads (Amazon S3 User Guide,
 * "Event message structure"); the others are left out. An {@code s3:TestEvent} has no records.
 *
 * <p>Read with {@link JsonText} rather than aws-lambda-java-events' {@code S3Event}, whose Joda-Time event time alone
 * would add half a megabyte to the trigger's package.
 */
public record S3EventNotification(List<EventRecord> records) {

    public S3EventNotification {
        records = records == null ? List.of() : records.stream().filter(Objects::nonNull).toList();
    }

    /** One record: {@code eventTime} is ISO-8601 with milliseconds, {@code eventVersion} "2.x". */
    public record EventRecord(String eventVersion, String eventName, String eventTime, Entity s3) {
    }

    /** The bucket and object of a record. */
    public record Entity(Bucket bucket, ObjectEntity object) {
    }

    /** The bucket of a record. */
    public record Bucket(String name) {
    }

    /**
     * The object of a record: its key URL-encoded as a form field, and {@code versionId} only in a versioned bucket.
     */
    public record ObjectEntity(String key, Long size, String eTag, String versionId, String sequencer) {
    }

    /**
     * Reads an event from its {@code Records}; JSON {@code null} reads as an event without records.
     *
     * @throws IllegalArgumentException when it is not JSON, or a field of a record is of the wrong kind
     */
    public static S3EventNotification read(InputStream json) {
        JsonNode records = JsonText.node(JsonText.parse(json), "Records");
        if (!records.isNull() && !records.isArray()) {
            throw new IllegalArgumentException("Records is " + records + ": expected a JSON array");
        }
        return new S3EventNotification(records.isNull() ? List.of() : records.asArray().stream()
                .map(record -> record.isNull() ? null : JsonText.read(record, EventRecord.class)).toList());
    }
}
