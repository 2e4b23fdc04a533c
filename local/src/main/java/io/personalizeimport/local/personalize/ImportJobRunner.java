package io.personalizeimport.local.personalize;

import io.personalizeimport.local.personalize.Resources.Dataset;
import io.personalizeimport.local.personalize.Resources.ImportJob;
import java.time.Clock;

/**
 * Moves import jobs through CREATE PENDING -> CREATE IN_PROGRESS -> ACTIVE | CREATE FAILED, spending one step in
 * CREATE PENDING and, unless a job duration is set, one in CREATE IN_PROGRESS. The data is read while the job is in progress; the job only finishes once both the read
 * and its step are done, so a client polling at the step's pace sees every status.
 * Every step runs guarded ({@link JobSteps}).
 */
final class ImportJobRunner implements AutoCloseable {

    /** Reads and checks an import job's data: the {@link CsvImporter}, or in tests one that fails on purpose. */
    interface DataReader {
        CsvImporter.ImportedData read(String dataLocation, DatasetType type, AvroSchema schema)
                throws ImportFailedException;
    }

    private final EmulatorState state;
    private final DataReader reader;
    private final Clock clock;
    private final JobSteps steps;
    private final long inProgressMillis;

    ImportJobRunner(EmulatorState state, DataReader reader, long stepMillis, long inProgressMillis, Clock clock) {
        this.state = state;
        this.reader = reader;
        this.clock = clock;
        this.inProgressMillis = inProgressMillis;
        // More threads than the five jobs a region may run at once, so a long read never delays another job's step.
        this.steps = new JobSteps("import", 8, stepMillis, clock);
    }

    /** Continues {@code job} from its current status: new jobs, and unfinished ones found after a restart. */
    void resume(ImportJob job) {
        if (Resources.CREATE_PENDING.equals(job.status())) {
            steps.afterStep(steps(job), job.updated(), () -> startImport(job.arn()));
        } else if (Resources.CREATE_IN_PROGRESS.equals(job.status())) {
            // The read's result was never stored: a job caught in progress by a shutdown reads its data again.
            steps.now(steps(job), () -> runImport(job));
        }
    }

    private JobSteps.Job steps(ImportJob job) {
        return new JobSteps.Job("job " + job.jobName(), "importing " + job.dataLocation(),
                reason -> state.updateJob(job.arn(), j -> j.unfinished()
                        ? j.withStatus(Resources.CREATE_FAILED, clock.millis(), reason) : j));
    }

    private void startImport(String jobArn) {
        ImportJob job = state.updateJob(jobArn, j -> j.withStatus(Resources.CREATE_IN_PROGRESS, clock.millis(), null));
        EmulatorLog.info("job " + job.jobName() + " -> " + job.status());
        runImport(job);
    }

    private void runImport(ImportJob job) {
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
        steps.after(steps(job), job.updated(), inProgressMillis, finish);
    }

    /** Stops scheduling; a step that is writing state is allowed to finish so the data directory stays whole. */
    @Override
    public void close() {
        steps.close();
    }
}
