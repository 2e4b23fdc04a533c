package io.personalizeimport.lambdas.lane;

import io.personalizeimport.lambdas.Log;
import io.personalizeimport.lambdas.config.Environment;
import io.personalizeimport.lambdas.config.Staging;
import io.personalizeimport.lambdas.domain.ImportRequest;
import io.personalizeimport.lambdas.domain.MonitorInput;
import io.personalizeimport.lambdas.domain.MonitorInput.LaneTicket;
import io.personalizeimport.lambdas.domain.S3Location;
import io.personalizeimport.lambdas.errors.InvalidImportRequestException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Copies a staged import's files into its job's staging folder, a bounded share per call, resuming from what exists: a
 * coalesced batch's, and any file or folder written before lists of users deleted since, whose copies leave their rows
 * out ({@link FilteredCopies}).
 */
public final class BatchStaging {

    /** The variable that caps the copies one create task makes, so a test can make staging take several rounds. */
    public static final String COPIES_PER_CALL = "STAGING_COPIES_PER_CALL";

    /**
     * How one call copies.
     *
     * @param parallel how many copies run at once
     * @param budget how long after the call starts a copy may still begin: with the copy's own timeout it stays below the
     *     create function's timeout, and a call that used it leaves creating the job to the next call
     * @param copiesPerCall the most copies one call makes
     */
    public record Limits(int parallel, Duration budget, int copiesPerCall) {

        /** 8 copies at once, begun within 40 s of the create function's 90 s (FunctionSettings.CREATE). */
        public static final Limits DEFAULT = new Limits(8, Duration.ofSeconds(40), LanePlan.MAX_FILES);

        /** The defaults, with {@value #COPIES_PER_CALL} when the environment sets it. */
        public static Limits from(Environment env) {
            return new Limits(DEFAULT.parallel(), DEFAULT.budget(),
                    env.integer(COPIES_PER_CALL, DEFAULT.copiesPerCall(), 1, LanePlan.MAX_FILES));
        }
    }

    private final ObjectStore objects;
    private final FileRecords files;
    private final Limits limits;
    private final Clock clock;

    public BatchStaging(ObjectStore objects, FileRecords files, Limits limits, Clock clock) {
        this.objects = objects;
        this.files = files;
        this.limits = limits;
        this.clock = clock;
    }

    /** The staging folder of a staged import's job, {@code _staging/<job>/}. */
    static String folder(String jobName) {
        return Staging.PREFIX + jobName + "/";
    }

    /**
     * The key of the {@code index}th file's copy: numbered, so files of one name in different folders stay apart. It is
     * written only by a copy of exactly that write, whole or not at all, so its existence is the file's progress.
     */
    static String copyKey(String folder, int index, String key) {
        return folder + String.format("%04d-", index) + key.substring(key.lastIndexOf('/') + 1);
    }

    /**
     * Whether the import is staged, as a batch whose job reads the copies in its staging folder: a coalesced batch, or a
     * file that imports without the rows of users deleted since it was written, as its lane planned it.
     */
    public static boolean isBatch(ImportRequest request, LaneTicket ticket) {
        return ticket != null && !ticket.entries().isEmpty() && request.dataLocation() != null
                && request.dataLocation().endsWith("/" + folder(request.jobName()));
    }

    /**
     * How far a call got.
     *
     * @param createNow whether every file is staged and the call has time left to create the job; a call that spent
     *     its budget leaves that to the next call, even when it copied the last file
     */
    public record Staged(MonitorInput.Staging progress, boolean createNow) {
    }

    /**
     * Copies the batch's files that its staging folder lacks, until all are there, the call's budget is spent or a file
     * cannot be read: first, one at a time, those that import without the rows of users deleted since they were written,
     * then the others, several at once. A folder's copy is a copy of each of its parts. Once all are there, a batch of
     * interactions that waited for Personalize's minimum and holds fewer once those rows are left out is not created,
     * but goes back to its lane ({@link #waitsForMore}).
     */
    public Staged stage(ImportRequest request, LaneTicket ticket) {
        Instant started = clock.instant();
        S3Location location = S3Location.parse(request.dataLocation());
        List<FileEntry> batch = batch(ticket);
        List<Copy> copies = copies(ticket.datasetArn(), batch, location.key());
        Set<String> present = objects.keys(location.bucket(), location.key());
        List<Copy> missing = copies.stream().filter(copy -> !present.contains(copy.target())).toList();
        Instant deadline = started.plus(limits.budget());
        List<Copy> now = missing.subList(0, Math.min(missing.size(), limits.copiesPerCall()));
        // The lists of the group are read only when copies are left to make, and only for a dataset they bind.
        DeletedLists deleted = now.isEmpty() ? DeletedLists.NONE
                : DeletedLists.of(ticket.datasetArn(), group -> files.files(group, FileStatus.DELETED));
        List<Copy> filtered = now.stream().filter(copy -> !deleted.after(copy.entry().file()).isEmpty()).toList();
        Copied copied = filter(filtered, deleted, deadline);
        if (copied.unreadable() == null) {
            Copied copiedWhole = copy(now.stream().filter(copy -> !filtered.contains(copy)).toList(), deadline);
            copied = new Copied(copied.count() + copiedWhole.count(), copiedWhole.unreadable());
        }
        int staged = copies.size() - missing.size() + copied.count();
        Log.info(staged == copies.size() ? "Batch staged" : "Batch staged in part", "jobName", request.jobName(),
                "staged", staged, "files", copies.size(), "copiedNow", copied.count(),
                "millis", Duration.between(started, clock.instant()).toMillis());
        MonitorInput.Unreadable unreadable = copied.unreadable() == null && staged == copies.size()
                ? tooFew(request, ticket, batch) : copied.unreadable();
        MonitorInput.Staging progress = new MonitorInput.Staging(staged, copies.size(), unreadable);
        boolean timeLeft = copied.count() == 0 || clock.instant().isBefore(deadline);
        return new Staged(progress, unreadable == null && staged == copies.size() && timeLeft);
    }

    /**
     * Whether a batch ends unstaged only because it holds too few interactions once the rows of deleted users are left
     * out: no file is to blame, so none is rejected, and all wait in the lane again for more.
     */
    static boolean waitsForMore(Ending.Unstageable unstageable) {
        return unstageable.entry() == null;
    }

    /**
     * Why the staged batch waits for more, when its files were counted to hold it until they had Personalize's minimum
     * of interactions and, counting only what their copies keep, have fewer: a job would fail as too few interactions
     * after it ran. Null when it has enough.
     */
    private MonitorInput.Unreadable tooFew(ImportRequest request, LaneTicket ticket, List<FileEntry> read) {
        if (read.stream().allMatch(entry -> entry.records() == null)) {
            return null;
        }
        // Read again: the copies made since lowered the counts of the files they left rows out of.
        long records = LanePlan.records(batch(ticket));
        if (records >= LanePlan.MIN_INTERACTIONS) {
            return null;
        }
        String reason = String.format(Locale.ROOT, "waiting: %,d of %,d interactions once the rows of users deleted"
                + " after the files were written are left out; no job imports fewer, so the files wait in the lane for"
                + " more", records, LanePlan.MIN_INTERACTIONS);
        Log.info("Batch not created: too few interactions once the rows of deleted users are left out", "jobName",
                request.jobName(), "records", records, "files", read.size());
        return new MonitorInput.Unreadable(null, null, reason);
    }

    /**
     * Each copy of the batch and where it goes: a file's numbered, a folder's parts' at their paths under the folder.
     */
    private List<Copy> copies(String datasetArn, List<FileEntry> batch, String folder) {
        List<Copy> copies = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            LaneFile file = batch.get(i).file();
            if (!file.isFolder()) {
                copies.add(new Copy(batch.get(i), copyKey(folder, i, file.key())));
                continue;
            }
            for (FileEntry part : FolderParts.newest(file, files.files(datasetArn, FileStatus.PENDING))) {
                copies.add(new Copy(part, FolderParts.copyKey(folder, file, part.file())));
            }
        }
        return copies;
    }

    /** One file of the batch and where its copy goes. */
    private record Copy(FileEntry entry, String target) {
    }

    /** What one call copied: how many, and the first file the store refused for good (null for none). */
    private record Copied(int count, MonitorInput.Unreadable unreadable) {
    }

    /** The batch's files in the ticket's order, as the ledger recorded them: each write's version or eTag. */
    private List<FileEntry> batch(LaneTicket ticket) {
        Map<String, FileEntry> importing = files.files(ticket.datasetArn(), FileStatus.IMPORTING).stream()
                .collect(Collectors.toMap(entry -> entry.file().sortKey(), Function.identity(), (a, b) -> a));
        List<FileEntry> batch = new ArrayList<>();
        for (String entry : ticket.entries()) {
            // A file the claiming function had not yet moved to IMPORTING when it stopped is read on its own.
            FileEntry file = importing.containsKey(entry) ? importing.get(entry)
                    : files.file(ticket.datasetArn(), entry).orElseThrow(() -> new InvalidImportRequestException(
                            "File " + entry + " of the batch is not in the ledger of " + ticket.datasetArn()
                                    + ": expected every file of the lane's ticket recorded"));
            batch.add(file);
        }
        return batch;
    }

    /** Writes the copies without the rows of deleted users, one at a time; none begins at or after {@code deadline}. */
    private Copied filter(List<Copy> copies, DeletedLists deleted, Instant deadline) {
        FilteredCopies filtering = new FilteredCopies(objects, files);
        int done = 0;
        for (Copy copy : copies) {
            if (!clock.instant().isBefore(deadline)) {
                break;
            }
            MonitorInput.Unreadable unreadable = filtering.copy(copy.entry(), deleted.after(copy.entry().file()),
                    copy.target());
            if (unreadable != null) {
                return new Copied(done, unreadable);
            }
            done++;
        }
        return new Copied(done, null);
    }

    /** Copies up to {@code limits.parallel()} at a time; none begins at or after {@code deadline}. */
    private Copied copy(List<Copy> copies, Instant deadline) {
        if (copies.isEmpty()) {
            return new Copied(0, null);
        }
        AtomicInteger next = new AtomicInteger();
        AtomicInteger done = new AtomicInteger();
        AtomicReference<MonitorInput.Unreadable> unreadable = new AtomicReference<>();
        AtomicReference<RuntimeException> failed = new AtomicReference<>();
        Runnable worker = () -> {
            while (unreadable.get() == null && failed.get() == null && clock.instant().isBefore(deadline)) {
                int index = next.getAndIncrement();
                if (index >= copies.size()) {
                    return;
                }
                Copy copy = copies.get(index);
                try {
                    objects.copy(copy.entry().file(), copy.target());
                    done.incrementAndGet();
                } catch (UnreadableObjectException e) {
                    unreadable.compareAndSet(null, new MonitorInput.Unreadable(copy.entry().file().sortKey(),
                            copy.entry().file().key(), e.getMessage()));
                } catch (RuntimeException e) {
                    // A transient error ends the call: the task's retry lists the folder again and goes on from there.
                    failed.compareAndSet(null, e);
                }
            }
        };
        int threads = Math.min(limits.parallel(), copies.size());
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> running = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                running.add(pool.submit(worker));
            }
            for (Future<?> each : running) {
                each.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Staging was interrupted after " + done.get() + " copies", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("A staging copy failed unexpectedly: " + e.getCause(), e.getCause());
        } finally {
            pool.shutdownNow();
        }
        if (failed.get() != null) {
            throw failed.get();
        }
        return new Copied(done.get(), unreadable.get());
    }
}
