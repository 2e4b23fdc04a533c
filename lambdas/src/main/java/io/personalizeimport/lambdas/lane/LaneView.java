package io.personalizeimport.lambdas.lane;

import java.util.List;

/**
 * A lane as one read found it.
 *
 * @param waiting the files that wait for a free lane, in lane order; empty when the lane is busy
 */
public record LaneView(Lane lane, List<FileEntry> waiting) {

    public LaneView {
        waiting = List.copyOf(waiting);
    }
}
