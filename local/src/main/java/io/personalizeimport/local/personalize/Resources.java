package io.personalizeimport.local.personalize;

import java.util.List;

/** The emulator's resources as they are kept in memory and in {@code state.json}; times are epoch milliseconds. */
final class Resources {

    /** Status of a job that waits for its turn. */
    static final String CREATE_PENDING = "CREATE PENDING";
    /** Status of a job that reads its data. */
    static final String CREATE_IN_PROGRESS = "CREATE IN_PROGRESS";
    /** Status of a finished job, and of every dataset group and dataset (created synchronously here). */
    static final String ACTIVE = "ACTIVE";
    /** Status of a job whose data could not be imported; {@code failureReason} says why. */
    static final String CREATE_FAILED = "CREATE FAILED";

    /** Status of a data deletion job that waits for its turn; its own names, unlike the other jobs' CREATE ones. */
    static final String PENDING = "PENDING";
    /** Status of a data deletion job that reads its list of users and removes their records. */
    static final String IN_PROGRESS = "IN_PROGRESS";
    /** Status of a data deletion job that removed its users' records; {@code numDeleted} says how many. */
    static final String COMPLETED = "COMPLETED";
    /** Status of a data deletion job that removed nothing; {@code failureReason} says why. */
    static final String FAILED = "FAILED";

    private Resources() {
    }

    /** A dataset group. */
    record DatasetGroup(String name, String arn, String roleArn, String kmsKeyArn, String domain, long created) {
    }

    /** A schema with its Avro JSON text. */
    record Schema(String name, String arn, String schema, String domain, long created) {
    }

    /**
     * A dataset with what its successful imports left in it: {@code recordCount} records, and whether a bulk
     * import has succeeded (the precondition for INCREMENTAL imports).
     */
    record Dataset(String name, String arn, String datasetGroupArn, String datasetType, String schemaArn,
                   long created, long updated, long recordCount, boolean bulkImported, String lastImportJobArn) {

        Dataset afterImport(long now, long count, String jobArn) {
            return new Dataset(name, arn, datasetGroupArn, datasetType, schemaArn, created, now, count, true, jobArn);
        }

        Dataset afterDeletion(long now, long count) {
            return new Dataset(name, arn, datasetGroupArn, datasetType, schemaArn, created, now, count, bulkImported,
                    lastImportJobArn);
        }

        Dataset withSchema(String newSchemaArn, long now) {
            return new Dataset(name, arn, datasetGroupArn, datasetType, newSchemaArn, created, now, recordCount,
                    bulkImported, lastImportJobArn);
        }
    }

    /** A dataset import job. */
    record ImportJob(String jobName, String arn, String datasetArn, String dataLocation, String roleArn,
                     String importMode, Boolean publishAttributionMetricsToS3, String status, long created,
                     long updated, String failureReason) {

        boolean unfinished() {
            return CREATE_PENDING.equals(status) || CREATE_IN_PROGRESS.equals(status);
        }

        ImportJob withStatus(String newStatus, long now, String reason) {
            return new ImportJob(jobName, arn, datasetArn, dataLocation, roleArn, importMode,
                    publishAttributionMetricsToS3, newStatus, created, now, reason);
        }
    }

    /**
     * A dataset export job: the dataset's records as they were when it started, written as CSV under {@code path}.
     * {@code ingestionMode} is BULK, PUT or ALL; {@code kmsKeyArn} is kept and shown, not used.
     */
    record ExportJob(String jobName, String arn, String datasetArn, String ingestionMode, String roleArn, String path,
                     String kmsKeyArn, String status, long created, long updated, String failureReason) {

        boolean unfinished() {
            return CREATE_PENDING.equals(status) || CREATE_IN_PROGRESS.equals(status);
        }

        ExportJob withStatus(String newStatus, long now, String reason) {
            return new ExportJob(jobName, arn, datasetArn, ingestionMode, roleArn, path, kmsKeyArn, newStatus,
                    created, now, reason);
        }
    }

    /**
     * A data deletion job: removes the records of the users listed at {@code dataLocation} from its dataset group's
     * datasets. {@code numDeleted} is null until it has COMPLETED.
     */
    record DataDeletionJob(String jobName, String arn, String datasetGroupArn, String dataLocation, String roleArn,
                           String status, long created, long updated, Long numDeleted, String failureReason) {

        boolean unfinished() {
            return PENDING.equals(status) || IN_PROGRESS.equals(status);
        }

        DataDeletionJob withStatus(String newStatus, long now, Long deleted, String reason) {
            return new DataDeletionJob(jobName, arn, datasetGroupArn, dataLocation, roleArn, newStatus, created, now,
                    deleted, reason);
        }
    }

    /**
     * Everything {@code state.json} holds; {@code exportJobs} and {@code dataDeletionJobs} are absent (null) in files
     * written before the emulator had them.
     */
    record Snapshot(List<DatasetGroup> datasetGroups, List<Schema> schemas, List<Dataset> datasets,
                    List<ImportJob> importJobs, List<ExportJob> exportJobs, List<DataDeletionJob> dataDeletionJobs) {
    }
}
