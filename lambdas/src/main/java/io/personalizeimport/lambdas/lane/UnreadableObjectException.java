package io.personalizeimport.lambdas.lane;

/**
 * The store refused to read a file for a reason no retry heals: no permission, a KMS key the pipeline may not use, an
 * archived storage class. The file ends REJECTED with the reason, and the files behind it in its lane move on.
 */
public final class UnreadableObjectException extends RuntimeException {

    /**
     * @param location the file, {@code s3://bucket/key}
     * @param refusal the store's error code and message
     */
    public UnreadableObjectException(String location, String refusal, Throwable cause) {
        super(location + " cannot be read: " + refusal + " (expected an object the pipeline's role may read: check the"
                + " bucket policy, the object's KMS key and its storage class, then upload it again)", cause);
    }
}
