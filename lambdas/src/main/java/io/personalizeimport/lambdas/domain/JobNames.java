package io.personalizeimport.lambdas.domain;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.Normalizer;
import java.util.HexFormat;
import java.util.Locale;

/**
 * Names import jobs (and their executions) after what they import.
 *
 * <p>A name is {@code <route>-<file stem>-<16 hex digits>}: readable in the console, always inside Personalize's
 * rule (1-63 characters, {@code ^[a-zA-Z0-9][a-zA-Z0-9\-_]*}) and Step Functions' (1-80 of {@code [0-9A-Za-z_-]}),
 * and deterministic: the digits are the first 64 bits of a SHA-256 over the object's bucket, key and revision, so
 * a duplicate delivery of the same write gets the same name, and two different writes differ with the odds of a
 * 64-bit collision (about 1 in 10^8 among a million objects).
 */
public final class JobNames {

    private static final int STEM_LENGTH = 24;
    private static final int HASH_HEX_DIGITS = 16;

    private JobNames() {
    }

    public static String forObject(String routeName, S3Object object) {
        return compose(routeName, stem(object.key()),
                hash("s3", object.bucket(), object.key(), object.revision()));
    }

    /**
     * The job of one write of an object, or of one folder, as a lane imports it: the sequencer makes every write its
     * own job, so a re-upload of the same bytes (a new event) is imported again, while a duplicate delivery of one
     * event names the same job.
     */
    public static String forWrite(String routeName, S3Object object, String sequencer) {
        String path = object.key().endsWith("/") ? object.key().substring(0, object.key().length() - 1) : object.key();
        return compose(routeName, stem(path), hash("write", object.bucket(), object.key(), object.revision(), sequencer));
    }

    /** The execution that watches a folder for its marker, named by the folder and the part that opened it. */
    public static String forFolderWatch(String routeName, String folder, String sequencer) {
        String path = folder.endsWith("/") ? folder.substring(0, folder.length() - 1) : folder;
        return compose("watch-" + routeName, stem(path), hash("folder", folder, sequencer));
    }

    /** The job of several files imported together, named by their count and identified by their lane places. */
    public static String forBatch(String routeName, java.util.List<String> orders) {
        return compose(routeName, orders.size() + "-files", hash(orders.toArray(String[]::new)));
    }

    /** A job named for an operator's request: the execution's name keeps a retried task on the same job. */
    public static String forRequest(String label, String dataLocation, String datasetArn, String executionName) {
        String path = dataLocation.endsWith("/") ? dataLocation.substring(0, dataLocation.length() - 1) : dataLocation;
        return compose(label, stem(path), hash("request", dataLocation, datasetArn, executionName));
    }

    static String compose(String label, String stem, String hash) {
        String prefix = sanitize(label);
        if (prefix.isEmpty() || !Character.isLetterOrDigit(prefix.charAt(0))) {
            prefix = "import" + (prefix.isEmpty() ? "" : "-" + prefix);
        }
        prefix = truncate(prefix, 20);
        return stem.isEmpty() ? prefix + "-" + hash : prefix + "-" + stem + "-" + hash;
    }

    /** The file name without folders and extension, reduced to the characters a job name allows. */
    static String stem(String key) {
        String name = key.substring(key.lastIndexOf('/') + 1);
        int dot = name.lastIndexOf('.');
        if (dot > 0) {
            name = name.substring(0, dot);
        }
        return truncate(sanitize(name), STEM_LENGTH);
    }

    /** Letters lose their accents; anything else outside {@code [A-Za-z0-9_-]} becomes '_'; runs collapse. */
    static String sanitize(String text) {
        String ascii = Normalizer.normalize(text, Normalizer.Form.NFKD).replaceAll("\\p{M}+", "");
        String cleaned = ascii.replaceAll("[^A-Za-z0-9_-]+", "_").replaceAll("_{2,}", "_");
        return trimSeparators(cleaned);
    }

    private static String truncate(String text, int length) {
        return text.length() <= length ? text : trimSeparators(text.substring(0, length));
    }

    private static String trimSeparators(String text) {
        return text.replaceAll("^[_-]+|[_-]+$", "");
    }

    private static String hash(String... parts) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (String part : parts) {
                digest.update(part.getBytes(StandardCharsets.UTF_8));
                digest.update((byte) 0);
            }
            return HexFormat.of().formatHex(digest.digest()).substring(0, HASH_HEX_DIGITS).toLowerCase(Locale.ROOT);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM provides SHA-256", e);
        }
    }
}
