package io.personalizeimport.lambdas.aws;

import io.personalizeimport.lambdas.lane.LaneFile;
import io.personalizeimport.lambdas.lane.ObjectHead;
import io.personalizeimport.lambdas.lane.ObjectStore;
import java.time.Clock;
import java.util.Optional;

/** The bucket's objects in S3: ranged reads of a file's first bytes, and copies of exactly the notified write. */
public final class S3Objects implements ObjectStore {

    private final AwsClients clients;
    private final Preflight reader;

    public S3Objects(AwsClients clients, Clock clock) {
        this.clients = clients;
        this.reader = new Preflight(clients.s3(), clients.personalize(), clock);
    }

    @Override
    public Optional<ObjectHead> head(String bucket, String key, int bytes) {
        return reader.head(bucket, key, bytes);
    }

    /** Copies the write by its version, or only while the object still has the notified eTag. */
    @Override
    public void copy(LaneFile file, String targetKey) {
        AwsCall.s3("CopyObject", file.key() + " to " + targetKey).run(() -> clients.s3().copyObject(copy -> {
            copy.sourceBucket(file.bucket()).sourceKey(file.key()).destinationBucket(file.bucket())
                    .destinationKey(targetKey);
            if (file.versionId() != null) {
                copy.sourceVersionId(file.versionId());
            } else if (file.eTag() != null) {
                copy.copySourceIfMatch(file.eTag());
            }
        }));
    }
}
