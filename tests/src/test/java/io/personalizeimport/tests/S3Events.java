package io.personalizeimport.tests;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

/**
 * S3 ObjectCreated notifications in S3's own format (Amazon S3 User Guide, 'Event message structure'), for objects that
 * exist in the local S3.
 */
final class S3Events {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final DateTimeFormatter EVENT_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
    /** S3 hands out growing sequencers per key; one counter for all keys keeps every write distinct and ordered. */
    private static final AtomicLong SEQUENCER = new AtomicLong(0x0055AED6DCD90281L);

    private S3Events() {
    }

    /**
     * One notification event holding a Put record for each key, read from the object's metadata: each record is a new
     * write, with its own sequencer and the current time, as S3 notifies a new upload.
     */
    static String put(S3Client s3, String bucket, String... keys) {
        return putAt(s3, bucket, Instant.now(), keys);
    }

    /** As {@link #put}, the writes made at {@code eventTime}: an upload whose hours in a lane have passed already. */
    static String putAt(S3Client s3, String bucket, Instant eventTime, String... keys) {
        ObjectNode event = MAPPER.createObjectNode();
        ArrayNode records = event.putArray("Records");
        for (String key : keys) {
            HeadObjectResponse head = s3.headObject(request -> request.bucket(bucket).key(key));
            ObjectNode record = records.addObject();
            record.put("eventVersion", "2.1");
            record.put("eventSource", "aws:s3");
            record.put("awsRegion", "us-east-1");
            record.put("eventTime", EVENT_TIME.format(eventTime));
            record.put("eventName", "ObjectCreated:Put");
            record.putObject("userIdentity").put("principalId", "AWS:AIDALOCAL");
            ObjectNode s3Node = record.putObject("s3");
            s3Node.put("s3SchemaVersion", "1.0");
            s3Node.put("configurationId", "local");
            ObjectNode bucketNode = s3Node.putObject("bucket");
            bucketNode.put("name", bucket);
            bucketNode.put("arn", "arn:aws:s3:::" + bucket);
            ObjectNode object = s3Node.putObject("object");
            object.put("key", encode(key));
            object.put("size", head.contentLength());
            object.put("eTag", head.eTag().replace("\"", ""));
            if (head.versionId() != null) {
                object.put("versionId", head.versionId());
            }
            object.put("sequencer", String.format("%016X", SEQUENCER.incrementAndGet()));
        }
        return event.toString();
    }

    /** The event with each of its records twice: the same write delivered twice in one invocation. */
    static String repeated(String event) {
        try {
            ObjectNode root = (ObjectNode) MAPPER.readTree(event);
            ArrayNode records = (ArrayNode) root.get("Records");
            records.addAll(records.deepCopy());
            return root.toString();
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("not an S3 event: " + event, e);
        }
    }

    /** S3 encodes a key as a form field, keeping its slashes. */
    static String encode(String key) {
        return Arrays.stream(key.split("/", -1))
                .map(segment -> URLEncoder.encode(segment, StandardCharsets.UTF_8))
                .collect(Collectors.joining("/"));
    }
}
