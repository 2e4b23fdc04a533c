package io.personalizeimport.lambdas.lane;

import io.personalizeimport.lambdas.lane.ObjectHead;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/** A bucket in memory: each write of a key gets a new eTag, as S3 gives one per content. */
final class InMemoryObjects implements ObjectStore {

    private final Map<String, Stored> objects = new HashMap<>();
    private final List<String> copies = new ArrayList<>();
    private final List<String> reads = new ArrayList<>();
    private final List<String> puts = new ArrayList<>();
    private final Map<String, String> refused = new HashMap<>();
    private int writes;
    private int active;
    private int mostAtOnce;
    private Runnable duringEachCopy = () -> { };

    private record Stored(String eTag, byte[] content) {
    }

    /** Writes the object; returns its eTag. */
    synchronized String put(String bucket, String key, String content) {
        String eTag = "etag-" + (++writes);
        objects.put(bucket + "/" + key, new Stored(eTag, content.getBytes(StandardCharsets.UTF_8)));
        return eTag;
    }

    /** Makes every read of the object fail as S3 refuses one: {@code refusal} is the error code and message. */
    synchronized void refuseReads(String bucket, String key, String refusal) {
        refused.put(bucket + "/" + key, refusal);
    }

    synchronized void delete(String bucket, String key) {
        objects.remove(bucket + "/" + key);
    }

    @Override
    public synchronized Optional<ObjectHead> head(String bucket, String key, int bytes) {
        reads.add(key);
        if (refused.containsKey(bucket + "/" + key)) {
            throw new UnreadableObjectException("s3://" + bucket + "/" + key, refused.get(bucket + "/" + key), null);
        }
        Stored stored = objects.get(bucket + "/" + key);
        if (stored == null) {
            return Optional.empty();
        }
        byte[] first = Arrays.copyOf(stored.content(), Math.min(bytes, stored.content().length));
        return Optional.of(new ObjectHead(bucket, key, null, stored.eTag(), stored.content().length, first));
    }

    @Override
    public synchronized long records(LaneFile file, long upTo) {
        Stored stored = objects.get(file.bucket() + "/" + file.key());
        if (stored == null) {
            throw new IllegalStateException("no object " + file.key() + " to count");
        }
        return CsvRecords.count(new java.io.ByteArrayInputStream(stored.content()), upTo);
    }

    /**
     * Copies as S3 does: exactly the notified write, or a refusal no retry heals when it is gone or may not be read. The
     * work set by {@link #duringEachCopy} runs first, outside the bucket's lock, so copies overlap as on S3.
     */
    @Override
    public void copy(LaneFile file, String targetKey) {
        synchronized (this) {
            active++;
            mostAtOnce = Math.max(mostAtOnce, active);
        }
        try {
            duringEachCopy.run();
            synchronized (this) {
                objects.put(file.bucket() + "/" + targetKey, readable(file));
                copies.add(file.key() + " -> " + targetKey);
            }
        } finally {
            synchronized (this) {
                active--;
            }
        }
    }

    /** Reads exactly the notified write, as {@link #copy} copies it. */
    @Override
    public synchronized InputStream read(LaneFile file) {
        reads.add(file.key());
        return new ByteArrayInputStream(readable(file).content());
    }

    @Override
    public synchronized void put(String bucket, String key, Path content) {
        try {
            objects.put(bucket + "/" + key, new Stored("etag-" + (++writes), Files.readAllBytes(content)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        puts.add(key);
    }

    @Override
    public synchronized Set<String> keys(String bucket, String prefix) {
        Set<String> keys = new TreeSet<>();
        objects.keySet().stream().filter(path -> path.startsWith(bucket + "/" + prefix))
                .forEach(path -> keys.add(path.substring(bucket.length() + 1)));
        return keys;
    }

    /** Runs {@code work} in each copy before it writes, as a slow copy, or one that fails part way, would. */
    synchronized void duringEachCopy(Runnable work) {
        this.duringEachCopy = work;
    }

    /** The most copies that ran at once. */
    synchronized int mostCopiesAtOnce() {
        return mostAtOnce;
    }

    synchronized List<String> copies() {
        return List.copyOf(copies);
    }

    /** The keys written whole (filtered copies), one entry per write. */
    synchronized List<String> puts() {
        return List.copyOf(puts);
    }

    /** The object's content as text; null when there is none. */
    synchronized String content(String bucket, String key) {
        Stored stored = objects.get(bucket + "/" + key);
        return stored == null ? null : new String(stored.content(), StandardCharsets.UTF_8);
    }

    /** The keys read, one entry per read. */
    synchronized List<String> reads() {
        return List.copyOf(reads);
    }

    /** The notified write of the file, as S3 serves a read of its ETag, or the refusal S3 would answer. */
    private synchronized Stored readable(LaneFile file) {
        String source = file.bucket() + "/" + file.key();
        if (refused.containsKey(source)) {
            throw new UnreadableObjectException(file.location(), refused.get(source), null);
        }
        Stored stored = objects.get(source);
        if (stored == null || (file.eTag() != null && !file.eTag().equals(stored.eTag()))) {
            throw new UnreadableObjectException(file.location(), stored == null
                    ? "NoSuchKey: The specified key does not exist."
                    : "PreconditionFailed: At least one of the pre-conditions you specified did not hold", null);
        }
        return stored;
    }
}
