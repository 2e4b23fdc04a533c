package io.personalizeimport.local.notifications;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Builds S3 event notification messages in the format S3 sends (event message structure, event version 2.1): one
 * record per event.
 */
public final class S3EventFormat {

    public static final String EVENT_VERSION = "2.1";
    public static final String PUT = "ObjectCreated:Put";
    public static final String COMPLETE_MULTIPART_UPLOAD = "ObjectCreated:CompleteMultipartUpload";

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final DateTimeFormatter EVENT_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);
    private static final SecureRandom RANDOM = new SecureRandom();

    private S3EventFormat() {
    }

    /** One write of an object, as a notification describes it. */
    public record ObjectWrite(String bucket, String key, long size, String eTag, String sequencer, Instant eventTime) {

        /** S3 reports a multipart upload's ETag as {@code <md5 of the part md5s>-<part count>}. */
        public boolean multipart() {
            return eTag.indexOf('-') >= 0;
        }
    }

    /** Who the events say wrote the objects and owns the bucket, and where the bucket is. */
    public record Origin(String region, String principalId) {
    }

    /** The {@code {"Records":[...]}} document for one write notified to configuration {@code configurationId}. */
    public static ObjectNode objectCreated(ObjectWrite write, String configurationId, Origin origin) {
        ObjectNode event = MAPPER.createObjectNode();
        ObjectNode record = event.putArray("Records").addObject();
        record.put("eventVersion", EVENT_VERSION);
        record.put("eventSource", "aws:s3");
        record.put("awsRegion", origin.region());
        record.put("eventTime", EVENT_TIME.format(write.eventTime()));
        record.put("eventName", write.multipart() ? COMPLETE_MULTIPART_UPLOAD : PUT);
        record.putObject("userIdentity").put("principalId", "AWS:" + origin.principalId());
        record.putObject("requestParameters").put("sourceIPAddress", "127.0.0.1");
        ObjectNode response = record.putObject("responseElements");
        response.put("x-amz-request-id", HexFormat.of().withUpperCase().formatHex(randomBytes(8)));
        response.put("x-amz-id-2", Base64.getEncoder().encodeToString(randomBytes(48)));
        ObjectNode s3 = record.putObject("s3");
        s3.put("s3SchemaVersion", "1.0");
        s3.put("configurationId", configurationId);
        ObjectNode bucket = s3.putObject("bucket");
        bucket.put("name", write.bucket());
        bucket.putObject("ownerIdentity").put("principalId", origin.principalId());
        bucket.put("arn", "arn:aws:s3:::" + write.bucket());
        ObjectNode object = s3.putObject("object");
        object.put("key", encodeKey(write.key()));
        object.put("size", write.size());
        object.put("eTag", write.eTag());
        // No versionId: the local bucket is unversioned, and S3 omits the field for unversioned buckets.
        object.put("sequencer", write.sequencer());
        return event;
    }

    /**
     * The key as S3 writes it into an event: URL-encoded as a form field ({@code ' '} -> {@code +}, {@code +} ->
     * {@code %2B}, UTF-8 octets percent-encoded), slashes kept.
     */
    public static String encodeKey(String key) {
        return Arrays.stream(key.split("/", -1))
                .map(segment -> URLEncoder.encode(segment, StandardCharsets.UTF_8))
                .collect(Collectors.joining("/"));
    }

    /** S3's sequencer form: upper-case hex, fixed width, so equal-length values of one key compare as strings. */
    public static String sequencer(long value) {
        return String.format(Locale.ROOT, "%018X", value);
    }

    private static byte[] randomBytes(int count) {
        byte[] bytes = new byte[count];
        RANDOM.nextBytes(bytes);
        return bytes;
    }
}
