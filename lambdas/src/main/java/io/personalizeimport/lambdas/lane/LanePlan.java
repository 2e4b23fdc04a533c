package io.personalizeimport.lambdas.lane;

import io.personalizeimport.lambdas.config.ImportMode;
import io.personalizeimport.lambdas.config.Route;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * What a free lane does next with the files waiting on it (docs/lanes-and-ledger.md): which files newer data has
 * replaced, and which files the next import job carries.
 *
 * <ul>
 *   <li>A file older than the lane's last FULL import that succeeded is superseded by it: that import replaced the
 *       dataset with newer data.</li>
 *   <li>If a FULL file waits, only the newest one is imported, so no job is spent on data it would replace. The files
 *       before it wait for its verdict: if it succeeds they are superseded by it, and if it fails it replaced nothing
 *       and they import.</li>
 *   <li>Otherwise the oldest file is imported; with a coalescing route, so are the coalescing files right after it,
 *       up to {@value #MAX_FILES} files, Personalize's 1 GB per INCREMENTAL job (Amazon Personalize Developer
 *       Guide, 'Amazon Personalize endpoints and quotas') and {@value #MAX_TICKET_BYTES} bytes of keys in the lane
 *       item and the execution's input, which DynamoDB bounds at 400 KB and Step Functions at 256 KiB.</li>
 *   <li>Such a batch of an INTERACTIONS dataset waits until its files hold Personalize's minimum of records per job
 *       together, counted when each was notified, since a job with fewer fails only after it has run; meanwhile the
 *       first file that is a job of its own (an operator's request, a folder) goes ahead, as interactions add up in
 *       any order. A batch held at one of the limits above cannot grow, so it is held with no time to wait and
 *       reported at once, rather than waiting its route's longest hold for files that could never join it.</li>
 * </ul>
 * Part files of folder routes wait for their folder's marker and are never planned on their own.
 *
 * @param superseded the waiting files that the lane ends as SUPERSEDED, each with the FULL import that replaced them
 * @param batch the files of the next import job, in lane order; empty when nothing is left to import
 * @param hold the coalescing files that wait for more records, or null when none do
 */
public record LanePlan(List<Superseded> superseded, List<FileEntry> batch, Hold hold) {

    /** The least interactions Personalize imports in one job (Amazon Personalize Developer Guide, quotas). */
    public static final long MIN_INTERACTIONS = 1_000;

    /**
     * Personalize's limit on the data of one INCREMENTAL import job (Amazon Personalize Developer Guide, 'Amazon
     * Personalize endpoints and quotas').
     */
    public static final long MAX_INCREMENTAL_BYTES = 1L << 30;
    /** Files in one coalesced job: keeps the lane item (which lists them) far below DynamoDB's 400 KB item limit. */
    public static final int MAX_FILES = 500;
    /**
     * What a batch's files may take in the lane item and the execution's input, by {@link #ticketBytes}: the lane item
     * holds each file's entry twice (its claim and its execution's input) and its key once, the input each once; so
     * both stay well below DynamoDB's 400 KB per item and Step Functions' 256 KiB per state, whatever the keys' length.
     */
    public static final int MAX_TICKET_BYTES = 160_000;

    /** A waiting file that newer data replaced; {@code by} is the newer file's key. */
    public record Superseded(FileEntry file, String by, String reason) {
    }

    /**
     * Coalescing files of an INTERACTIONS dataset that wait until together they hold {@link #MIN_INTERACTIONS} records.
     *
     * @param files the held files, in lane order
     * @param holding their records and since when they wait, not yet reported
     */
    public record Hold(List<FileEntry> files, Lane.Holding holding) {

        public Hold {
            files = List.copyOf(files);
        }
    }

    public LanePlan {
        superseded = List.copyOf(superseded);
        batch = List.copyOf(batch);
    }

    /** A plan that holds nothing. */
    public LanePlan(List<Superseded> superseded, List<FileEntry> batch) {
        this(superseded, batch, null);
    }

    /**
     * @param pending the lane's PENDING files in lane order
     * @param lastFull the lane's last FULL import, or null
     * @param routes the route of each file by name (null when the route is no longer configured)
     */
    public static LanePlan of(List<FileEntry> pending, Lane.LastFull lastFull, Function<String, Route> routes) {
        List<Superseded> superseded = new ArrayList<>();
        List<FileEntry> waiting = new ArrayList<>();
        for (FileEntry file : pending) {
            if (file.file().isPart()) {
                continue;
            }
            if (lastFull != null && file.file().order().compareTo(lastFull.order()) < 0) {
                superseded.add(new Superseded(file, lastFull.key(), "older than " + lastFull.key()
                        + ", which a FULL import already replaced the dataset with"));
            } else {
                waiting.add(file);
            }
        }
        if (waiting.isEmpty()) {
            return new LanePlan(superseded, List.of());
        }
        int newestFull = -1;
        for (int i = 0; i < waiting.size(); i++) {
            if (waiting.get(i).file().importMode() == ImportMode.FULL) {
                newestFull = i;
            }
        }
        if (newestFull >= 0) {
            return new LanePlan(superseded, List.of(waiting.get(newestFull)));
        }
        FileEntry first = waiting.getFirst();
        if (!coalesces(first, routes)) {
            return new LanePlan(superseded, List.of(first));
        }
        List<FileEntry> batch = new ArrayList<>();
        long bytes = 0;
        long ticket = 0;
        boolean full = false;
        for (FileEntry file : waiting) {
            if (!coalesces(file, routes)) {
                break;
            }
            if (batch.size() == MAX_FILES
                    || (!batch.isEmpty() && bytes + Math.max(file.file().size(), 0) > MAX_INCREMENTAL_BYTES)
                    || (!batch.isEmpty() && ticket + ticketBytes(file.file()) > MAX_TICKET_BYTES)) {
                full = true;
                break;
            }
            batch.add(file);
            bytes += Math.max(file.file().size(), 0);
            ticket += ticketBytes(file.file());
        }
        Hold hold = hold(batch, routes.apply(first.file().route()), full);
        if (hold == null) {
            return new LanePlan(superseded, batch);
        }
        List<FileEntry> ahead = waiting.stream().filter(file -> !coalesces(file, routes)).limit(1).toList();
        return new LanePlan(superseded, ahead, hold);
    }

    /**
     * The batch as held files, when its route holds for records and its files hold fewer than the minimum together;
     * each file counts up to the minimum, and a file not counted (recorded before files were counted) counts as enough.
     * A batch that is {@code full} (one job carries no more of the files that wait) cannot grow, so waiting is no use:
     * its longest hold is none, and the hold is reported at once.
     */
    private static Hold hold(List<FileEntry> batch, Route route, boolean full) {
        if (!route.holdsForRecords()) {
            return null;
        }
        long records = records(batch);
        if (records >= MIN_INTERACTIONS) {
            return null;
        }
        LaneFile first = batch.getFirst().file();
        return new Hold(batch, new Lane.Holding(records, MIN_INTERACTIONS, first.eventTime(),
                full ? Duration.ZERO : route.longestHold(), first.sortKey(), false));
    }

    /**
     * The interactions the files hold together as their lane counts them: each up to the minimum, and a file not counted
     * as enough.
     */
    static long records(List<FileEntry> files) {
        long records = 0;
        for (FileEntry file : files) {
            records += file.records() == null ? MIN_INTERACTIONS : Math.min(file.records(), MIN_INTERACTIONS);
        }
        return records;
    }

    /** A notified INCREMENTAL file of a coalescing route; an operator's request and a folder are imported alone. */
    private static boolean coalesces(FileEntry entry, Function<String, Route> routes) {
        LaneFile file = entry.file();
        Route route = routes.apply(file.route());
        return route != null && route.coalesce() && file.importMode() == ImportMode.INCREMENTAL && !file.isFolder()
                && entry.standing().executionName() == null;
    }

    /** What a file takes in a lane ticket as the lane item stores it: its entry twice and its key, in UTF-8 bytes. */
    static long ticketBytes(LaneFile file) {
        return 2L * file.sortKey().getBytes(StandardCharsets.UTF_8).length
                + file.key().getBytes(StandardCharsets.UTF_8).length;
    }

    /** True when the next job carries several files, read from server-side copies in the staging folder. */
    public boolean isCoalesced() {
        return batch.size() > 1;
    }
}
