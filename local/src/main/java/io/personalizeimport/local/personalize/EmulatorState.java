package io.personalizeimport.local.personalize;

import io.personalizeimport.local.personalize.Resources.DataDeletionJob;
import io.personalizeimport.local.personalize.Resources.Dataset;
import io.personalizeimport.local.personalize.Resources.DatasetGroup;
import io.personalizeimport.local.personalize.Resources.ExportJob;
import io.personalizeimport.local.personalize.Resources.ImportJob;
import io.personalizeimport.local.personalize.Resources.Schema;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * All resources by ARN, guarded by this object's monitor. With a data directory every change is written through
 * before the caller sees its result, so a restart finds exactly what clients were told.
 */
final class EmulatorState {

    private final StateStore store;
    private final Map<String, DatasetGroup> datasetGroups = new LinkedHashMap<>();
    private final Map<String, Schema> schemas = new LinkedHashMap<>();
    private final Map<String, Dataset> datasets = new LinkedHashMap<>();
    private final Map<String, ImportJob> importJobs = new LinkedHashMap<>();
    private final Map<String, ExportJob> exportJobs = new LinkedHashMap<>();
    private final Map<String, DataDeletionJob> dataDeletionJobs = new LinkedHashMap<>();
    // Each dataset's records; loaded lazily from the store.
    private final Map<String, DatasetRecords> records = new HashMap<>();

    EmulatorState(Path dataDir) {
        this.store = dataDir == null ? null : new StateStore(dataDir);
        if (store != null) {
            Resources.Snapshot snapshot = store.load();
            snapshot.datasetGroups().forEach(g -> datasetGroups.put(g.arn(), g));
            snapshot.schemas().forEach(s -> schemas.put(s.arn(), s));
            snapshot.datasets().forEach(d -> datasets.put(d.arn(), d));
            snapshot.importJobs().forEach(j -> importJobs.put(j.arn(), j));
            if (snapshot.exportJobs() != null) {
                snapshot.exportJobs().forEach(j -> exportJobs.put(j.arn(), j));
            }
            if (snapshot.dataDeletionJobs() != null) {
                snapshot.dataDeletionJobs().forEach(j -> dataDeletionJobs.put(j.arn(), j));
            }
        }
    }

    synchronized Optional<DatasetGroup> datasetGroup(String arn) {
        return Optional.ofNullable(datasetGroups.get(arn));
    }

    synchronized Optional<Schema> schema(String arn) {
        return Optional.ofNullable(schemas.get(arn));
    }

    synchronized Optional<Dataset> dataset(String arn) {
        return Optional.ofNullable(datasets.get(arn));
    }

    synchronized Optional<ImportJob> importJob(String arn) {
        return Optional.ofNullable(importJobs.get(arn));
    }

    synchronized Optional<ExportJob> exportJob(String arn) {
        return Optional.ofNullable(exportJobs.get(arn));
    }

    synchronized List<ExportJob> exportJobs() {
        return List.copyOf(exportJobs.values());
    }

    synchronized Optional<DataDeletionJob> dataDeletionJob(String arn) {
        return Optional.ofNullable(dataDeletionJobs.get(arn));
    }

    synchronized List<DataDeletionJob> dataDeletionJobs() {
        return List.copyOf(dataDeletionJobs.values());
    }

    synchronized List<Dataset> datasets() {
        return List.copyOf(datasets.values());
    }

    synchronized List<ImportJob> importJobs() {
        return List.copyOf(importJobs.values());
    }

    synchronized void put(DatasetGroup group) {
        datasetGroups.put(group.arn(), group);
        persist();
    }

    synchronized void put(Schema schema) {
        schemas.put(schema.arn(), schema);
        persist();
    }

    synchronized void put(Dataset dataset) {
        datasets.put(dataset.arn(), dataset);
        persist();
    }

    synchronized void put(ImportJob job) {
        importJobs.put(job.arn(), job);
        persist();
    }

    synchronized void put(ExportJob job) {
        exportJobs.put(job.arn(), job);
        persist();
    }

    synchronized void put(DataDeletionJob job) {
        dataDeletionJobs.put(job.arn(), job);
        persist();
    }

    /** Replaces a data deletion job by applying {@code change}; returns the new job. */
    synchronized DataDeletionJob updateDataDeletionJob(String arn, UnaryOperator<DataDeletionJob> change) {
        DataDeletionJob updated = change.apply(dataDeletionJobs.get(arn));
        dataDeletionJobs.put(arn, updated);
        persist();
        return updated;
    }

    /** Replaces an export job by applying {@code change}; returns the new job. */
    synchronized ExportJob updateExportJob(String arn, UnaryOperator<ExportJob> change) {
        ExportJob updated = change.apply(exportJobs.get(arn));
        exportJobs.put(arn, updated);
        persist();
        return updated;
    }

    /** The dataset's records as they are now, in order (see {@link DatasetRecords#rows()}). */
    synchronized List<Map<String, String>> records(String datasetArn) {
        return recordsOf(datasets.get(datasetArn)).rows();
    }

    /** Replaces a job by applying {@code change}; returns the new job. */
    synchronized ImportJob updateJob(String arn, UnaryOperator<ImportJob> change) {
        ImportJob updated = change.apply(importJobs.get(arn));
        importJobs.put(arn, updated);
        persist();
        return updated;
    }

    /**
     * Applies a successful import to the dataset's records ({@link DatasetRecords#apply}), then marks the job ACTIVE.
     * Both happen in one write so neither is seen alone.
     */
    synchronized void completeImport(ImportJob job, CsvImporter.ImportedData data, long now) {
        Dataset dataset = datasets.get(job.datasetArn());
        DatasetRecords kept = recordsOf(dataset);
        kept.apply("FULL".equals(job.importMode()), data.rows());
        if (store != null) {
            store.saveRecords(dataset.arn(), kept);
        }
        datasets.put(dataset.arn(), dataset.afterImport(now, kept.count(), job.arn()));
        importJobs.put(job.arn(), job.withStatus(Resources.ACTIVE, now, null));
        persist();
    }

    /**
     * Removes the records of {@code userIds} from the job's dataset group's USERS, INTERACTIONS and ACTION_INTERACTIONS
     * datasets, then marks the job COMPLETED with the number of records removed. All happens in one write, so no client
     * sees the records gone and the job unfinished, or the job completed and a record left.
     */
    synchronized DataDeletionJob completeDeletion(DataDeletionJob job, Set<String> userIds, long now) {
        long deleted = 0;
        for (Dataset dataset : List.copyOf(datasets.values())) {
            DatasetType type = DatasetType.valueOf(dataset.datasetType());
            if (!dataset.datasetGroupArn().equals(job.datasetGroupArn()) || !holdsUsers(type)) {
                continue;
            }
            DatasetRecords kept = recordsOf(dataset);
            long removed = kept.removeWhere("USER_ID", userIds);
            if (removed > 0) {
                if (store != null) {
                    store.saveRecords(dataset.arn(), kept);
                }
                datasets.put(dataset.arn(), dataset.afterDeletion(now, kept.count()));
                deleted += removed;
            }
        }
        DataDeletionJob completed = job.withStatus(Resources.COMPLETED, now, deleted, null);
        dataDeletionJobs.put(job.arn(), completed);
        persist();
        return completed;
    }

    // Developer Guide, "Deleting users": a deletion removes the users' metadata and their interactions; items and
    // actions name no user.
    private static boolean holdsUsers(DatasetType type) {
        return type == DatasetType.USERS || type == DatasetType.INTERACTIONS
                || type == DatasetType.ACTION_INTERACTIONS;
    }

    private DatasetRecords recordsOf(Dataset dataset) {
        DatasetType type = DatasetType.valueOf(dataset.datasetType());
        return records.computeIfAbsent(dataset.arn(),
                arn -> store == null ? DatasetRecords.of(type) : store.loadRecords(arn, type));
    }

    private void persist() {
        if (store != null) {
            store.save(new Resources.Snapshot(new ArrayList<>(datasetGroups.values()),
                    new ArrayList<>(schemas.values()), new ArrayList<>(datasets.values()),
                    new ArrayList<>(importJobs.values()), new ArrayList<>(exportJobs.values()),
                    new ArrayList<>(dataDeletionJobs.values())));
        }
    }
}
