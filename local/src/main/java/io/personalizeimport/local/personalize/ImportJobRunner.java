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
 */
final class ImportJobRunner implements AutoCloseable {

    private final EmulatorState state;
    private final CsvImporter importer;
    private final long stepMillis;
    private final Clock clock;
    // More threads than the five jobs a region may run at once, so a long read never delays another job's step.
    private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(8, runnable -> {
        Thread thread = new Thread(runnable, "personalize-import");
        thread.setDaemon(true);
        return thread;
    });
    private volatile boolean closed;

    ImportJobRunner(EmulatorState state, CsvImporter importer, long stepMillis, Clock clock) {
        this.state = state;
        this.importer = importer;
        this.stepMillis = stepMillis;
        this.clock = clock;
    }

    /** Continues {@code job} from its current status: new jobs, and unfinished ones found after a restart. */
    void resume(ImportJob job) {
        if (Resources.CREATE_PENDING.equals(job.status())) {
            scheduler.schedule(() -> startImport(job.arn()), remainingStep(job.updated()), TimeUnit.MILLISECONDS);
        } else if (Resources.CREATE_IN_PROGRESS.equals(job.status())) {
            // The read's result was never stored: a job caught in progress by a shutdown reads its data again.
            scheduler.execute(() -> runImport(job));
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
            CsvImporter.ImportedData data = importer.read(job.dataLocation(), type, schema);
            finish = () -> {
                state.completeImport(job, data, clock.millis());
                EmulatorLog.info("job " + job.jobName() + " -> ACTIVE (" + data.records() + " records read)");
            };
        } catch (ImportFailedException e) {
            finish = () -> {
                state.updateJob(job.arn(), j -> j.withStatus(Resources.CREATE_FAILED, clock.millis(), e.getMessage()));
                EmulatorLog.info("job " + job.jobName() + " -> CREATE FAILED: " + e.getMessage());
            };
        } catch (RuntimeException e) {
            // A bug or an unexpected SDK failure must not leave the job in progress for ever.
            String reason = "Internal emulator error: " + e;
            finish = () -> state.updateJob(job.arn(), j -> j.withStatus(Resources.CREATE_FAILED, clock.millis(), reason));
            EmulatorLog.error("job " + job.jobName() + " failed unexpectedly", e);
        }
        Runnable done = finish;
        scheduler.schedule(() -> {
            if (!closed) {
                done.run();
            }
        }, remainingStep(job.updated()), TimeUnit.MILLISECONDS);
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
