package io.personalizeimport.lambdas.aws;

import io.personalizeimport.lambdas.lane.LaneFile;
import io.personalizeimport.lambdas.lane.ObjectHead;
import io.personalizeimport.lambdas.lane.ObjectStore;
import io.personalizeimport.lambdas.lane.UnreadableObjectException;
import io.personalizeimport.lambdas.lane.CsvRecords;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;

/**
 * The bucket's objects in S3: ranged reads of a file's first bytes, reads and copies of exactly the notified write,
 * writes of filtered copies, and listings.
 */
public final class S3Objects implements ObjectStore {

    private final S3Client s3;
    private final Preflight reader;

    /** @param reader the preflight whose ranged GET reads a file's first bytes, shared with the import jobs */
    public S3Objects(S3Client s3, Preflight reader) {
        this.s3 = s3;
        this.reader = reader;
    }

    @Override
    public Optional<ObjectHead> head(String bucket, String key, int bytes) {
        try {
            return reader.head(bucket, key, bytes);
        } catch (AwsCallException e) {
            if (e.kind() == ErrorKind.PERMANENT) {
                throw new UnreadableObjectException("s3://" + bucket + "/" + key, e.code() + ": " + e.serviceMessage(),
                        e);
            }
            throw e;
        }
    }

    /** Streams the notified write, by its version or while it has the notified eTag, until enough records are read. */
    @Override
    public long records(LaneFile file, long upTo) {
        try {
            return AwsCall.s3("GetObject", file.location()).run(() -> {
                try (ResponseInputStream<GetObjectResponse> in = s3.getObject(get -> {
                    get.bucket(file.bucket()).key(file.key());
                    if (file.versionId() != null) {
                        get.versionId(file.versionId());
                    } else if (file.eTag() != null) {
                        get.ifMatch(file.eTag());
                    }
                })) {
                    long records = CsvRecords.count(new BufferedInputStream(in, 64 * 1024), upTo);
                    // Enough counted: the rest of a large object is not downloaded.
                    in.abort();
                    return records;
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (AwsCallException e) {
            if (e.kind() == ErrorKind.PERMANENT) {
                throw new UnreadableObjectException(file.location(), e.code() + ": " + e.serviceMessage(), e);
            }
            throw e;
        }
    }

    /**
     * Copies the write by its version, or only while the object still has the notified eTag, within
     * {@link ClientFactory#COPY_TIMEOUT}. A version or key gone, a changed eTag or a refused read is no error a retry heals.
     */
    @Override
    public void copy(LaneFile file, String targetKey) {
        try {
            AwsCall.s3("CopyObject", file.location() + " to " + targetKey).run(() -> s3.copyObject(copy -> {
                copy.sourceBucket(file.bucket()).sourceKey(file.key()).destinationBucket(file.bucket())
                        .destinationKey(targetKey)
                        .overrideConfiguration(call -> call.apiCallTimeout(ClientFactory.COPY_TIMEOUT)
                                .apiCallAttemptTimeout(ClientFactory.COPY_TIMEOUT));
                if (file.versionId() != null) {
                    copy.sourceVersionId(file.versionId());
                } else if (file.eTag() != null) {
                    copy.copySourceIfMatch(file.eTag());
                }
            }));
        } catch (AwsCallException e) {
            if (e.kind() == ErrorKind.PERMANENT || e.kind() == ErrorKind.NOT_FOUND) {
                throw new UnreadableObjectException(file.location(), e.code() + ": " + e.serviceMessage(), e);
            }
            throw e;
        }
    }

    /** Opens the write by its version, or only while the object still has the notified eTag. */
    @Override
    public InputStream read(LaneFile file) {
        try {
            return AwsCall.s3("GetObject", file.location()).run(() -> s3.getObject(get -> {
                get.bucket(file.bucket()).key(file.key());
                if (file.versionId() != null) {
                    get.versionId(file.versionId());
                } else if (file.eTag() != null) {
                    get.ifMatch(file.eTag());
                }
            }));
        } catch (AwsCallException e) {
            if (e.kind() == ErrorKind.PERMANENT || e.kind() == ErrorKind.NOT_FOUND) {
                throw new UnreadableObjectException(file.location(), e.code() + ": " + e.serviceMessage(), e);
            }
            throw e;
        }
    }

    /** Uploads the file in one PutObject, within {@link ClientFactory#COPY_TIMEOUT}, as long as a copy may take. */
    @Override
    public void put(String bucket, String key, Path content) {
        AwsCall.s3("PutObject", "s3://" + bucket + "/" + key).run(() -> s3.putObject(put -> put.bucket(bucket)
                .key(key).contentType("text/csv").overrideConfiguration(call -> call
                        .apiCallTimeout(ClientFactory.COPY_TIMEOUT)
                        .apiCallAttemptTimeout(ClientFactory.COPY_TIMEOUT)), RequestBody.fromFile(content)));
    }

    /**
     * Lists the prefix a page of up to 1,000 keys at a time, page by page with the continuation token (the SDK's
     * paginator classes are left out of the deployment packages).
     */
    @Override
    public Set<String> keys(String bucket, String prefix) {
        Set<String> keys = new HashSet<>();
        String token = null;
        do {
            String after = token;
            ListObjectsV2Response page = AwsCall.s3("ListObjectsV2", "s3://" + bucket + "/" + prefix).run(
                    () -> s3.listObjectsV2(list -> list.bucket(bucket).prefix(prefix).continuationToken(after)));
            page.contents().forEach(object -> keys.add(object.key()));
            token = Boolean.TRUE.equals(page.isTruncated()) ? page.nextContinuationToken() : null;
        } while (token != null);
        return keys;
    }
}
