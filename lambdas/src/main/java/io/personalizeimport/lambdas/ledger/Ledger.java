package io.personalizeimport.lambdas.ledger;

import io.personalizeimport.lambdas.events.OutboxEvent;
import io.personalizeimport.lambdas.lane.FileEntry;
import io.personalizeimport.lambdas.lane.FileRecords;
import io.personalizeimport.lambdas.lane.FileStatus;
import io.personalizeimport.lambdas.lane.FolderRecords;
import io.personalizeimport.lambdas.lane.Lane;
import io.personalizeimport.lambdas.lane.LaneRecords;
import io.personalizeimport.lambdas.lane.LaneView;
import io.personalizeimport.lambdas.lane.OutboxRecords;
import io.personalizeimport.lambdas.lane.Region;
import io.personalizeimport.lambdas.lane.RegionRecords;
import java.time.Instant;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The import ledger in DynamoDB (layout: {@link LedgerTable}). Every write that decides something is conditional, so
 * two functions acting on one lane at once never both win, and every read that decides something is consistent.
 */
public final class Ledger implements FileRecords, LaneRecords, RegionRecords, FolderRecords, OutboxRecords {

    /** The sort key of a file item starts with it, followed by {@link FileEntry#order()}. */
    public static final String FILE_SK_PREFIX = FileItem.PREFIX;
    /**
     * How many of a claim's files move to IMPORTING in the claim's own transaction (two items each, with the lane
     * item); a larger batch's other files move right after it.
     */
    public static final int FILES_WITH_CLAIM = LedgerLanes.FILES_WITH_CLAIM;

    private final LedgerFiles files;
    private final LedgerOpenFiles open;
    private final LedgerFolders folders;
    private final LedgerLanes lanes;
    private final LedgerOutbox outbox;
    private final LedgerRegion region;

    public Ledger(DynamoDbClient db, String table, Clock clock) {
        LedgerStore store = new LedgerStore(db, table, clock);
        this.open = new LedgerOpenFiles(store);
        this.outbox = new LedgerOutbox(store);
        this.files = new LedgerFiles(store, open, outbox);
        this.folders = new LedgerFolders(store);
        this.region = new LedgerRegion(store);
        this.lanes = new LedgerLanes(store, files, open, outbox, region);
    }

    public static String partition(String datasetArn) {
        return LedgerStore.partition(datasetArn);
    }

    public static String sortKey(FileEntry entry) {
        return FileItem.sortKey(entry);
    }

    /** A file item as {@link #record} and {@link #settle} write it. */
    public static FileEntry readFile(Map<String, AttributeValue> item) {
        return FileItem.read(item);
    }

    /**
     * Records a notified file; false when this very event was recorded before (a duplicate delivery). A file that waits
     * is recorded with its {@code open#} item in one transaction, so the lane finds every waiting file by reading only
     * the waiting ones.
     */
    public boolean record(FileEntry entry) {
        return files.record(entry, null);
    }

    /**
     * Records a notified file with the event that reports its outcome (null for none), in one transaction; false when
     * this very event was recorded before, in which case neither is written again.
     */
    @Override
    public boolean record(FileEntry entry, OutboxEvent event) {
        return files.record(entry, event);
    }

    /** The file recorded under {@code sortKey} in the dataset's lane. */
    @Override
    public Optional<FileEntry> file(String datasetArn, String sortKey) {
        return files.file(datasetArn, sortKey);
    }

    /**
     * The dataset's files with the given status, in lane order. Waiting and importing files are read through their
     * {@code open#} items, so the cost is that of the open files, however long the lane's history.
     */
    @Override
    public List<FileEntry> files(String datasetArn, FileStatus status) {
        if (status.isFinal()) {
            return files.files(datasetArn, status);
        }
        return open.files(datasetArn).stream().filter(file -> file.standing().status() == status).toList();
    }

    /** Every file the dataset's lane holds, whatever its status, in lane order. */
    public List<FileEntry> files(String datasetArn) {
        return files.files(datasetArn, null);
    }

    /**
     * Moves a file to {@code settled}'s status with its job, successor and reason, if it has not reached a final status
     * yet; false when it had (a retried task settles nothing twice).
     */
    public boolean settle(FileEntry settled) {
        return files.settle(settled, null);
    }

    /**
     * Settles a file as {@link #settle(FileEntry)} does, writing {@code event} (null for none) in the same transaction:
     * only the settlement that changes the file writes it.
     */
    @Override
    public boolean settle(FileEntry settled, OutboxEvent event) {
        return files.settle(settled, event);
    }

    /**
     * Opens a folder of a folder route for its marker, named by the watch execution that reports it if the marker never
     * comes; returns the watch of the folder as it is open now (this one, or the one an earlier part opened).
     */
    @Override
    public String openFolder(String datasetArn, String folder, String watch) {
        return folders.open(datasetArn, folder, watch);
    }

    /** Notes that the folder's marker arrived, so its watch reports nothing, and the entry of the import it started. */
    @Override
    public void closeFolder(String datasetArn, String folder, String importEntry) {
        folders.close(datasetArn, folder, importEntry);
    }

    /** The entry of the newest import of the folder that a marker started; empty before any. */
    @Override
    public Optional<String> folderImport(String datasetArn, String folder) {
        return folders.imported(datasetArn, folder);
    }

    /** Whether the folder's marker arrived since the folder was opened. */
    @Override
    public boolean isFolderClosed(String datasetArn, String folder) {
        return folders.isClosed(datasetArn, folder);
    }

    /** The dataset's lane as it is now. */
    @Override
    public Lane lane(String datasetArn) {
        return lanes.lane(datasetArn);
    }

    /**
     * The dataset's lane and, when it is free, the files that wait for it, in lane order, from one consistent Query of
     * the lane item and the open items (more pages only when many files wait on a free lane).
     */
    @Override
    public LaneView laneView(String datasetArn) {
        return lanes.view(datasetArn, true);
    }

    /**
     * As {@link #laneView}, with no read but the Query: a waiting file whose open item holds only its key, as the ledger
     * wrote them before open items carried their file, is left out, since reading it takes a BatchGetItem.
     */
    @Override
    public LaneView laneViewByQuery(String datasetArn) {
        return lanes.view(datasetArn, false);
    }

    /**
     * Claims a free lane for {@code running} and moves its files to IMPORTING with its job, in one transaction; false
     * when another function claimed or changed the lane since {@code lane} was read, or settled one of the files, and
     * then nothing is written. A batch too large for one transaction has its first files moved with the claim and the
     * rest right after it, each only while it is not settled.
     */
    @Override
    public boolean claim(Lane lane, Lane.Running running, List<FileEntry> files, List<Lane> unchanged) {
        return lanes.claim(lane, running, files, unchanged);
    }

    /**
     * Notes the files the free lane holds until they have Personalize's minimum of records (null: none); false when
     * another function changed the lane since {@code lane} was read.
     */
    @Override
    public boolean hold(Lane lane, Lane.Holding holding) {
        return lanes.hold(lane, holding);
    }

    /** Marks the lane's hold reported with its event, once; false when it was, or the lane holds another. */
    @Override
    public boolean reportHold(String datasetArn, Lane.Holding holding, OutboxEvent event) {
        return lanes.reportHold(datasetArn, holding, event);
    }

    /** The lane a lane item holds, as the functions read it. */
    public static Lane readLane(String datasetArn, Map<String, AttributeValue> item) {
        return LaneItem.read(datasetArn, item);
    }

    @Override
    public int filesMovedWithClaim() {
        return FILES_WITH_CLAIM;
    }

    /** Notes that the execution holding the lane runs; false when the lane is no longer held by it. */
    @Override
    public boolean markStarted(String datasetArn, String executionName) {
        return lanes.markStarted(datasetArn, executionName);
    }

    /**
     * Hands the lane from {@code executionName}, an execution that ended without releasing it, to {@code resumed}, which
     * carries the same import; false when the lane is no longer held by that execution (released, or resumed already).
     */
    @Override
    public boolean resume(String datasetArn, String executionName, Lane.Running resumed) {
        return lanes.resume(datasetArn, executionName, resumed);
    }

    /**
     * Frees the lane if {@code executionName} holds it, noting the file it imported (null if it imported none);
     * false when it does not hold it (already released, or never claimed).
     */
    public boolean release(String datasetArn, String executionName, String importedKey, String jobName) {
        return lanes.release(datasetArn, executionName, importedKey, jobName, null, null, null);
    }

    /**
     * Frees the lane as {@link #release(String, String, String, String)} does, noting the FULL import that replaced the
     * dataset (null for none) and writing {@code event} (null for none) in the same transaction: only the release that
     * frees the lane writes them.
     */
    @Override
    public boolean release(String datasetArn, String executionName, String importedKey, String jobName,
                           Lane.LastFull replaced, String lastIncremental, OutboxEvent event) {
        return lanes.release(datasetArn, executionName, importedKey, jobName, replaced, lastIncremental, event);
    }

    @Override
    public Region region() {
        return region.region();
    }

    @Override
    public void await(String datasetArn, Instant since) {
        region.await(datasetArn, since);
    }

    @Override
    public void leave(String datasetArn) {
        region.leave(datasetArn);
    }

    @Override
    public boolean free(Region.Slot slot) {
        return region.free(slot);
    }

    /** The dataset's events that are not published yet, claimed or not, oldest outcome first. */
    @Override
    public List<OutboxEvent> outbox(String datasetArn) {
        return outbox.events(datasetArn);
    }

    /**
     * Claims an outbox event for one drain with a conditional write; false when another drain's claim holds past
     * {@code now}, or the event is published already.
     */
    @Override
    public boolean claim(OutboxEvent event, Claim claim, Instant now) {
        return outbox.claim(event, claim, now);
    }

    /** Gives up a claim on an event that was not published; a claim another drain took since stays. */
    @Override
    public void release(OutboxEvent event, Claim claim) {
        outbox.release(event, claim);
    }

    /** Removes a published event from the outbox; removing one that is gone already changes nothing. */
    @Override
    public void published(OutboxEvent event) {
        outbox.published(event);
    }
}
