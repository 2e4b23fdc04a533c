package io.personalizeimport.lambdas.events;

/**
 * An event waiting in the ledger to be published: written in the same transaction as the outcome it reports, so an
 * outcome is recorded with its event or not at all, and deleted once EventBridge accepted it.
 *
 * @param detail the detail as JSON text
 */
public record OutboxEvent(String eventId, String detailType, String datasetArn, String detail) {
}
