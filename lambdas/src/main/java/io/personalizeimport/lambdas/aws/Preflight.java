package io.personalizeimport.lambdas.aws;

import io.personalizeimport.lambdas.Json;
import io.personalizeimport.lambdas.domain.CsvHeader;
import io.personalizeimport.lambdas.domain.DatasetSchema;
import io.personalizeimport.lambdas.errors.InvalidImportRequestException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.services.personalize.PersonalizeClient;
import software.amazon.awssdk.services.personalize.model.ResourceNotFoundException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * Checks a file's CSV header against its dataset's schema before an import job is spent on it: one ranged GET of
 * the file's first bytes, and the schema from DescribeDataset then DescribeSchema, cached for the container's life.
 */
public final class Preflight {

    /** Enough for any header Personalize accepts; the rest of the file is never read here. */
    static final int HEAD_BYTES = 64 * 1024;
    /** A prefix import checks at most this many files, so one execution's task stays well within its timeout. */
    static final int MAX_FILES = 100;

    private final S3Client s3;
    private final PersonalizeClient personalize;
    private final Map<String, DatasetSchema> schemas = new ConcurrentHashMap<>();

    public Preflight(S3Client s3, PersonalizeClient personalize) {
        this.s3 = s3;
        this.personalize = personalize;
    }

    /** Why the data at {@code dataLocation} cannot be imported into the dataset, or empty when it looks right. */
    public Optional<String> check(String datasetArn, String dataLocation) {
        S3Location location = S3Location.parse(dataLocation);
        DatasetSchema schema = schema(datasetArn);
        if (!location.isPrefix()) {
            return checkFile(schema, location.bucket(), location.key());
        }
        List<String> keys = csvKeys(location);
        if (keys.isEmpty()) {
            return Optional.of("No CSV files found under " + dataLocation + ": expected at least one object ending in .csv");
        }
        for (String key : keys) {
            Optional<String> problem = checkFile(schema, location.bucket(), key);
            if (problem.isPresent()) {
                return problem;
            }
        }
        return Optional.empty();
    }

    private Optional<String> checkFile(DatasetSchema schema, String bucket, String key) {
        String location = "s3://" + bucket + "/" + key;
        ResponseBytes<GetObjectResponse> head;
        try {
            head = s3.getObjectAsBytes(request -> request.bucket(bucket).key(key).range("bytes=0-" + (HEAD_BYTES - 1)));
        } catch (NoSuchKeyException | NoSuchBucketException e) {
            return Optional.of("Input file " + location + " does not exist (any more): expected a CSV object there");
        }
        byte[] bytes = head.asByteArray();
        if (bytes.length == 0) {
            return Optional.of("Input CSV " + location + " is empty: expected a header row and records");
        }
        boolean complete = bytes.length < HEAD_BYTES;
        Optional<List<String>> header = CsvHeader.parse(bytes, complete);
        if (header.isEmpty()) {
            return Optional.of("Input CSV " + location + " has no complete header row in its first " + HEAD_BYTES
                    + " bytes: expected a first line naming the columns");
        }
        return schema.rejectHeader(location, header.get());
    }

    private List<String> csvKeys(S3Location location) {
        List<String> keys = new ArrayList<>();
        String token = null;
        do {
            String continuation = token;
            ListObjectsV2Response page;
            try {
                page = s3.listObjectsV2(request -> request.bucket(location.bucket()).prefix(location.key())
                        .continuationToken(continuation));
            } catch (NoSuchBucketException e) {
                return keys;
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
    public DatasetSchema schema(String datasetArn) {
        return schemas.computeIfAbsent(datasetArn, arn -> {
            String schemaArn;
            try {
                schemaArn = personalize.describeDataset(request -> request.datasetArn(arn)).dataset().schemaArn();
            } catch (ResourceNotFoundException e) {
                throw new InvalidImportRequestException("Dataset " + arn + " does not exist: expected the ARN of an"
                        + " existing Personalize dataset (check the route's datasetArn)", e);
            }
            String avro = personalize.describeSchema(request -> request.schemaArn(schemaArn)).schema().schema();
            try {
                return DatasetSchema.fromAvro(avro, Json.MAPPER);
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException("Schema " + schemaArn + " of dataset " + arn + ": " + e.getMessage(), e);
            }
        });
    }
}
