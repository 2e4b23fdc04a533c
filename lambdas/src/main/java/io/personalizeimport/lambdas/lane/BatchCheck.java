package io.personalizeimport.lambdas.lane;

import java.util.Objects;
import java.util.Optional;

/**
 * Finds the files of a planned batch whose object changed since it was notified (Amazon Personalize API Reference,
 * DataSource: a job reads the location's current data, no object version): each ends SUPERSEDED by the newer write,
 * whose own event follows. A file the store refuses to read ends REJECTED with the reason. Folders are read as they
 * are.
 */
final class BatchCheck {

    private final ObjectStore objects;
    private final Settlements settlements;

    BatchCheck(ObjectStore objects, Settlements settlements) {
        this.objects = objects;
        this.settlements = settlements;
    }

    /**
     * What the check found: whether any file was settled (overwritten, or unreadable), and the read of a file imported
     * on its own (null for a coalesced batch, a folder, or a file without identity).
     */
    record Result(boolean anySettled, ObjectHead lone) {
    }

    /**
     * @param bytes how far to read each file: far enough for its preflight when it is imported on its own, one byte to
     *     tell its write apart otherwise
     * @param justRead a read the caller made moments ago, used instead of reading that file again (null for none)
     */
    Result check(LanePlan plan, int bytes, ObjectHead justRead) {
        boolean settled = false;
        ObjectHead lone = null;
        for (FileEntry entry : plan.batch()) {
            LaneFile file = entry.file();
            if (file.isFolder() || (file.eTag() == null && file.versionId() == null)) {
                continue;
            }
            Optional<ObjectHead> head;
            try {
                head = justRead != null && justRead.isOf(file.bucket(), file.key())
                        ? Optional.of(justRead) : objects.head(file.bucket(), file.key(), bytes);
            } catch (UnreadableObjectException e) {
                settlements.reject(entry, e.getMessage());
                settled = true;
                continue;
            }
            lone = plan.isCoalesced() ? null : head.orElse(null);
            String why = changedSince(file, head.orElse(null));
            if (why != null) {
                settlements.supersede(entry, file.key(), why);
                settled = true;
            }
        }
        return new Result(settled, lone);
    }

    /** Why the file's object is no longer the write that was notified, or null when it still is. */
    static String changedSince(LaneFile file, ObjectHead head) {
        if (head == null) {
            return "deleted before its turn";
        }
        if (head.isEmpty() && head.eTag() == null) {
            // Only non-empty objects are ever notified as files.
            return "overwritten before its turn by an empty object";
        }
        // S3 always answers both; a store that answers neither (S3-compatible servers may not) cannot tell a newer
        // write apart, and the file is read as it is.
        if (file.versionId() != null && head.versionId() != null && !Objects.equals(file.versionId(), head.versionId())) {
            return "overwritten before its turn by a newer write (version " + head.versionId() + "), imported on its own";
        }
        if (file.versionId() == null && file.eTag() != null && head.eTag() != null
                && !sameETag(file.eTag(), head.eTag())) {
            return "overwritten before its turn by a newer write (eTag " + head.eTag() + "), imported on its own";
        }
        return null;
    }

    private static boolean sameETag(String a, String b) {
        return a.replace("\"", "").equals(b.replace("\"", ""));
    }
}
