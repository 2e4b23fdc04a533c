package io.personalizeimport.local.personalize;

import io.personalizeimport.local.personalize.Resources.Dataset;
import io.personalizeimport.local.personalize.Resources.ImportJob;
import java.time.Clock;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Moves import jobs through CREATE PENDING -> CREATE IN_PROGRESS -> ACTIVE | CREATE FAILED, spending one step in
 * each of the first two. The data is read while the job is in progress; the job only finishes once both the read
 * and its step are done, so a client polling at the step's pace sees every status.
 *
 * <p>Every step runs guarded: whatever it throws, {@code Error}s included, fails the job with an internal-error
 * reason, so no job stays CREATE PENDING or CREATE IN_PROGRESS (and its dataset busy) for ever.
 */
final class ImportJobRunner implements AutoCloseable {

    /** Reads and checks an import job's data: the {@link CsvImporter}, or in tests one that fails on purpose. */
    interface DataReader {
        CsvImporter.ImportedData read(String dataLocation, DatasetType type, AvroSchema schema)
                throws ImportFailedException;
    }

    private final EmulatorState state;
    private final DataReader reader;
    private final long stepMillis;
    private final Clock clock;
    // More threads than the five jobs a region may run at once, so a long read never delays another job's step.
    private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(8, runnable -> {
        Thread thread = new Thread(runnable, "personalize-import");
        thread.setDaemon(true);
        return thread;
    });
    private volatile boolean closed;

    ImportJobRunner(EmulatorState state, DataReader reader, long stepMillis, Clock clock) {
        this.state = state;
        this.reader = reader;
        this.stepMillis = stepMillis;
        this.clock = clock;
    }

    /** Continues {@code job} from its current status: new jobs, and unfinished ones found after a restart. */
    void resume(ImportJob job) {
        if (Resources.CREATE_PENDING.equals(job.status())) {
            scheduler.schedule(guarded(job, () -> startImport(job.arn())), remainingStep(job.updated()),
                    TimeUnit.MILLISECONDS);
        } else if (Resources.CREATE_IN_PROGRESS.equals(job.status())) {
            // The read's result was never stored: a job caught in progress by a shutdown reads its data again.
            scheduler.execute(guarded(job, () -> runImport(job)));
        }
    }

    private void startImport(String jobArn) {
        if (closed) {
            return;
        }
        ImportJob job = state.updateJob(jobArn, j -> j.withStatus(Resources.CREATE_IN_PROGRESS, clock.millis(), null));
        EmulatorLog.info("job " + job.jobName() + " -> " + job.status());
        runImport(job);
    }

    private void runImport(ImportJob job) {
        if (closed) {
            return;
        }
        Runnable finish;
        try {
            Dataset dataset = state.dataset(job.datasetArn()).orElseThrow();
            AvroSchema schema = AvroSchema.parse(state.schema(dataset.schemaArn()).orElseThrow().schema());
            DatasetType type = DatasetType.valueOf(dataset.datasetType());
            CsvImporter.ImportedData data = reader.read(job.dataLocation(), type, schema);
            finish = () -> {
                state.completeImport(job, data, clock.millis());
                EmulatorLog.info("job " + job.jobName() + " -> ACTIVE (" + data.records() + " records read)");
            };
        } catch (ImportFailedException e) {
            finish = () -> {
                state.updateJob(job.arn(), j -> j.withStatus(Resources.CREATE_FAILED, clock.millis(), e.getMessage()));
                EmulatorLog.info("job " + job.jobName() + " -> CREATE FAILED: " + e.getMessage());
            };
        }
        Runnable done = finish;
        scheduler.schedule(guarded(job, () -> {
            if (!closed) {
                done.run();
            }
        }), remainingStep(job.updated()), TimeUnit.MILLISECONDS);
    }

    /** A step of {@code job} that fails the job on anything it throws instead of leaving it unfinished. */
    private Runnable guarded(ImportJob job, Runnable step) {
        return () -> {
            try {
                step.run();
            } catch (Throwable failure) {
                // Nothing is rethrown, not even a VirtualMachineError: this runs in a ScheduledExecutorService, whose
                // Future nobody reads, so a rethrown error would neither stop the JVM nor be seen. An
                // OutOfMemoryError or StackOverflowError of one import is over once its stack has unwound (the
                // huge allocation or the deep recursion is gone), and failing the job is how anyone learns of it.
                failInternally(job, failure);
            }
        };
    }

    private void failInternally(ImportJob job, Throwable failure) {
        if (closed) {
            // Interrupted by close(): the job stays unfinished and resumes on the next start with the same data dir.
            EmulatorLog.info("job " + job.jobName() + " stopped by the shutdown; it resumes on the next start");
            return;
        }
        String reason = "Internal error of the emulator while importing " + job.dataLocation() + ": " + failure;
        try {
            // A job that is no longer pending or in progress frees its dataset for the next import.
            state.updateJob(job.arn(), j -> j.unfinished()
                    ? j.withStatus(Resources.CREATE_FAILED, clock.millis(), reason) : j);
            EmulatorLog.error("job " + job.jobName() + " -> CREATE FAILED: " + reason, failure);
        } catch (Throwable stateFailure) {
            // Writing the state failed too (a full disk, memory still short): the in-memory job is already updated
            // by then, or nothing more can be done; at least say so.
            stateFailure.addSuppressed(failure);
            EmulatorLog.error("job " + job.jobName() + " could not be marked CREATE FAILED", stateFailure);
        }
    }

    private long remainingStep(long since) {
        return Math.max(0, since + stepMillis - clock.millis());
    }

    /** Stops scheduling; a step that is writing state is allowed to finish so the data directory stays whole. */
    @Override
    public void close() {
        closed = true;
        scheduler.shutdownNow();
        try {
            if (!scheduler.awaitTermination(10, TimeUnit.SECONDS)) {
                EmulatorLog.info("import threads still busy after 10 s; unfinished jobs resume on the next start");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
