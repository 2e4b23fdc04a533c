package io.personalizeimport.local.ledger;

import com.fasterxml.jackson.annotation.JsonInclude;
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
        Long expiresAt) {

    /** The file item {@code item} read as the ledger's layout describes it (README, "Dataset lanes"). */
    public static LedgerFile from(Map<String, AttributeValue> item) {
        String pk = text(item, LedgerTable.PARTITION_KEY);
        String sk = text(item, LedgerTable.SORT_KEY);
        String datasetArn = text(item, "datasetArn");
        if (datasetArn == null && pk != null && pk.startsWith(Ledger.LANE_PREFIX)) {
            datasetArn = pk.substring(Ledger.LANE_PREFIX.length());
        }
        return new LedgerFile(datasetArn,
                sk != null && sk.startsWith(Ledger.FILE_PREFIX) ? sk.substring(Ledger.FILE_PREFIX.length()) : sk,
                text(item, "route"), text(item, "bucket"), text(item, "key"), text(item, "versionId"),
                text(item, "eTag"), number(item, "size"), text(item, "sequencer"), text(item, "eventTime"),
                text(item, "importMode"), text(item, "status"), text(item, "jobName"), text(item, "executionName"),
                text(item, "supersededBy"), text(item, "reason"), text(item, "folder"), text(item, "receivedAt"),
                text(item, "updatedAt"), number(item, "expiresAt"));
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
