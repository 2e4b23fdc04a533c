package io.personalizeimport.lambdas.lane;

import io.personalizeimport.lambdas.config.PipelineConfig;
import io.personalizeimport.lambdas.config.Route;
import io.personalizeimport.lambdas.domain.ImportRequest;
import io.personalizeimport.lambdas.domain.ImportSource;
import io.personalizeimport.lambdas.domain.JobNames;
import io.personalizeimport.lambdas.domain.MonitorInput;
import io.personalizeimport.lambdas.domain.MonitorInput.LaneTicket;
import io.personalizeimport.lambdas.errors.InvalidImportRequestException;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;

/**
 * The import a lane's plan claims: its job's request, its one file (none for a coalesced batch) and its ticket, and
 * whether its job reads copies of its files that its create task makes in the staging folder ({@link BatchStaging}).
 */
record PlannedImport(MonitorInput.LaneImport input, boolean staged) {

    /**
     * The next import of the plan's batch, claimed at {@code claimedAt}.
     *
     * @param pending the lane's waiting files, part files included, from which a folder's parts are read
     * @param deletedIn a dataset group's files with status DELETED
     */
    static PlannedImport of(PipelineConfig config, LanePlan plan, List<FileEntry> pending,
                            Function<String, List<FileEntry>> deletedIn, Instant claimedAt) {
        List<FileEntry> batch = plan.batch();
        LaneFile first = batch.getFirst().file();
        Route route = config.routes().byName(first.route()).orElseThrow(() -> new InvalidImportRequestException(
                "Route '" + first.route() + "' of " + first.key() + " is no longer configured: expected one of "
                        + config.routes().routes().stream().map(Route::name).toList()));
        String jobName = jobName(route, plan);
        boolean staged = plan.isCoalesced() || leavesOutDeletedUsers(config, batch, pending, deletedIn);
        String dataLocation = staged ? "s3://" + first.bucket() + "/" + BatchStaging.folder(jobName)
                : first.location();
        ImportRequest request = new ImportRequest(jobName, first.datasetArn(), dataLocation, route.roleArn(),
                first.importMode(), route.tags(), route.publishAttributionMetricsToS3());
        ImportSource source = plan.isCoalesced() ? null
                : new ImportSource(first.bucket(), first.key(), first.versionId(), first.eTag(),
                        first.size() < 0 ? null : first.size(), route.name());
        List<LaneFile> files = batch.stream().map(FileEntry::file).toList();
        LaneTicket ticket = new LaneTicket(first.datasetArn(), files.stream().map(LaneFile::sortKey).toList(),
                files.stream().map(LaneFile::key).toList(), claimedAt);
        return new PlannedImport(new MonitorInput.LaneImport(request.jobArn(), request, source, ticket), staged);
    }

    /**
     * Whether a file of the import, or a part of its folder, was written before a list of users whose deletion ended
     * since, so that the import must leave out those users' rows (docs/forgetting-users.md). Only a dataset that a
     * deletion route's group holds reads its group's lists.
     */
    private static boolean leavesOutDeletedUsers(PipelineConfig config, List<FileEntry> batch, List<FileEntry> pending,
                                                 Function<String, List<FileEntry>> deletedIn) {
        String datasetArn = batch.getFirst().file().datasetArn();
        if (config.routes().deletionsOf(datasetArn).isEmpty()) {
            return false;
        }
        DeletedLists lists = DeletedLists.of(datasetArn, deletedIn);
        return lists.bindAny(batch) || batch.stream().anyMatch(entry -> entry.file().isFolder()
                && lists.bindAny(FolderParts.newest(entry.file(), pending)));
    }

    private static String jobName(Route route, LanePlan plan) {
        FileEntry first = plan.batch().getFirst();
        if (plan.isCoalesced()) {
            return JobNames.forBatch(route.name(), plan.batch().stream().map(FileEntry::file).map(LaneFile::order)
                    .toList());
        }
        // Only an operator's request keeps the job it asked for; a file back from a batch that never ran gets its own.
        return first.standing().executionName() != null && first.standing().jobName() != null
                ? first.standing().jobName() : JobNames.forWrite(route.name(), first.file().object(),
                first.file().sequencer());
    }
}
