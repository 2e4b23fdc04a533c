package io.personalizeimport.lambdas.lane;

import java.time.Instant;

/**
 * The region's import slots in the ledger: a lane takes one in the write that claims it ({@link LaneRecords#claim}) and
 * returns it in the write that releases it ({@link LaneRecords#release}); these are the line of lanes that wait for one.
 */
public interface RegionRecords {

    /** The slots held and the lanes in line, from one consistent read. */
    Region region();

    /** Puts the lane in line, or moves it to {@code since}, the write time of its oldest waiting file. */
    void await(String datasetArn, Instant since);

    /** Takes the lane out of line: it has nothing to import, or its files are held for more. */
    void leave(String datasetArn);

    /**
     * Frees a slot that its lane no longer holds (its lane ended without returning it); false when the slot was returned
     * or taken again since it was read.
     */
    boolean free(Region.Slot slot);
}
