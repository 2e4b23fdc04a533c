package io.personalizeimport.lambdas;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Objects;

/**
 * An S3 event notification as S3 delivers it to a function, with the fields the trigger reads (Amazon S3 User Guide,
 * "Event message structure"); Jackson leaves the others out. An {@code s3:TestEvent} has no records.
 *
 * <p>Read with the functions' own mapper rather than aws-lambda-java-events' {@code S3Event}, whose Joda-Time event
 * time alone would add half a megabyte to the trigger's package.
 */
public record S3EventNotification(@JsonProperty("Records") List<EventRecord> records) {

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
    public record ObjectEntity(String key, Long size, @JsonProperty("eTag") String eTag, String versionId,
                               String sequencer) {
    }

    /** Reads an event; JSON {@code null} reads as an event without records. */
    public static S3EventNotification read(InputStream json) throws IOException {
        S3EventNotification event = Json.MAPPER.readValue(json, S3EventNotification.class);
        return event == null ? new S3EventNotification(List.of()) : event;
    }
}
