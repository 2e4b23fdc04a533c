package io.personalizeimport.lambdas.lane;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;

/** The bucket's objects, as the lane reads and stages them. */
public interface ObjectStore {

    /**
     * The object's identity and its first {@code bytes} bytes; empty when there is no such object.
     *
     * @throws UnreadableObjectException when the store refuses the read for a reason no retry heals
     */
    Optional<ObjectHead> head(String bucket, String key, int bytes);

    /**
     * How many records (rows after the header) the notified write of the file holds, counting no further than
     * {@code upTo}: the count when it is less, else {@code upTo}.
     *
     * @throws UnreadableObjectException when the store refuses the read for a reason no retry heals
     */
    long records(LaneFile file, long upTo);

    /**
     * Copies the file, exactly the write that was notified, to {@code targetKey} in its bucket, in one call that may take
     * as long as a copy of the largest file a job reads.
     *
     * @throws UnreadableObjectException when the store refuses the copy for a reason no retry heals (the write is gone,
     *     or may not be read)
     */
    void copy(LaneFile file, String targetKey);

    /**
     * The notified write of the file, streamed: the caller closes it.
     *
     * @throws UnreadableObjectException when the store refuses the read for a reason no retry heals (the write is gone,
     *     or may not be read)
     */
    InputStream read(LaneFile file);

    /** Writes {@code content} as the object {@code key} of the bucket, whole or not at all. */
    void put(String bucket, String key, Path content);

    /** The keys of the objects under {@code prefix} in the bucket, every page of them. */
    Set<String> keys(String bucket, String prefix);
}
