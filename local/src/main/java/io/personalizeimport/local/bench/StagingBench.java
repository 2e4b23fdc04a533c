package io.personalizeimport.local.bench;

import io.personalizeimport.lambdas.config.Staging;
import io.personalizeimport.lambdas.lane.FileEntry;
import io.personalizeimport.lambdas.lane.FileStatus;
import io.personalizeimport.lambdas.ledger.Ledger;
import io.personalizeimport.local.stack.LocalStack;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sfn.SfnClient;

/**
 * {@code local/run bench --scenario staging} (issue 19): a burst of INCREMENTAL interaction files, generated on the fly
 * and uploaded outside the routes first, then copied into a coalescing route at once while a bulk import holds the
 * lane, so that they wait in it together; staged by the create task and imported as one batch: how long staging and
 * the import took, and how many create calls it needed.
 */
public final class StagingBench {

    /** 500 files of about 2 MB: 1 GB, Personalize's bound on one INCREMENTAL job. */
    public static final int DEFAULT_FILES = 500;
    public static final long DEFAULT_FILE_BYTES = 2_000_000;
    /** Personalize's least interactions per import job; each file has at least as many. */
    static final int MIN_ROWS = 1_000;
    static final Duration TIMEOUT = Duration.ofMinutes(60);
    /** What a row takes besides its user id: {@code ,i123,1700012345,click} and its line break. */
    private static final int ROW_BYTES = 23;
    /**
     * Each emulated job's time per status: the bulk import holds the lane for two of them, long after the burst has
     * landed, so the burst waits in the lane whole.
     */
    private static final long STEP_MILLIS = 15_000;

    private static final String DATASET = LocalStack.demoDatasetArn("INTERACTIONS");
    private static final String ROUTES = """
            [{"name":"base","prefix":"base/","datasetArn":"%1$s","importMode":"FULL"},
             {"name":"events","prefix":"e/","datasetArn":"%1$s","importMode":"INCREMENTAL","coalesce":true}]"""
            .formatted(DATASET);
    /** Where the burst is uploaded first, outside every route, and where it lands. */
    private static final String SEED = "seed/";
    private static final String BURST = "e/";
    private static final String HEADER = "USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE\n";
    private static final long T0 = 1_700_000_000L;

    /**
     * What to upload and where.
     *
     * @param files how many files the burst has
     * @param fileBytes about how large each is
     */
    public record Settings(Path root, Path dataDir, int files, long fileBytes, Consumer<String> progress) {

        public Settings {
            Objects.requireNonNull(root, "root");
            Objects.requireNonNull(dataDir, "dataDir");
            if (files < 2 || fileBytes < 1) {
                throw new IllegalArgumentException("a staged batch needs at least 2 files of at least 1 byte");
            }
        }
    }

    /**
     * What the run measured.
     *
     * @param upload how long the burst took to land in the route, copied from where it was uploaded
     * @param toStaged from the burst's first file until every file had its copy in a staging folder
     * @param createCalls how many times the batches' executions entered their create task
     * @param toImported from the burst's first file until every file was IMPORTED
     * @param records the records the burst added to the emulated dataset
     */
    public record Report(int files, long bytes, long rows, int jobs, Duration upload, Duration toStaged,
                         int createCalls, Duration toImported, long records) {
    }

    private StagingBench() {
    }

    /** Starts a local stack in {@code settings.dataDir()}, runs the burst, and stops it. */
    public static Report run(Settings settings) {
        try {
            Files.createDirectories(settings.dataDir());
            try (PrintStream log = new PrintStream(Files.newOutputStream(settings.dataDir().resolve("stack.log")), true,
                    StandardCharsets.UTF_8);
                 LocalStack stack = LocalStack.builder().root(settings.root())
                         .dataDir(settings.dataDir().resolve("stack")).timeScale(0.01).personalizeStepMillis(STEP_MILLIS)
                         .routes(ROUTES).logSink(log::println).build().start();
                 S3Client s3 = stack.s3Client();
                 SfnClient sfn = stack.sfnClient()) {
                return burst(settings, stack, s3, sfn);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("bench: cannot write to " + settings.dataDir(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BenchFailedException("the staging bench was interrupted", e);
        }
    }

    private static Report burst(Settings settings, LocalStack stack, S3Client s3, SfnClient sfn)
            throws InterruptedException {
        Ledger ledger = new Ledger(stack.dynamoDbClient(), LocalStack.LEDGER_TABLE, Clock.systemUTC());
        // A row is its user id and about 23 bytes more: ids up to 240 characters make a 2 MB file of about 7,600 rows.
        int width = (int) Math.max(1, Math.min(240, settings.fileBytes() / MIN_ROWS - ROW_BYTES));
        int rows = (int) Math.max(MIN_ROWS, settings.fileBytes() / (width + ROW_BYTES));
        settings.progress().accept(String.format(Locale.ROOT, "Uploading %d files of %d rows (about %.1f MB each)",
                settings.files(), rows, settings.fileBytes() / 1e6));
        long bytes = inParallel(settings.files(), index -> {
            byte[] content = csv((long) index * rows, rows, width);
            put(s3, key(SEED, index), content);
            return content.length;
        });
        // A bulk import holds the lane while the burst lands in the route, server-side copies that take moments, so
        // the burst waits in the lane and is claimed as one batch.
        put(s3, "base/base.csv", csv(0, MIN_ROWS, 40));
        await("the bulk import to hold the lane", () -> ledger.lane(DATASET).isBusy());
        Instant start = Instant.now();
        inParallel(settings.files(), index -> {
            s3.copyObject(request -> request.sourceBucket(LocalStack.BUCKET).sourceKey(key(SEED, index))
                    .destinationBucket(LocalStack.BUCKET).destinationKey(key(BURST, index)));
            return 0;
        });
        Duration upload = Duration.between(start, Instant.now());
        settings.progress().accept("Uploaded " + bytes + " bytes; the burst landed in the route in " + upload.toMillis()
                + " ms; staging");
        await("every file to have its staged copy", () -> staged(s3) >= settings.files());
        Duration toStaged = Duration.between(start, Instant.now());
        settings.progress().accept("Staged after " + toStaged.toMillis() + " ms; importing");
        await("every file to be IMPORTED", () -> burstFiles(ledger).stream()
                .filter(file -> file.standing().status() == FileStatus.IMPORTED).count() == settings.files());
        Duration toImported = Duration.between(start, Instant.now());
        Set<String> jobs = burstFiles(ledger).stream().map(file -> file.standing().jobName())
                .collect(Collectors.toSet());
        int createCalls = 0;
        for (String job : jobs) {
            String execution = stack.stateMachineArn().replace(":stateMachine:", ":execution:") + ":" + job;
            createCalls += (int) sfn.getExecutionHistoryPaginator(request -> request.executionArn(execution)).events()
                    .stream().filter(event -> event.stateEnteredEventDetails() != null
                            && event.stateEnteredEventDetails().name().equals("Create import job")).count();
        }
        long records = stack.personalize().recordCount(DATASET) - MIN_ROWS;
        return new Report(settings.files(), bytes, (long) rows * settings.files(), jobs.size(), upload, toStaged,
                createCalls, toImported, records);
    }

    private interface Work {
        int run(int index) throws Exception;
    }

    /** Runs {@code work} for each index from a few threads; the sum of what it returned. */
    private static long inParallel(int count, Work work) throws InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                int index = i;
                results.add(pool.submit(() -> work.run(index)));
            }
            long sum = 0;
            for (Future<Integer> result : results) {
                sum += result.get();
            }
            return sum;
        } catch (java.util.concurrent.ExecutionException e) {
            throw new BenchFailedException("writing the burst failed: " + e.getCause().getMessage(), e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    private static String key(String prefix, int index) {
        return String.format(Locale.ROOT, "%s%04d.csv", prefix, index);
    }

    private static void put(S3Client s3, String key, byte[] content) {
        s3.putObject(request -> request.bucket(LocalStack.BUCKET).key(key), RequestBody.fromBytes(content));
    }

    /** An interactions CSV of {@code rows} rows, user ids padded to {@code width} characters. */
    static byte[] csv(long first, int rows, int width) {
        StringBuilder csv = new StringBuilder(HEADER.length() + rows * (width + 40)).append(HEADER);
        String padding = "x".repeat(width);
        for (long i = first; i < first + rows; i++) {
            String user = "u" + i + "-" + padding;
            csv.append(user, 0, Math.min(user.length(), width)).append(",i").append(i % 1_000).append(',')
                    .append(T0 + i % 86_400).append(",click\n");
        }
        return csv.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static long staged(S3Client s3) {
        return s3.listObjectsV2Paginator(request -> request.bucket(LocalStack.BUCKET).prefix(Staging.PREFIX)).contents()
                .stream().count();
    }

    private static List<FileEntry> burstFiles(Ledger ledger) {
        return ledger.files(DATASET).stream().filter(file -> file.file().key().startsWith(BURST)).toList();
    }

    private interface Check {
        boolean done();
    }

    private static void await(String what, Check check) throws InterruptedException {
        Instant deadline = Instant.now().plus(TIMEOUT);
        while (!check.done()) {
            if (Instant.now().isAfter(deadline)) {
                throw new BenchFailedException("gave up waiting " + TIMEOUT.toMinutes() + " min for " + what, null);
            }
            Thread.sleep(250);
        }
    }
}
