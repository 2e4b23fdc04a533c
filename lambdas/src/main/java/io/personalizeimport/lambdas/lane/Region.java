package io.personalizeimport.lambdas.lane;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.IntStream;

/**
 * The region's import slots as one read of the ledger found them: the slots held by running imports, and the free
 * lanes whose files wait for one, in line by their oldest waiting file.
 *
 * @param slots the slots held, each by one lane's import job
 * @param line the lanes that wait for a slot, oldest waiting file first
 */
public record Region(List<Slot> slots, List<Waiting> line) {

    /** Orders the line: the oldest waiting file first, then the dataset, so that every reader sees one order. */
    private static final Comparator<Waiting> IN_LINE = Comparator.comparing(Waiting::since)
            .thenComparing(Waiting::datasetArn);

    public Region {
        slots = List.copyOf(slots);
        line = line.stream().sorted(IN_LINE).toList();
    }

    /** No slot held, no lane waiting. */
    public static Region empty() {
        return new Region(List.of(), List.of());
    }

    /** A slot, numbered from 0, held by the import job {@code jobName} of the dataset's lane since {@code claimedAt}. */
    public record Slot(int number, String datasetArn, String jobName, Instant claimedAt) {
    }

    /** A free lane whose files wait for a slot since {@code since}, when its oldest waiting file was written. */
    public record Waiting(String datasetArn, Instant since) {
    }

    /** How many slots are held. */
    public int inUse() {
        return slots.size();
    }

    /** How many of {@code max} slots are free; none when more are held, as after the maximum was lowered. */
    public int free(int max) {
        return Math.max(0, max - inUse());
    }

    /**
     * The free slot numbered below {@code max} that a lane takes, spreading lanes over the free ones by {@code datasetArn}
     * so that two lanes admitted at once seldom race for the same slot; empty when all are held.
     */
    public Optional<Integer> freeSlot(int max, String datasetArn) {
        List<Integer> free = IntStream.range(0, max).boxed()
                .filter(number -> slots.stream().noneMatch(slot -> slot.number() == number)).toList();
        return free.isEmpty() ? Optional.empty()
                : Optional.of(free.get(Math.floorMod(datasetArn.hashCode(), free.size())));
    }

    /**
     * How many other lanes are in line before a lane whose oldest waiting file was written at {@code since}: its place,
     * counted from 0.
     */
    public int place(String datasetArn, Instant since) {
        Waiting self = new Waiting(datasetArn, since);
        return (int) line.stream().filter(waiting -> !waiting.datasetArn().equals(datasetArn))
                .filter(waiting -> IN_LINE.compare(waiting, self) < 0).count();
    }

    /** The lane's entry in line, if it has one. */
    public Optional<Waiting> waiting(String datasetArn) {
        return line.stream().filter(waiting -> waiting.datasetArn().equals(datasetArn)).findFirst();
    }

    /** The place of the dataset's lane in line, counted from 0, as a reader of the line sees it; empty when not in line. */
    public Optional<Integer> placeInLine(String datasetArn) {
        for (int place = 0; place < line.size(); place++) {
            if (line.get(place).datasetArn().equals(datasetArn)) {
                return Optional.of(place);
            }
        }
        return Optional.empty();
    }

    /**
     * A lane's place as the files view and the console say it: {@code 1st in line, 5 of 5 in use}, or
     * {@code 5 in use} for a reader that does not know the maximum ({@code max} null).
     */
    public static String describe(int place, int inUse, Integer max) {
        int position = place + 1;
        String suffix = position % 100 >= 11 && position % 100 <= 13 ? "th"
                : switch (position % 10) {
                    case 1 -> "st";
                    case 2 -> "nd";
                    case 3 -> "rd";
                    default -> "th";
                };
        return String.format(Locale.ROOT, "waiting for an import slot of the region: %d%s in line, %d%s in use",
                position, suffix, inUse, max == null ? "" : " of " + max);
    }
}
