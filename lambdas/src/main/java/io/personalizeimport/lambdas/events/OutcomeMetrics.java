package io.personalizeimport.lambdas.events;

/**
 * The CloudWatch metrics the functions write in the embedded metric format, one datapoint per outcome, each with the
 * dimension {@value #DATASET} (the dataset's ARN), and the region's import slots, without a dimension. The CDK stack's
 * dashboard and staleness alarms read these names.
 */
public final class OutcomeMetrics {

    public static final String NAMESPACE = "PersonalizeImport";
    public static final String DATASET = "Dataset";

    /** An import job ended ACTIVE (count). */
    public static final String IMPORTS_SUCCEEDED = "ImportsSucceeded";
    /** An import job failed, or the pipeline gave up on it (count). */
    public static final String IMPORTS_FAILED = "ImportsFailed";
    /** A file refused before any job was spent on it (count). */
    public static final String FILES_REJECTED = "FilesRejected";
    /** A waiting file replaced by newer data (count). */
    public static final String FILES_SUPERSEDED = "FilesSuperseded";
    /** Interactions files held past their longest hold for Personalize's minimum of records (count, one per hold). */
    public static final String IMPORTS_HELD = "ImportsHeld";
    /** From a job's creation to its last status change, as Personalize reports them (seconds). */
    public static final String IMPORT_DURATION = "ImportDuration";
    /** DescribeDatasetImportJob calls that followed one job (count). */
    public static final String POLLS = "Polls";
    /** From the first file's S3 event to its job's creation: the time it waited for the lane (seconds). */
    public static final String UPLOAD_TO_JOB = "UploadToJob";
    /** Files waiting in the dataset's lane when an import was claimed or ended (count). */
    public static final String FILES_WAITING = "FilesWaiting";
    /** From a job's last status change to the poll that saw it (seconds). */
    public static final String DETECTION_DELAY = "DetectionDelay";
    /** A data deletion job ended COMPLETED (count; its dataset group's ARN is the dimension). */
    public static final String DELETIONS_SUCCEEDED = "DeletionsSucceeded";
    /** A data deletion job failed, or the pipeline gave up on it (count). */
    public static final String DELETIONS_FAILED = "DeletionsFailed";
    /** The records a data deletion job removed, as Personalize reports them (count). */
    public static final String RECORDS_DELETED = "RecordsDeleted";
    /** Slots of the region's import jobs that the pipeline's lanes hold (count, no dimension). */
    public static final String IMPORT_SLOTS_IN_USE = "ImportSlotsInUse";
    /** Lanes in line for a slot of the region's import jobs (count, no dimension). */
    public static final String LANES_WAITING_FOR_SLOT = "LanesWaitingForSlot";

    private OutcomeMetrics() {
    }
}
