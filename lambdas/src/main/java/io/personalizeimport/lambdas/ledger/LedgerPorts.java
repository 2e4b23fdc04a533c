package io.personalizeimport.lambdas.ledger;

import io.personalizeimport.lambdas.events.OutboxEvent;
import io.personalizeimport.lambdas.lane.FileRecords;
import io.personalizeimport.lambdas.lane.FolderRecords;
import io.personalizeimport.lambdas.lane.LaneRecords;
import io.personalizeimport.lambdas.lane.LaneView;
import java.util.List;
import java.util.Optional;

/** The DynamoDB ledger as the lane's records of files, lanes and folders. */
public final class LedgerPorts implements FileRecords, LaneRecords, FolderRecords {

    private final Ledger ledger;

    public LedgerPorts(Ledger ledger) {
        this.ledger = ledger;
    }

    @Override
    public boolean record(FileEntry entry, OutboxEvent event) {
        return ledger.record(entry, event);
    }

    @Override
    public Optional<FileEntry> file(String datasetArn, String sortKey) {
        return ledger.file(datasetArn, sortKey);
    }

    @Override
    public List<FileEntry> files(String datasetArn, FileStatus status) {
        return ledger.files(datasetArn, status);
    }

    @Override
    public boolean settle(FileEntry settled, OutboxEvent event) {
        return ledger.settle(settled, event);
    }

    @Override
    public Lane lane(String datasetArn) {
        return ledger.lane(datasetArn);
    }

    @Override
    public LaneView view(String datasetArn) {
        Ledger.LaneView view = ledger.laneView(datasetArn);
        return new LaneView(view.lane(), view.waiting());
    }

    @Override
    public boolean claim(Lane lane, Lane.Running running, Lane.LastFull lastFull, List<FileEntry> files) {
        return ledger.claim(lane, running, lastFull, files);
    }

    @Override
    public int filesMovedWithClaim() {
        return Ledger.FILES_WITH_CLAIM;
    }

    @Override
    public boolean markStarted(String datasetArn, String executionName) {
        return ledger.markStarted(datasetArn, executionName);
    }

    @Override
    public boolean resume(String datasetArn, String executionName, Lane.Running resumed) {
        return ledger.resume(datasetArn, executionName, resumed);
    }

    @Override
    public boolean release(String datasetArn, String executionName, String importedKey, String jobName,
                           OutboxEvent event) {
        return ledger.release(datasetArn, executionName, importedKey, jobName, event);
    }

    @Override
    public String openFolder(String datasetArn, String folder, String watch) {
        return ledger.openFolder(datasetArn, folder, watch);
    }

    @Override
    public void closeFolder(String datasetArn, String folder) {
        ledger.closeFolder(datasetArn, folder);
    }

    @Override
    public boolean isFolderClosed(String datasetArn, String folder) {
        return ledger.isFolderClosed(datasetArn, folder);
    }
}
