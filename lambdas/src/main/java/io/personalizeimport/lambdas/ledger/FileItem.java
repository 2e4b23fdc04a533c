package io.personalizeimport.lambdas.ledger;

import static io.personalizeimport.lambdas.ledger.Attributes.n;
import static io.personalizeimport.lambdas.ledger.Attributes.putIfPresent;
import static io.personalizeimport.lambdas.ledger.Attributes.s;
import static io.personalizeimport.lambdas.ledger.Attributes.text;

import io.personalizeimport.lambdas.config.ImportMode;
import io.personalizeimport.lambdas.domain.S3Object;
import io.personalizeimport.lambdas.lane.FileEntry;
import io.personalizeimport.lambdas.lane.FileStatus;
import io.personalizeimport.lambdas.lane.LaneFile;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** A {@link FileEntry} as the ledger's file item ({@code file#<order>}) holds it, and its settlement as an update. */
final class FileItem {

    /** The sort key of a file item starts with it, followed by {@link FileEntry#order()}. */
    static final String PREFIX = "file#";
    static final String TYPE = "file";
    /** The file's records counted when it was notified (files of coalescing interactions routes); absent if not. */
    static final String RECORDS = "records";

    private FileItem() {
    }

    static String sortKey(FileEntry entry) {
        return PREFIX + entry.file().order();
    }

    /** The file item of a file notified at {@code now}. */
    static Map<String, AttributeValue> of(FileEntry entry, Instant now) {
        LaneFile file = entry.file();
        FileEntry.Standing standing = entry.standing();
        Map<String, AttributeValue> item = new LinkedHashMap<>(LedgerStore.key(file.datasetArn(), sortKey(entry)));
        item.put("type", s(TYPE));
        item.put("datasetArn", s(file.datasetArn()));
        item.put("route", s(file.route()));
        item.put("bucket", s(file.bucket()));
        item.put("key", s(file.key()));
        putIfPresent(item, "versionId", file.versionId());
        putIfPresent(item, "eTag", file.eTag());
        item.put("size", n(file.size()));
        item.put("sequencer", s(file.sequencer()));
        item.put("eventTime", s(file.eventTime().toString()));
        if (file.importMode() != null) {
            item.put("importMode", s(file.importMode().name()));
        }
        item.put("status", s(standing.status().name()));
        putIfPresent(item, "jobName", standing.jobName());
        putIfPresent(item, "executionName", standing.executionName());
        putIfPresent(item, "supersededBy", standing.supersededBy());
        putIfPresent(item, "reason", standing.reason());
        putIfPresent(item, "folder", file.folder());
        if (entry.records() != null) {
            item.put(RECORDS, n(entry.records()));
        }
        item.put("receivedAt", s(now.toString()));
        item.put("updatedAt", s(now.toString()));
        if (standing.status().isFinal()) {
            item.put(LedgerTable.TTL_ATTRIBUTE, expiry(now));
        }
        return item;
    }

    /** The file a file item (or an open item's copy of one) holds. */
    static FileEntry read(Map<String, AttributeValue> item) {
        S3Object object = new S3Object(text(item, "bucket"), text(item, "key"), text(item, "versionId"),
                text(item, "eTag"), Long.parseLong(item.get("size").n()));
        LaneFile file = new LaneFile(text(item, "datasetArn"), text(item, "route"),
                text(item, "importMode") == null ? null : ImportMode.valueOf(text(item, "importMode")), object,
                new LaneFile.Place(Instant.parse(text(item, "eventTime")), text(item, "sequencer")),
                text(item, "folder"));
        AttributeValue records = item.get(RECORDS);
        return new FileEntry(file, new FileEntry.Standing(FileStatus.valueOf(text(item, "status")),
                text(item, "jobName"), text(item, "executionName"), text(item, "supersededBy"), text(item, "reason")),
                records == null ? null : Long.valueOf(records.n()));
    }

    /**
     * The update that gives an item {@code settled}'s status, job, successor, reason and count (when it has one) at
     * {@code now}, and a final status its expiry; the expression names the status {@code #status}.
     */
    static Update settlement(FileEntry settled, Instant now) {
        FileEntry.Standing standing = settled.standing();
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":status", s(standing.status().name()));
        values.put(":now", s(now.toString()));
        StringBuilder update = new StringBuilder("SET #status = :status, updatedAt = :now");
        optional(update, values, "jobName", standing.jobName());
        optional(update, values, "executionName", standing.executionName());
        optional(update, values, "supersededBy", standing.supersededBy());
        optional(update, values, "reason", standing.reason());
        if (settled.records() != null) {
            // A count the settlement brings, such as the records a deletion removed.
            update.append(", ").append(RECORDS).append(" = :records");
            values.put(":records", n(settled.records()));
        }
        if (standing.status().isFinal()) {
            update.append(", ").append(LedgerTable.TTL_ATTRIBUTE).append(" = :expires");
            values.put(":expires", expiry(now));
        }
        return new Update(update.toString(), values);
    }

    /**
     * An update expression and its values.
     *
     * @param values the expression's {@code :name} values
     */
    record Update(String expression, Map<String, AttributeValue> values) {

        Update {
            values = Map.copyOf(values);
        }
    }

    private static AttributeValue expiry(Instant now) {
        return n(now.plus(LedgerTable.RETENTION).getEpochSecond());
    }

    private static void optional(StringBuilder update, Map<String, AttributeValue> values, String name, String value) {
        if (value != null) {
            update.append(", ").append(name).append(" = :").append(name);
            values.put(":" + name, s(value));
        }
    }
}
