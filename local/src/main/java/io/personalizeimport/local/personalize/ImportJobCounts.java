package io.personalizeimport.local.personalize;

/** What the emulator counts of import jobs since it started, to report how the region's quota was used. */
final class ImportJobCounts {

    private long maxUnfinished;
    private long refused;
    private long created;

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

    synchronized ImportJobStats snapshot() {
        return new ImportJobStats(maxUnfinished, refused, created);
    }
}
