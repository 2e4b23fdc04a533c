package io.personalizeimport.lambdas.lane;

import io.personalizeimport.lambdas.Log;
import io.personalizeimport.lambdas.domain.MonitorInput;
import io.personalizeimport.lambdas.domain.S3Object;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The staged copies of files written before lists of users that were deleted since (docs/forgetting-users.md): each
 * without the rows of those lists' users, so that importing it restores none of them, with what was left out recorded
 * as the file's reason in the ledger. Made one at a time by a create task, within bounds that keep it in the function's
 * memory, disk and time.
 */
final class FilteredCopies {

    /**
     * The most bytes of lists whose user ids one file's copy leaves out: their ids, held in memory as a set, take a few
     * times that of the create function's 512 MB.
     */
    static final long MAX_LIST_BYTES = 16L << 20;
    /**
     * The largest file a create task filters: it reads the file and writes its copy through the function's default 512 MB
     * of temporary storage, one file at a time, in seconds, well within the time a staging call has left.
     */
    static final long MAX_FILE_BYTES = 128L << 20;

    private final ObjectStore objects;
    private final FileRecords files;
    /** The ids of the lists read by this call, by the list's key in its group's lane. */
    private final Map<String, Set<String>> ids = new HashMap<>();

    FilteredCopies(ObjectStore objects, FileRecords files) {
        this.objects = objects;
        this.files = files;
    }

    /**
     * Writes the file's copy to {@code target} in its bucket without the rows of the users that {@code lists} (oldest
     * first) deleted, and notes on the file how many rows of whose list were left out; null when done, or why the file
     * cannot be copied so (it then ends REJECTED, as a file that cannot be read does).
     */
    MonitorInput.Unreadable copy(FileEntry entry, List<FileEntry> lists, String target) {
        LaneFile file = entry.file();
        long listBytes = lists.stream().mapToLong(list -> Math.max(list.file().size(), 0)).sum();
        if (listBytes > MAX_LIST_BYTES) {
            return unreadable(file, "it must import without the rows of the users deleted since it was written, by "
                    + keys(lists) + ", whose " + listBytes + " bytes are more than the " + MAX_LIST_BYTES + " bytes of"
                    + " user ids one create task reads (expected its rows of those users left out by hand, then the file"
                    + " uploaded again)");
        }
        if (file.size() > MAX_FILE_BYTES) {
            return unreadable(file, "it must import without the rows of the users deleted since it was written, by "
                    + keys(lists) + ", and at " + file.size() + " bytes it is larger than the " + MAX_FILE_BYTES
                    + " bytes the pipeline filters (expected its rows of those users left out by hand, then the file"
                    + " uploaded again in parts)");
        }
        List<Set<String>> users = new ArrayList<>();
        for (FileEntry list : lists) {
            try {
                users.add(ids(list));
            } catch (UnreadableObjectException e) {
                return unreadable(file, "it must import without the rows of the users deleted since it was written, by "
                        + list.file().key() + ", and " + e.getMessage());
            } catch (IllegalArgumentException e) {
                return unreadable(file, "it must import without the rows of the users deleted since it was written, but "
                        + e.getMessage());
            }
        }
        Path copy = temporaryFile();
        try {
            UserRows.Filtered filtered;
            try (InputStream in = objects.read(file); OutputStream out = Files.newOutputStream(copy)) {
                filtered = UserRows.filter(in, out, id -> {
                    for (int i = 0; i < users.size(); i++) {
                        if (users.get(i).contains(id)) {
                            return lists.get(i).file().key();
                        }
                    }
                    return null;
                });
            } catch (UnreadableObjectException e) {
                return new MonitorInput.Unreadable(file.sortKey(), file.key(), e.getMessage());
            } catch (IOException e) {
                throw new UncheckedIOException("Filtering " + file.location() + " into " + copy + " failed", e);
            }
            record(entry, lists, filtered);
            objects.put(file.bucket(), target, copy);
            return null;
        } finally {
            delete(copy);
        }
    }

    /** The list's user ids, read once per call. */
    private Set<String> ids(FileEntry list) {
        Set<String> read = ids.get(list.file().sortKey());
        if (read != null) {
            return read;
        }
        LaneFile file = list.file();
        // The create function may read the objects under the deletion prefixes (s3:GetObject) but not their older
        // versions: the list is read while it still has the notified eTag, and one overwritten since is not read at all.
        LaneFile current = new LaneFile(file.datasetArn(), file.route(), file.importMode(), new S3Object(file.bucket(),
                file.key(), null, file.eTag(), file.size()), file.place(), file.folder());
        try (InputStream in = objects.read(current)) {
            read = UserRows.ids(in, list.file().location());
        } catch (IOException e) {
            throw new UncheckedIOException("Reading the list " + list.file().location() + " failed", e);
        }
        ids.put(list.file().sortKey(), read);
        return read;
    }

    /**
     * Notes what was left out, before the copy is written: a retry whose copy is there already finds it noted, and one
     * that filters again notes the same. A file whose records were counted, to hold it until its batch has enough,
     * counts only those it keeps now, so that its batch waits for more if it has too few left ({@link BatchStaging}).
     */
    private void record(FileEntry entry, List<FileEntry> lists, UserRows.Filtered filtered) {
        LaneFile file = entry.file();
        Map<String, Long> leftOut = filtered.leftOut();
        Log.info("File staged without the rows of users deleted since it was written", "key", file.key(),
                "datasetArn", file.datasetArn(), "jobName", entry.standing().jobName(), "lists", keys(lists),
                "rowsLeftOut", leftOut);
        if (leftOut.isEmpty()) {
            return;
        }
        List<String> counts = new ArrayList<>();
        leftOut.forEach((list, rows) -> counts.add(rows + (rows == 1 ? " row" : " rows") + " of users deleted by "
                + list));
        String reason = String.join(", ", counts) + " left out of its import: the file was written before "
                + (counts.size() == 1 ? "that list" : "those lists") + " and imported after the deletion";
        FileEntry.Standing standing = entry.standing();
        FileEntry noted = entry.withStatus(standing.status(), standing.jobName(), null, reason);
        files.settle(entry.records() == null ? noted
                : noted.counted(Math.min(filtered.kept(), LanePlan.MIN_INTERACTIONS)), null);
    }

    private static MonitorInput.Unreadable unreadable(LaneFile file, String why) {
        return new MonitorInput.Unreadable(file.sortKey(), file.key(), file.location() + " cannot be staged: " + why);
    }

    private static String keys(List<FileEntry> lists) {
        return String.join(", ", lists.stream().map(list -> list.file().key()).toList());
    }

    private static Path temporaryFile() {
        try {
            return Files.createTempFile("filtered-", ".csv");
        } catch (IOException e) {
            throw new UncheckedIOException("No temporary file for a filtered copy", e);
        }
    }

    private static void delete(Path copy) {
        try {
            Files.deleteIfExists(copy);
        } catch (IOException e) {
            throw new UncheckedIOException("The temporary file " + copy + " could not be deleted", e);
        }
    }
}
