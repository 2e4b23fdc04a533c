package io.personalizeimport.lambdas.domain;

/**
 * One version of one object: what an S3 notification names. Either {@code versionId} (versioned buckets) or
 * {@code eTag} tells two writes of the same key apart.
 */
public record S3Object(String bucket, String key, String versionId, String eTag, long size) {

    public String location() {
        return "s3://" + bucket + "/" + key;
    }

    /** The part of the identity that changes with every write of the key. */
    public String revision() {
        if (versionId != null && !versionId.isEmpty()) {
            return "version:" + versionId;
        }
        if (eTag != null && !eTag.isEmpty()) {
            return "etag:" + eTag.replace("\"", "");
        }
        return "unversioned";
    }
}
