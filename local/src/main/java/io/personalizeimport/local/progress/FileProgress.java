package io.personalizeimport.local.progress;

/**
 * One file's line in a progress view: which file, into which dataset, where it stands, its job and polls so far, and a
 * detail (what it waits for, where its import is, why it ended so).
 *
 * @param status a word for where the file stands: a status of the import ledger (PENDING, IMPORTING, IMPORTED,
 *     REJECTED, DELETING...) or one before it (UPLOADED)
 * @param job the job that carries the file, null before it has one
 * @param polls how often the job's status was polled so far
 */
public record FileProgress(String file, String dataset, String status, String job, int polls, String detail) {
}
