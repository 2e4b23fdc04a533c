package io.personalizeimport.local.personalize;

/** What the emulator counts of its jobs since it started, to report how the region's import quota was used. */
final class ImportJobCounts {

    private long maxUnfinished;
    private long refused;
    private long created;
    private long dataDeletionJobsCreated;

    /** Unfinished jobs found at start, which hold slots of the quota as new ones do. */
    synchronized void resumed(long unfinished) {
        maxUnfinished = Math.max(maxUnfinished, unfinished);
    }

    /** A job was created, leaving {@code unfinished} jobs pending or in progress in its region. */
    synchronized void created(long unfinished) {
        created++;
        maxUnfinished = Math.max(maxUnfinished, unfinished);
    }

    /** A CreateDatasetImportJob was refused with LimitExceededException for the quota. */
    synchronized void refused() {
        refused++;
    }

    /** A data deletion job was created. */
    synchronized void dataDeletionJobCreated() {
        dataDeletionJobsCreated++;
    }

    /** The data deletion jobs created since start, shown beside the import jobs' counts. */
    synchronized long dataDeletionJobsCreated() {
        return dataDeletionJobsCreated;
    }

    synchronized ImportJobStats snapshot() {
        return new ImportJobStats(maxUnfinished, refused, created);
    }
}
