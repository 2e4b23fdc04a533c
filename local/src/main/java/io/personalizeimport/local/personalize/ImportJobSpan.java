package io.personalizeimport.local.personalize;

/**
 * When one import job held a place in the region's quota: from its creation until it ended (ACTIVE or CREATE FAILED),
 * epoch milliseconds; {@code endedMillis} is null while it is still pending or in progress.
 * {@code GET /_emulator/import-jobs} answers a list of these.
 */
public record ImportJobSpan(String jobName, String datasetArn, String status, long createdMillis, Long endedMillis) {
}
