package io.personalizeimport.lambdas.lane;

import io.personalizeimport.lambdas.Log;
import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * The region's import slots as lanes take them (docs/lanes-and-ledger.md): a lane's next import
 * gets a free slot in its turn in line, or the lane takes its place in line; a slot that comes back wakes the lanes
 * first in line; a slot whose lane no longer holds its job is freed.
 */
final class RegionAdmission {

    /** Bounds the lanes one wake moves on. */
    private static final int MAX_ROUNDS = 20;

    private final int max;
    private final RegionRecords region;
    private final LaneRecords lanes;
    private final Clock clock;
    private volatile Instant lastRecoveryCheck;

    RegionAdmission(int max, RegionRecords region, LaneRecords lanes, Clock clock) {
        this.max = max;
        this.region = region;
        this.lanes = lanes;
        this.clock = clock;
    }

    /** A lane's turn for its next import: the free slot it takes, or its place in line. */
    sealed interface Turn {

        record Admitted(int slot) implements Turn {
        }

        record InLine(Lanes.Advance.Waiting waiting) implements Turn {
        }
    }

    /**
     * The turn of the dataset's lane for an import of {@code batch}: a free slot when fewer lanes are in line before it
     * than slots are free, else its place in line, which it keeps while it waits, even when a newer FULL file supersedes
     * its oldest one.
     */
    Turn turn(String datasetArn, List<FileEntry> batch) {
        Region now = region.region();
        Instant oldest = Stream.concat(batch.stream().map(entry -> entry.file().place().eventTime()),
                now.waiting(datasetArn).map(Region.Waiting::since).stream())
                .min(Comparator.naturalOrder()).orElseThrow();
        int place = now.place(datasetArn, oldest);
        Integer slot = now.freeSlot(max, datasetArn).orElse(null);
        if (slot != null && place < now.free(max)) {
            return new Turn.Admitted(slot);
        }
        boolean inLine = now.waiting(datasetArn).map(waiting -> waiting.since().equals(oldest)).orElse(false);
        if (!inLine) {
            region.await(datasetArn, oldest);
            Log.info("Lane waits for an import slot of the region", "datasetArn", datasetArn, "place", place,
                    "inUse", now.inUse(), "max", max, "since", oldest);
        }
        return new Turn.InLine(new Lanes.Advance.Waiting(place, now.inUse(), max, oldest));
    }

    /**
     * Moves on the lanes first in line with {@code advance} while the region has free slots: each takes a slot, or
     * leaves the line when it has nothing to import. The lane of {@code except} (null for none) is left to its caller.
     * Returns the region as it is then.
     */
    Region wake(String except, Function<String, Lanes.Advance> advance) {
        Set<String> woken = new HashSet<>();
        woken.add(except);
        for (int round = 0; round < MAX_ROUNDS; round++) {
            Region now = region.region();
            if (now.free(max) == 0 && !recoverSlots(now)) {
                break;
            }
            Region.Waiting next = now.line().stream().filter(waiting -> !woken.contains(waiting.datasetArn()))
                    .findFirst().orElse(null);
            if (next == null) {
                break;
            }
            woken.add(next.datasetArn());
            Lanes.Advance advanced = advance.apply(next.datasetArn());
            if (!(advanced instanceof Lanes.Advance.Started || advanced instanceof Lanes.Advance.Waiting)) {
                region.leave(next.datasetArn());
            }
        }
        return region.region();
    }

    /**
     * Frees the slots whose lanes no longer hold their jobs, which only a ledger edited by hand or a lane claimed and
     * released outside the pipeline leaves behind: checked while lanes wait for a full region, once a slot has been held
     * long enough for its job to start, and at most once a minute per function instance. True when it freed any.
     */
    private boolean recoverSlots(Region now) {
        Instant at = clock.instant();
        Instant last = lastRecoveryCheck;
        if (now.line().isEmpty() || last != null && last.plus(Lanes.CHECK_EVERY).isAfter(at)) {
            return false;
        }
        lastRecoveryCheck = at;
        boolean freed = false;
        for (Region.Slot slot : now.slots()) {
            if (slot.claimedAt().plus(Lanes.CHECK_AFTER).isAfter(at)) {
                continue;
            }
            Lane lane = lanes.lane(slot.datasetArn());
            if ((!lane.isBusy() || !lane.running().jobName().equals(slot.jobName())) && region.free(slot)) {
                freed = true;
                Log.warn("Import slot freed: its lane no longer holds its job", "slot", slot.number(),
                        "datasetArn", slot.datasetArn(), "jobName", slot.jobName(), "claimedAt", slot.claimedAt());
            }
        }
        return freed;
    }
}
