package io.personalizeimport.lambdas.lane;

import io.personalizeimport.lambdas.domain.S3Object;

/**
 * A file's identity and first bytes, from one ranged GET: enough to tell whether it is still the write that was
 * notified, and to check its header.
 *
 * @param size the object's size in bytes
 * @param firstBytes at most {@link #HEAD_BYTES}; none for an empty object, whose version and eTag S3 does not give
 *     with its refusal of the range
 */
public record ObjectHead(String bucket, String key, String versionId, String eTag, long size, byte[] firstBytes) {

    /** How far a file is read for its header: the preflight's check and the lane's check of the write share one read. */
    public static final int HEAD_BYTES = 64 * 1024;

    public boolean isEmpty() {
        return firstBytes.length == 0;
    }

    /** Whether {@link #firstBytes} is the whole object. */
    public boolean whole() {
        return firstBytes.length >= size;
    }

    /** Whether this is the read of that object. */
    public boolean isOf(String bucket, String key) {
        return this.bucket.equals(bucket) && this.key.equals(key);
    }

    /** Whether the read reaches as far as a header may: the whole object, or {@link #HEAD_BYTES} of it. */
    public boolean holdsHeader() {
        return whole() || firstBytes.length >= HEAD_BYTES;
    }

    public S3Object object() {
        return new S3Object(bucket, key, versionId, eTag, size);
    }
}
