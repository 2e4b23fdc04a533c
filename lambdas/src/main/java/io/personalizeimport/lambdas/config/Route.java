package io.personalizeimport.lambdas.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One routing rule: objects whose key starts with {@code prefix} are imported into {@code datasetArn}, batched as
 * {@code group} and {@code coalesce} say (docs/lanes-and-ledger.md).
 *
 * @param publishAttributionMetricsToS3 null when the route leaves it to Personalize's default
 * @param group whether each file is an import ({@link Group#FILE}) or each folder with its marker ({@link Group#FOLDER})
 * @param marker the object whose arrival completes a folder (folder routes only)
 * @param markerTimeout how long a folder may wait for its marker before it is reported (folder routes only)
 * @param coalesce whether the INCREMENTAL files waiting when the lane frees up are imported as one job
 * @param expectEvery how often an import into the dataset is expected to succeed, whole hours from PT1H to P7D; the
 *     deployed stack alarms when none did for that long. Null when the route expects no rhythm.
 * @param longestHold how long the files of a coalescing INTERACTIONS route wait for Personalize's minimum of records
 *     per job before the hold is reported (they keep waiting); other routes hold nothing and keep the default
 */
public record Route(
        String name,
        String prefix,
        String datasetArn,
        ImportMode importMode,
        String roleArn,
        Map<String, String> tags,
        Boolean publishAttributionMetricsToS3,
        Group group,
        String marker,
        Duration markerTimeout,
        boolean coalesce,
        Duration expectEvery,
        Duration longestHold) {

    /** The default marker: the empty object Spark, Glue and Hadoop write last. */
    public static final String DEFAULT_MARKER = "_SUCCESS";
    /** The default time a folder may wait for its marker. */
    public static final Duration DEFAULT_MARKER_TIMEOUT = Duration.ofHours(1);
    /**
     * The bounds of {@code expectEvery}: a staleness alarm looks at hourly sums, and CloudWatch evaluates at most 7 days
     * of them (PutMetricAlarm: Period x EvaluationPeriods at most 604,800 seconds).
     */
    public static final Duration MIN_EXPECT_EVERY = Duration.ofHours(1);
    public static final Duration MAX_EXPECT_EVERY = Duration.ofDays(7);
    /** The default and the bounds of {@code longestHold}. */
    public static final Duration DEFAULT_LONGEST_HOLD = Duration.ofHours(24);
    public static final Duration MIN_LONGEST_HOLD = Duration.ofMinutes(1);
    public static final Duration MAX_LONGEST_HOLD = Duration.ofDays(30);

    /** What one import job of the route carries. */
    public enum Group {
        FILE, FOLDER
    }

    public Route {
        tags = Map.copyOf(tags);
    }

    /** A file route with no batching options, as routes were before lanes. */
    public Route(String name, String prefix, String datasetArn, ImportMode importMode, String roleArn,
                 Map<String, String> tags, Boolean publishAttributionMetricsToS3) {
        this(name, prefix, datasetArn, importMode, roleArn, tags, publishAttributionMetricsToS3, Group.FILE,
                DEFAULT_MARKER, DEFAULT_MARKER_TIMEOUT, false, null, DEFAULT_LONGEST_HOLD);
    }

    /**
     * The key suffixes each route's S3 notifications subscribe, in the deployed and the local stack alike. S3 compares
     * suffixes case-sensitively, so {@code .csv} alone would miss {@code FILE.CSV}, which the trigger accepts; any
     * other spelling, such as {@code .Csv}, reaches no function.
     */
    public static final List<String> CSV_SUFFIXES = List.of(".csv", ".CSV");

    /**
     * Whether this route's files wait until together they hold Personalize's minimum of records per interactions
     * import job: INCREMENTAL files of an INTERACTIONS dataset that coalesce.
     */
    public boolean holdsForRecords() {
        return coalesce && importMode == ImportMode.INCREMENTAL && datasetArn.endsWith("/INTERACTIONS");
    }

    public boolean matches(String key) {
        return key.startsWith(prefix);
    }

    /** True for the marker object of a folder of this route: {@code <prefix><folder>/<marker>}. */
    public boolean isMarker(String key) {
        return group == Group.FOLDER && matches(key) && key.endsWith("/" + marker)
                && key.length() > prefix.length() + marker.length() + 1;
    }

    /**
     * The folder a key of a folder route belongs to, {@code <prefix><folder>/}, or null when the key lies directly
     * under the prefix (such a file belongs to no folder).
     */
    public String folderOf(String key) {
        int slash = key.indexOf('/', prefix.length());
        return group == Group.FOLDER && matches(key) && slash > prefix.length() ? key.substring(0, slash + 1) : null;
    }
}
