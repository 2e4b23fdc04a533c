package io.personalizeimport.lambdas.lane;

import io.personalizeimport.lambdas.config.DeletionRoute;
import io.personalizeimport.lambdas.config.RouteTable;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;

/**
 * What a dataset group's deletions let one of its datasets' lanes import now (docs/forgetting-users.md): nothing while
 * a deletion runs; while deletions wait, only the files written before the oldest of them, which import before it; and
 * everything when none waits.
 *
 * @param lanes the group's deletion lanes as read, which a claim of the dataset's lane checks are still so
 * @param running the deletion that runs on the group, or null
 * @param first the oldest deletion that waits, or null
 */
record DeletionBarrier(List<Lane> lanes, Lane.Running running, FileEntry first) {

    /** The barrier of the dataset's group: read from each deletion lane that covers the dataset (none for most). */
    static DeletionBarrier of(String datasetArn, RouteTable routes, Function<String, LaneView> read) {
        List<LaneView> groups = routes.deletionsOf(datasetArn).stream().map(DeletionRoute::datasetGroupArn).distinct()
                .map(read).toList();
        Lane.Running running = groups.stream().map(LaneView::lane).filter(Lane::isBusy).map(Lane::running)
                .findFirst().orElse(null);
        FileEntry first = groups.stream().flatMap(group -> group.waiting().stream())
                .min(Comparator.comparing(entry -> entry.file().order())).orElse(null);
        return new DeletionBarrier(groups.stream().map(LaneView::lane).toList(), running, first);
    }

    /** The waiting files that may import now: those written before the oldest waiting deletion, or all. */
    List<FileEntry> importable(List<FileEntry> waiting) {
        if (first == null) {
            return waiting;
        }
        String before = first.file().order();
        return waiting.stream().filter(entry -> entry.file().order().compareTo(before) < 0).toList();
    }
}
