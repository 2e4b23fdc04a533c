package io.personalizeimport.local.personalize;

/**
 * How the region's quota of import jobs was used since the emulator started: the most jobs pending or in progress at
 * any one moment, the CreateDatasetImportJob calls refused for the quota (injected faults not counted), and the jobs
 * created. {@code GET /_emulator/stats} answers these three members by name.
 */
public record ImportJobStats(long maxUnfinishedImportJobs, long limitExceededAnswers, long importJobsCreated) {
}
