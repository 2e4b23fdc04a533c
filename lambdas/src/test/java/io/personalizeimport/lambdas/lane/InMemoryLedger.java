package io.personalizeimport.lambdas.lane;

import io.personalizeimport.lambdas.events.OutboxEvent;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The ledger's records in memory, with the conditions the DynamoDB ledger writes with: a file is recorded once, settled
 * only while it has no final status, a lane claimed only as it was read and with a free slot of the region, handed on or
 * released (with its slot) only by its holder, an outbox event claimed only while it is there and no other claim holds.
 */
final class InMemoryLedger implements FileRecords, LaneRecords, RegionRecords, FolderRecords, OutboxRecords {

    private final Map<String, TreeMap<String, FileEntry>> files = new HashMap<>();
    private final Map<String, Lane> lanes = new HashMap<>();
    private final Map<String, Folder> folders = new HashMap<>();
    private final Map<String, OutboxEvent> outbox = new LinkedHashMap<>();
    private final Map<String, Claim> claims = new HashMap<>();
    private final Map<Integer, Region.Slot> slots = new TreeMap<>();
    private final Map<String, Instant> line = new HashMap<>();
    private final int movedWithClaim;
    /** Runs before the next claim is written, as another function's write between a read and the claim would. */
    private Runnable beforeNextClaim = () -> { };
    private int holdWrites;
    private int lineWrites;

    private record Folder(String watch, boolean closed, String importedBy) {
    }

    InMemoryLedger(int movedWithClaim) {
        this.movedWithClaim = movedWithClaim;
    }

    InMemoryLedger() {
        this(Integer.MAX_VALUE);
    }

    void beforeNextClaim(Runnable interference) {
        this.beforeNextClaim = interference;
    }

    @Override
    public synchronized boolean record(FileEntry entry, OutboxEvent event) {
        TreeMap<String, FileEntry> lane = files.computeIfAbsent(entry.file().datasetArn(), dataset -> new TreeMap<>());
        if (lane.containsKey(entry.file().sortKey())) {
            return false;
        }
        lane.put(entry.file().sortKey(), entry);
        write(event);
        return true;
    }

    @Override
    public synchronized Optional<FileEntry> file(String datasetArn, String sortKey) {
        return Optional.ofNullable(files.getOrDefault(datasetArn, new TreeMap<>()).get(sortKey));
    }

    @Override
    public synchronized List<FileEntry> files(String datasetArn, FileStatus status) {
        return files.getOrDefault(datasetArn, new TreeMap<>()).values().stream()
                .filter(file -> file.standing().status() == status).toList();
    }

    /** Every file of the dataset, in lane order. */
    synchronized List<FileEntry> files(String datasetArn) {
        return List.copyOf(files.getOrDefault(datasetArn, new TreeMap<>()).values());
    }

    @Override
    public synchronized boolean settle(FileEntry settled, OutboxEvent event) {
        FileEntry current = files.getOrDefault(settled.file().datasetArn(), new TreeMap<>())
                .get(settled.file().sortKey());
        if (current == null || current.standing().status().isFinal()) {
            return false;
        }
        put(current, settled);
        write(event);
        return true;
    }

    /** The file as a settlement leaves it: the new status, and what it names, keeping what it leaves out. */
    private void put(FileEntry current, FileEntry settled) {
        FileEntry.Standing was = current.standing();
        FileEntry.Standing now = settled.standing();
        files.get(current.file().datasetArn()).put(current.file().sortKey(), new FileEntry(current.file(),
                new FileEntry.Standing(now.status(), or(now.jobName(), was.jobName()),
                        or(now.executionName(), was.executionName()), or(now.supersededBy(), was.supersededBy()),
                        or(now.reason(), was.reason())), settled.records() != null ? settled.records()
                        : current.records()));
    }

    private static String or(String value, String kept) {
        return value != null ? value : kept;
    }

    @Override
    public synchronized Lane lane(String datasetArn) {
        return lanes.getOrDefault(datasetArn, Lane.free(datasetArn));
    }

    @Override
    public synchronized LaneView laneView(String datasetArn) {
        Lane lane = lane(datasetArn);
        return new LaneView(lane, lane.isBusy() ? List.of() : files(datasetArn, FileStatus.PENDING));
    }

    @Override
    public boolean claim(Lane read, Lane.Running running, List<FileEntry> claimed, List<Lane> unchanged) {
        Runnable interference = beforeNextClaim;
        beforeNextClaim = () -> { };
        interference.run();
        synchronized (this) {
            Lane current = lane(read.datasetArn());
            boolean anySettled = claimed.stream().limit(movedWithClaim)
                    .map(FileEntry::file).anyMatch(file -> file(file.datasetArn(), file.sortKey())
                            .map(f -> f.standing().status().isFinal()).orElse(true));
            boolean othersChanged = unchanged.stream().anyMatch(other -> {
                Lane now = lane(other.datasetArn());
                return now.isBusy() || now.version() != other.version();
            });
            if (current.isBusy() || current.version() != read.version() || anySettled || othersChanged
                    || running.slot() != null && slots.containsKey(running.slot())) {
                return false;
            }
            if (running.slot() != null) {
                slots.put(running.slot(), new Region.Slot(running.slot(), read.datasetArn(), running.jobName(),
                        running.claimedAt()));
            }
            line.remove(read.datasetArn());
            lanes.put(read.datasetArn(), new Lane(read.datasetArn(), running, current.lastFull(), current.lastIncremental(),
                    null, read.version() + 1));
            for (FileEntry file : claimed) {
                settle(file.withStatus(file.file().isDeletion() ? FileStatus.DELETING : FileStatus.IMPORTING,
                        running.jobName(), null, null), null);
            }
            return true;
        }
    }

    @Override
    public synchronized boolean hold(Lane read, Lane.Holding holding) {
        Lane current = lane(read.datasetArn());
        if (current.isBusy() || current.version() != read.version()) {
            return false;
        }
        lanes.put(read.datasetArn(), new Lane(read.datasetArn(), null, current.lastFull(), current.lastIncremental(),
                holding, read.version() + 1));
        holdWrites++;
        return true;
    }

    @Override
    public synchronized boolean reportHold(String datasetArn, Lane.Holding holding, OutboxEvent event) {
        Lane current = lane(datasetArn);
        Lane.Holding held = current.holding();
        if (held == null || held.reported() || !held.first().equals(holding.first())) {
            return false;
        }
        lanes.put(datasetArn, new Lane(datasetArn, current.running(), current.lastFull(), current.lastIncremental(),
                held.asReported(), current.version() + 1));
        write(event);
        return true;
    }

    /** How many times a lane's hold was written. */
    synchronized int holdWrites() {
        return holdWrites;
    }

    @Override
    public int filesMovedWithClaim() {
        return movedWithClaim;
    }

    @Override
    public synchronized boolean markStarted(String datasetArn, String executionName) {
        Lane lane = lane(datasetArn);
        if (!heldBy(lane, executionName)) {
            return false;
        }
        lanes.put(datasetArn, new Lane(datasetArn, lane.running().asStarted(), lane.lastFull(), lane.lastIncremental(),
                lane.holding(), lane.version()));
        return true;
    }

    @Override
    public synchronized boolean resume(String datasetArn, String executionName, Lane.Running resumed) {
        Lane lane = lane(datasetArn);
        if (!heldBy(lane, executionName)) {
            return false;
        }
        lanes.put(datasetArn, new Lane(datasetArn, resumed, lane.lastFull(), lane.lastIncremental(), lane.holding(),
                lane.version() + 1));
        return true;
    }

    @Override
    public synchronized boolean release(String datasetArn, String executionName, String importedKey, String jobName,
                                        Lane.LastFull replaced, String lastIncremental, OutboxEvent event) {
        Lane lane = lane(datasetArn);
        if (!heldBy(lane, executionName)) {
            return false;
        }
        if (lane.running().slot() != null) {
            slots.remove(lane.running().slot());
        }
        lanes.put(datasetArn, new Lane(datasetArn, null, replaced != null ? replaced : lane.lastFull(),
                lastIncremental != null ? lastIncremental : lane.lastIncremental(), lane.holding(), lane.version()));
        write(event);
        return true;
    }

    @Override
    public synchronized Region region() {
        return new Region(List.copyOf(slots.values()), line.entrySet().stream()
                .map(waiting -> new Region.Waiting(waiting.getKey(), waiting.getValue())).toList());
    }

    @Override
    public synchronized void await(String datasetArn, Instant since) {
        line.put(datasetArn, since);
        lineWrites++;
    }

    @Override
    public synchronized void leave(String datasetArn) {
        line.remove(datasetArn);
    }

    @Override
    public synchronized boolean free(Region.Slot slot) {
        return slots.remove(slot.number(), slot);
    }

    /** Holds a slot for a lane as a ledger edited by hand would: no lane holds its job. */
    synchronized void holdSlot(Region.Slot slot) {
        slots.put(slot.number(), slot);
    }

    /** How many times a lane was put in line or moved in it. */
    synchronized int lineWrites() {
        return lineWrites;
    }

    private static boolean heldBy(Lane lane, String executionName) {
        return lane.isBusy() && lane.running().executionName().equals(executionName);
    }

    @Override
    public synchronized String openFolder(String datasetArn, String folder, String watch) {
        Folder open = folders.get(datasetArn + "|" + folder);
        if (open == null || open.closed()) {
            folders.put(datasetArn + "|" + folder, new Folder(watch, false, open == null ? null : open.importedBy()));
            return watch;
        }
        return open.watch();
    }

    @Override
    public synchronized void closeFolder(String datasetArn, String folder, String importEntry) {
        Folder open = folders.get(datasetArn + "|" + folder);
        folders.put(datasetArn + "|" + folder, new Folder(open == null ? null : open.watch(), true, importEntry));
    }

    @Override
    public synchronized java.util.Optional<String> folderImport(String datasetArn, String folder) {
        Folder open = folders.get(datasetArn + "|" + folder);
        return java.util.Optional.ofNullable(open == null ? null : open.importedBy());
    }

    @Override
    public synchronized boolean isFolderClosed(String datasetArn, String folder) {
        Folder open = folders.get(datasetArn + "|" + folder);
        return open != null && open.closed();
    }

    private void write(OutboxEvent event) {
        if (event != null) {
            outbox.put(event.eventId(), event);
        }
    }

    /** Puts an event in the outbox, as the transaction of the outcome it reports would. */
    synchronized void written(OutboxEvent event) {
        write(event);
    }

    @Override
    public synchronized List<OutboxEvent> outbox(String datasetArn) {
        return outbox.values().stream().filter(event -> event.datasetArn().equals(datasetArn)).toList();
    }

    @Override
    public synchronized boolean claim(OutboxEvent event, Claim claim, Instant now) {
        Claim held = claims.get(event.eventId());
        if (!outbox.containsKey(event.eventId()) || held != null && !held.until().isBefore(now)) {
            return false;
        }
        claims.put(event.eventId(), claim);
        return true;
    }

    @Override
    public synchronized void release(OutboxEvent event, Claim claim) {
        claims.remove(event.eventId(), claim);
    }

    @Override
    public synchronized void published(OutboxEvent event) {
        outbox.remove(event.eventId());
        claims.remove(event.eventId());
    }

    /** The files of the dataset with their status, in lane order, as {@code key=STATUS} lines. */
    synchronized List<String> statuses(String datasetArn) {
        return files(datasetArn).stream().sorted(Comparator.comparing(entry -> entry.file().order()))
                .map(file -> file.file().key() + "=" + file.standing().status()).toList();
    }
}
