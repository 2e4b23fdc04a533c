package io.personalizeimport.local.ledger;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.personalizeimport.lambdas.lane.FileEntry;
import io.personalizeimport.lambdas.lane.LaneFile;
import io.personalizeimport.lambdas.ledger.Ledger;
import io.personalizeimport.lambdas.ledger.LedgerTable;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * One file item of the import ledger ({@code sk = file#<order>}): which object it is, where its lane put it, and why.
 * Attributes the item lacks are null.
 *
 * @param order the sort key without its {@code file#} prefix: event time, sequencer, bucket and key
 * @param status PENDING, IMPORTING, IMPORTED, SUPERSEDED, REJECTED or FAILED
 * @param supersededBy the key of the newer file that replaced this one in its dataset
 * @param records the records counted when the file was notified, up to 1,000 (coalescing interactions routes only)
 * @param waiting what a held file waits for, e.g. "waiting: 340 of 1,000 interactions"; null when it is not held
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LedgerFile(
        String datasetArn,
        String order,
        String route,
        String bucket,
        String key,
        String versionId,
        String eTag,
        Long size,
        String sequencer,
        String eventTime,
        String importMode,
        String status,
        String jobName,
        String executionName,
        String supersededBy,
        String reason,
        String folder,
        String receivedAt,
        String updatedAt,
        Long expiresAt,
        Long records,
        String waiting) {

    /** The file item {@code item}, read as the functions read it, with the times the ledger kept. */
    public static LedgerFile from(Map<String, AttributeValue> item) {
        FileEntry entry = Ledger.readFile(item);
        LaneFile file = entry.file();
        FileEntry.Standing standing = entry.standing();
        return new LedgerFile(file.datasetArn(), file.order(), file.route(), file.bucket(), file.key(),
                file.versionId(), file.eTag(), file.size() < 0 ? null : file.size(), file.sequencer(),
                file.eventTime().toString(), file.importMode() == null ? null : file.importMode().name(),
                standing.status().name(), standing.jobName(),
                standing.executionName(), standing.supersededBy(), standing.reason(), file.folder(),
                text(item, "receivedAt"), text(item, "updatedAt"), number(item, LedgerTable.TTL_ATTRIBUTE),
                entry.records(), null);
    }

    /** This file as its lane holds it: {@code waiting} says for what. */
    public LedgerFile held(String waitingFor) {
        return new LedgerFile(datasetArn, order, route, bucket, key, versionId, eTag, size, sequencer, eventTime,
                importMode, status, jobName, executionName, supersededBy, reason, folder, receivedAt, updatedAt,
                expiresAt, records, waitingFor);
    }

    private static String text(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item.get(name);
        return value == null ? null : value.s();
    }

    private static Long number(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item.get(name);
        if (value == null || value.n() == null) {
            return null;
        }
        try {
            return Long.parseLong(value.n());
        } catch (NumberFormatException e) {
            // A size or TTL is a whole number; anything else is shown as absent rather than failing the listing.
            return null;
        }
    }
}
