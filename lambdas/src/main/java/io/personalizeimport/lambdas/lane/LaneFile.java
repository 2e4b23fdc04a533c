package io.personalizeimport.lambdas.lane;

import io.personalizeimport.lambdas.config.DeletionRoute;
import io.personalizeimport.lambdas.config.ImportMode;
import io.personalizeimport.lambdas.config.Route;
import io.personalizeimport.lambdas.domain.ImportRequest;
import io.personalizeimport.lambdas.domain.ImportSource;
import io.personalizeimport.lambdas.domain.S3Object;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * What a notified file is: the write S3 told of (or an operator's request) and its place in its dataset's lane.
 *
 * <p>Its place is {@link #order()}: the event time, then the sequencer, as S3 orders writes (Amazon S3 User Guide,
 * "Event message structure"), so a duplicate delivery of one event has the same place and a re-upload a new one.
 *
 * @param datasetArn the dataset whose lane it is in, or for a list of users to delete, the dataset group
 * @param route the name of the route that sent the file to its dataset
 * @param importMode how it is imported; null for a list of users to delete
 * @param object the object, or a folder ({@code prefix/folder/}, size -1) for a folder import; an operator's location
 *     whose size is not known has size -1
 * @param place where S3 put the write in order, or an operator's request in its lane
 * @param folder the folder a part file of a folder route belongs to, whose marker imports it; null otherwise
 */
public record LaneFile(String datasetArn, String route, ImportMode importMode, S3Object object, Place place,
                       String folder) {

    /**
     * A write's place in its lane.
     *
     * @param sequencer S3's sequencer of the write, or {@code console-<execution>} for an operator's request
     */
    public record Place(Instant eventTime, String sequencer) {
    }

    private static final DateTimeFormatter EVENT_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
    /** S3 sequencers are hex strings compared after right-padding with zeros; 32 digits covers those seen. */
    private static final int SEQUENCER_WIDTH = 32;

    /** An object S3 told of, in the lane of its route's dataset. */
    public static LaneFile written(Route route, S3Object object, String sequencer, Instant eventTime) {
        return new LaneFile(route.datasetArn(), route.name(), route.importMode(), object,
                new Place(eventTime, sequencer), null);
    }

    /** A folder of a folder route whose marker came, imported whole at the marker's place in the order. */
    public static LaneFile folder(Route route, String bucket, String folder, String sequencer, Instant eventTime) {
        return new LaneFile(route.datasetArn(), route.name(), route.importMode(),
                new S3Object(bucket, folder, null, null, -1), new Place(eventTime, sequencer), null);
    }

    /**
     * A list of users to delete that S3 told of, in the lane of its route's dataset group; it has no import mode.
     */
    public static LaneFile deletion(DeletionRoute route, S3Object object, String sequencer, Instant eventTime) {
        return new LaneFile(route.datasetGroupArn(), route.name(), null, object, new Place(eventTime, sequencer), null);
    }

    /** An operator's request of the execution named, placed in its lane at {@code placedAt}. */
    static LaneFile requested(ImportRequest job, ImportSource source, String executionName, Instant placedAt) {
        return new LaneFile(job.datasetArn(), source.route(), job.importMode(), new S3Object(source.bucket(),
                source.key(), source.versionId(), source.eTag(), source.size() == null ? -1 : source.size()),
                new Place(placedAt, "console-" + executionName), null);
    }

    /** The sequencer mark of a file applied again after a late file (docs/lanes-and-ledger.md). */
    private static final String AGAIN = "-again-";

    /**
     * This write applied again after the late file {@code late}: the same object, placed at this file's time in the
     * lane, as an entry of its own.
     */
    LaneFile again(LaneFile late) {
        return new LaneFile(datasetArn, route, importMode, object,
                new Place(place.eventTime(), place.sequencer() + AGAIN + late.sequencer()), folder);
    }

    /** Whether this is a write applied again after a late file, rather than a write S3 or an operator told of. */
    public boolean isAgain() {
        return place.sequencer().contains(AGAIN);
    }

    /** This file as a part of {@code folder}, which waits for the folder's marker rather than for a lane of its own. */
    public LaneFile inFolder(String folder) {
        return new LaneFile(datasetArn, route, importMode, object, place, folder);
    }

    /** The lane order: event time, then sequencer, then the object, as sortable text. */
    public String order() {
        String sequencer = place.sequencer();
        String padded = sequencer.length() >= SEQUENCER_WIDTH ? sequencer
                : sequencer + "0".repeat(SEQUENCER_WIDTH - sequencer.length());
        return EVENT_TIME.format(place.eventTime()) + "#" + padded + "#" + bucket() + "/" + key();
    }

    /** The file's key in its lane's ledger partition: its place in the order. */
    public String sortKey() {
        return "file#" + order();
    }

    public String location() {
        return object.location();
    }

    public String bucket() {
        return object.bucket();
    }

    public String key() {
        return object.key();
    }

    public String versionId() {
        return object.versionId();
    }

    public String eTag() {
        return object.eTag();
    }

    public long size() {
        return object.size();
    }

    public String sequencer() {
        return place.sequencer();
    }

    public Instant eventTime() {
        return place.eventTime();
    }

    /** True for an import of a whole folder (a marker's folder, or an operator's folder location). */
    public boolean isFolder() {
        return key().endsWith("/");
    }

    /** True for a list of users to delete, in its dataset group's lane. */
    public boolean isDeletion() {
        return importMode == null;
    }

    /** True for a part file that waits for its folder's marker rather than for a lane of its own. */
    public boolean isPart() {
        return folder != null;
    }
}
