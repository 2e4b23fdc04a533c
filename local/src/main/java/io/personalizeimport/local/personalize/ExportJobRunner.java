package io.personalizeimport.local.personalize;

import io.personalizeimport.local.personalize.Resources.Dataset;
import io.personalizeimport.local.personalize.Resources.ExportJob;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Moves dataset export jobs through CREATE PENDING -> CREATE IN_PROGRESS -> ACTIVE | CREATE FAILED on the import jobs'
 * timing: one step in each of the first two. The records are taken and written to S3 when the job goes in progress,
 * so an import that finishes later is not in the export. Whatever a step throws fails the job instead of leaving it
 * unfinished.
 */
final class ExportJobRunner implements AutoCloseable {

    private static final Pattern S3_URL = Pattern.compile("s3://([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])(?:/(.*))?");

    private final EmulatorState state;
    private final S3Client s3;
    private final long stepMillis;
    private final Clock clock;
    private final int maxRowsPerPart;
    private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2, runnable -> {
        Thread thread = new Thread(runnable, "personalize-export");
        thread.setDaemon(true);
        return thread;
    });
    private volatile boolean closed;

    ExportJobRunner(EmulatorState state, S3Client s3, long stepMillis, Clock clock) {
        this(state, s3, stepMillis, clock, ExportCsv.MAX_ROWS_PER_PART);
    }

    ExportJobRunner(EmulatorState state, S3Client s3, long stepMillis, Clock clock, int maxRowsPerPart) {
        this.state = state;
        this.s3 = s3;
        this.stepMillis = stepMillis;
        this.clock = clock;
        this.maxRowsPerPart = maxRowsPerPart;
    }

    /** Continues {@code job} from its current status: new jobs, and unfinished ones found after a restart. */
    void resume(ExportJob job) {
        if (Resources.CREATE_PENDING.equals(job.status())) {
            scheduler.schedule(guarded(job, () -> start(job.arn())), remaining(job.updated()), TimeUnit.MILLISECONDS);
        } else if (Resources.CREATE_IN_PROGRESS.equals(job.status())) {
            // Parts have fixed names, so writing them again after a restart replaces what was half written.
            scheduler.execute(guarded(job, () -> run(job)));
        }
    }

    private void start(String jobArn) {
        if (closed) {
            return;
        }
        ExportJob job = state.updateExportJob(jobArn,
                j -> j.withStatus(Resources.CREATE_IN_PROGRESS, clock.millis(), null));
        EmulatorLog.info("export job " + job.jobName() + " -> " + job.status());
        run(job);
    }

    private void run(ExportJob job) {
        if (closed) {
            return;
        }
        String reason = write(job);
        scheduler.schedule(guarded(job, () -> {
            if (!closed) {
                String status = reason == null ? Resources.ACTIVE : Resources.CREATE_FAILED;
                state.updateExportJob(job.arn(), j -> j.withStatus(status, clock.millis(), reason));
                EmulatorLog.info("export job " + job.jobName() + " -> " + status
                        + (reason == null ? "" : ": " + reason));
            }
        }), remaining(job.updated()), TimeUnit.MILLISECONDS);
    }

    /** Writes the job's part files; returns why they could not be written, or null when they were. */
    private String write(ExportJob job) {
        Matcher location = S3_URL.matcher(job.path());
        if (!location.matches()) {
            return "Invalid output location " + job.path() + ": expected s3://<bucket>/<folder>/";
        }
        String bucket = location.group(1);
        String prefix = location.group(2) == null ? "" : location.group(2);
        Dataset dataset = state.dataset(job.datasetArn()).orElseThrow();
        List<String> columns = AvroSchema.parse(state.schema(dataset.schemaArn()).orElseThrow().schema()).fields()
                .stream().map(AvroSchema.Field::name).toList();
        // Only dataset import jobs fill the emulator's datasets (it has no PutUsers, PutItems or PutEvents), so PUT
        // data is always empty and ALL is the bulk data.
        List<Map<String, String>> records = "PUT".equals(job.ingestionMode())
                ? List.of() : state.records(dataset.arn());
        List<String> parts = ExportCsv.parts(columns, records, maxRowsPerPart);
        for (int i = 0; i < parts.size(); i++) {
            String key = ExportCsv.partKey(prefix, job.jobName(), i);
            String content = parts.get(i);
            try {
                s3.putObject(b -> b.bucket(bucket).key(key).contentType("text/csv"), RequestBody.fromString(content));
            } catch (SdkException e) {
                String detail = e instanceof S3Exception s3e && s3e.awsErrorDetails() != null
                        ? s3e.awsErrorDetails().errorCode() + " (HTTP " + s3e.statusCode() + ")" : e.getMessage();
                return "Could not write s3://" + bucket + "/" + key + ": " + detail;
            }
        }
        EmulatorLog.info("export job " + job.jobName() + " wrote " + records.size() + " records in " + parts.size()
                + " part(s) under " + job.path());
        return null;
    }

    private Runnable guarded(ExportJob job, Runnable step) {
        return () -> {
            try {
                step.run();
            } catch (Throwable failure) {
                // As for import jobs: nobody reads this executor's futures, so failing the job is how anyone learns.
                fail(job, failure);
            }
        };
    }

    private void fail(ExportJob job, Throwable failure) {
        if (closed) {
            EmulatorLog.info("export job " + job.jobName() + " stopped by the shutdown; it resumes on the next start");
            return;
        }
        String reason = "Internal error of the emulator while exporting to " + job.path() + ": " + failure;
        try {
            state.updateExportJob(job.arn(), j -> j.unfinished()
                    ? j.withStatus(Resources.CREATE_FAILED, clock.millis(), reason) : j);
            EmulatorLog.error("export job " + job.jobName() + " -> CREATE FAILED: " + reason, failure);
        } catch (Throwable stateFailure) {
            stateFailure.addSuppressed(failure);
            EmulatorLog.error("export job " + job.jobName() + " could not be marked CREATE FAILED", stateFailure);
        }
    }

    private long remaining(long since) {
        return Math.max(0, since + stepMillis - clock.millis());
    }

    /** Stops scheduling; a step that is writing is allowed to finish so the data directory stays whole. */
    @Override
    public void close() {
        closed = true;
        scheduler.shutdownNow();
        try {
            if (!scheduler.awaitTermination(10, TimeUnit.SECONDS)) {
                EmulatorLog.info("export threads still busy after 10 s; unfinished jobs resume on the next start");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
