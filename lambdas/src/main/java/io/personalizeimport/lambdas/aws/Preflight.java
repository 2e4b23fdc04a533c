package io.personalizeimport.lambdas.aws;

import io.personalizeimport.lambdas.Log;
import io.personalizeimport.lambdas.domain.CsvHeader;
import io.personalizeimport.lambdas.domain.DatasetSchema;
import io.personalizeimport.lambdas.domain.S3Location;
import io.personalizeimport.lambdas.errors.InvalidImportRequestException;
import io.personalizeimport.lambdas.lane.ObjectHead;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.services.personalize.PersonalizeClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;

/**
 * Checks a file's CSV header, and the values of the rows in its first bytes, against its dataset's schema before an
 * import job is spent on it: one ranged GET of the file's first bytes (which also tells the lane whether the file is
 * still the write it was notified of), and the schema from DescribeDataset then DescribeSchema, cached for the
 * container's life.
 */
public final class Preflight {

    /** Enough for any header Personalize accepts, and the rows judged with it; the rest is left to the import job. */
    public static final int HEAD_BYTES = ObjectHead.HEAD_BYTES;
    private static final String INVALID_RANGE = "InvalidRange";
    /** A prefix import checks at most this many files, so one execution's task stays well within its timeout. */
    static final int MAX_FILES = 100;
    /**
     * How long a prefix check may read files before it leaves the rest to Personalize: preflight only saves import
     * jobs, so running out of time must not fail the import (the function's other calls need the remaining time).
     */
    public static final Duration PREFIX_BUDGET = Duration.ofSeconds(20);

    private final S3Client s3;
    private final PersonalizeClient personalize;
    private final Clock clock;
    private final Map<String, Schema> schemas = new ConcurrentHashMap<>();

    /** A dataset's schema, as the header check and the value check read it. */
    private record Schema(DatasetSchema header, FieldTypes values) {
    }

    public Preflight(S3Client s3, PersonalizeClient personalize, Clock clock) {
        this.s3 = s3;
        this.personalize = personalize;
        this.clock = clock;
    }

    /**
     * Reads the object's first {@link #HEAD_BYTES} bytes, its version, eTag and size; empty when there is no such object.
     *
     * @throws AwsCallException when S3 cannot answer now, or refuses the request
     */
    public Optional<ObjectHead> head(String bucket, String key) {
        return head(bucket, key, HEAD_BYTES);
    }

    /**
     * As {@link #head(String, String)}, reading at most {@code bytes} bytes: one is enough to learn which write the key
     * holds.
     */
    public Optional<ObjectHead> head(String bucket, String key, int bytes) {
        if (bytes < 1 || bytes > HEAD_BYTES) {
            throw new IllegalArgumentException("bytes must be in [1, " + HEAD_BYTES + "], was " + bytes);
        }
        ResponseBytes<GetObjectResponse> read;
        try {
            read = AwsCall.s3("GetObject", "s3://" + bucket + "/" + key).run(() -> s3.getObjectAsBytes(
                    request -> request.bucket(bucket).key(key).range("bytes=0-" + (bytes - 1))));
        } catch (AwsCallException e) {
            if (e.kind() == ErrorKind.NOT_FOUND) {
                return Optional.empty();
            }
            if (INVALID_RANGE.equals(e.code())) {
                // S3 refuses any range of an empty object (RFC 9110, 416 Range Not Satisfiable).
                return Optional.of(new ObjectHead(bucket, key, null, null, 0, new byte[0]));
            }
            throw e;
        }
        byte[] first = read.asByteArray();
        GetObjectResponse response = read.response();
        long size = size(response.contentRange(), first.length);
        return Optional.of(new ObjectHead(bucket, key, response.versionId(), response.eTag(), size, first));
    }

    /** The whole object's size from the answer's Content-Range, {@code bytes 0-65535/1048576} (RFC 9110, 14.4). */
    static long size(String contentRange, int read) {
        int slash = contentRange == null ? -1 : contentRange.lastIndexOf('/');
        if (slash < 0 || contentRange.endsWith("*")) {
            // No range in the answer: a server that sent the whole object.
            return read;
        }
        try {
            return Long.parseLong(contentRange.substring(slash + 1).strip());
        } catch (NumberFormatException e) {
            return read;
        }
    }

    /**
     * Why the data at {@code dataLocation} cannot be imported into the dataset, or empty when it looks right; with the
     * file's head when the caller has just read it (null otherwise), a file location is checked without reading it
     * again.
     */
    public Optional<String> check(String datasetArn, String dataLocation, ObjectHead read) {
        S3Location location = S3Location.parse(dataLocation);
        Schema schema = schema(datasetArn);
        if (!location.isPrefix()) {
            boolean usable = read != null && read.isOf(location.bucket(), location.key()) && read.holdsHeader();
            return checkFile(schema, location.bucket(), location.key(), usable ? read : null);
        }
        List<String> keys = csvKeys(location);
        if (keys.isEmpty()) {
            return Optional.of("No CSV files found under " + dataLocation + ": expected at least one object ending in .csv");
        }
        Instant stop = clock.instant().plus(PREFIX_BUDGET);
        for (int i = 0; i < keys.size(); i++) {
            if (clock.instant().isAfter(stop)) {
                Log.warn("Preflight ran out of time; Personalize checks the remaining files itself",
                        "dataLocation", dataLocation, "checkedFiles", i, "files", keys.size());
                break;
            }
            Optional<String> problem = checkFile(schema, location.bucket(), keys.get(i), null);
            if (problem.isPresent()) {
                return problem;
            }
        }
        return Optional.empty();
    }

    /**
     * The check of a small file of the dataset's own columns, held in memory: what a file's check runs, without reading
     * S3. SnapStart priming runs it so that the snapshot holds the header and value checks' code (docs/performance.md,
     * "Deployment packages and SnapStart"); it answers empty, as such a file passes.
     */
    public Optional<String> checkSample(String datasetArn, String bucket) {
        Schema schema = schema(datasetArn);
        List<FieldTypes.Field> fields = schema.values().fields();
        StringBuilder csv = new StringBuilder(String.join(",", fields.stream().map(FieldTypes.Field::name).toList()));
        for (int row = 0; row < 3; row++) {
            csv.append('\n').append(String.join(",", fields.stream().map(field -> switch (field.type() == null ? ""
                    : field.type()) {
                case "int", "long" -> "1700000000";
                case "float", "double" -> "1.5";
                case "boolean" -> "true";
                default -> "sample";
            }).toList()));
        }
        byte[] bytes = (csv + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        String key = "priming/sample.csv";
        return checkFile(schema, bucket, key, new ObjectHead(bucket, key, null, null, bytes.length, bytes));
    }

    private Optional<String> checkFile(Schema schema, String bucket, String key, ObjectHead read) {
        String location = "s3://" + bucket + "/" + key;
        ObjectHead head = read != null ? read : head(bucket, key).orElse(null);
        if (head == null) {
            return Optional.of("Input file " + location + " does not exist (any more): expected a CSV object there");
        }
        if (head.isEmpty()) {
            return Optional.of("Input CSV " + location + " is empty: a CSV needs a header row and at least one record");
        }
        Optional<List<String>> header = CsvHeader.parse(head.firstBytes(), head.whole());
        if (header.isEmpty()) {
            return Optional.of("Input CSV " + location + " has no complete header row in its first " + HEAD_BYTES
                    + " bytes: expected a first line naming the columns");
        }
        Optional<String> badHeader = schema.header().rejectHeader(location, header.get());
        if (badHeader.isPresent()) {
            return badHeader;
        }
        return schema.values().reject(location, CsvSample.read(head.firstBytes(), head.whole()));
    }

    private List<String> csvKeys(S3Location location) {
        List<String> keys = new ArrayList<>();
        String token = null;
        do {
            String continuation = token;
            ListObjectsV2Response page;
            try {
                page = AwsCall.s3("ListObjectsV2", "s3://" + location.bucket() + "/" + location.key())
                        .run(() -> s3.listObjectsV2(request -> request.bucket(location.bucket()).prefix(location.key())
                                .continuationToken(continuation)));
            } catch (AwsCallException e) {
                if (e.kind() == ErrorKind.NOT_FOUND) {
                    return keys;
                }
                throw e;
            }
            page.contents().stream()
                    .map(object -> object.key())
                    .filter(key -> key.toLowerCase(Locale.ROOT).endsWith(".csv"))
                    .limit(MAX_FILES - keys.size())
                    .forEach(keys::add);
            token = page.nextContinuationToken();
        } while (token != null && keys.size() < MAX_FILES);
        return keys;
    }

    /** The dataset's schema, asked of Personalize once per container. */
    private Schema schema(String datasetArn) {
        return schemas.computeIfAbsent(datasetArn, arn -> {
            String schemaArn;
            try {
                schemaArn = AwsCall.personalize("DescribeDataset", "dataset " + arn)
                        .run(() -> personalize.describeDataset(request -> request.datasetArn(arn))).dataset().schemaArn();
            } catch (AwsCallException e) {
                if (e.kind() == ErrorKind.NOT_FOUND) {
                    throw new InvalidImportRequestException("Dataset " + arn + " does not exist: expected the ARN of an"
                            + " existing Personalize dataset (check the route's datasetArn)", e);
                }
                throw e;
            }
            String avro = AwsCall.personalize("DescribeSchema", "schema " + schemaArn + " of dataset " + arn)
                    .run(() -> personalize.describeSchema(request -> request.schemaArn(schemaArn))).schema().schema();
            try {
                return new Schema(DatasetSchema.fromAvro(avro), FieldTypes.fromAvro(avro));
            } catch (IllegalArgumentException e) {
                throw new InvalidImportRequestException("Schema " + schemaArn + " of dataset " + arn
                        + " cannot be read: " + e.getMessage(), e);
            }
        });
    }
}
