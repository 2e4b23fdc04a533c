package io.personalizeimport.local.personalize;

import io.personalizeimport.local.personalize.Resources.Dataset;
import io.personalizeimport.local.personalize.Resources.ExportJob;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Moves dataset export jobs through CREATE PENDING -> CREATE IN_PROGRESS -> ACTIVE | CREATE FAILED on the import jobs'
 * timing: one step in each of the first two. The records are taken and written to S3 when the job goes in progress,
 * so an import that finishes later is not in the export. Every step runs guarded ({@link JobSteps}).
 */
final class ExportJobRunner implements AutoCloseable {

    private static final Pattern S3_URL = Pattern.compile("s3://([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])(?:/(.*))?");

    private final EmulatorState state;
    private final S3Client s3;
    private final Clock clock;
    private final int maxRowsPerPart;
    private final JobSteps steps;

    ExportJobRunner(EmulatorState state, S3Client s3, long stepMillis, Clock clock) {
        this(state, s3, stepMillis, clock, ExportCsv.MAX_ROWS_PER_PART);
    }

    ExportJobRunner(EmulatorState state, S3Client s3, long stepMillis, Clock clock, int maxRowsPerPart) {
        this.state = state;
        this.s3 = s3;
        this.clock = clock;
        this.maxRowsPerPart = maxRowsPerPart;
        this.steps = new JobSteps("export", 2, stepMillis, clock);
    }

    /** Continues {@code job} from its current status: new jobs, and unfinished ones found after a restart. */
    void resume(ExportJob job) {
        if (Resources.CREATE_PENDING.equals(job.status())) {
            steps.afterStep(steps(job), job.updated(), () -> start(job.arn()));
        } else if (Resources.CREATE_IN_PROGRESS.equals(job.status())) {
            // Parts have fixed names, so writing them again after a restart replaces what was half written.
            steps.now(steps(job), () -> run(job));
        }
    }

    private JobSteps.Job steps(ExportJob job) {
        return new JobSteps.Job("export job " + job.jobName(), "exporting to " + job.path(),
                reason -> state.updateExportJob(job.arn(), j -> j.unfinished()
                        ? j.withStatus(Resources.CREATE_FAILED, clock.millis(), reason) : j));
    }

    private void start(String jobArn) {
        ExportJob job = state.updateExportJob(jobArn,
                j -> j.withStatus(Resources.CREATE_IN_PROGRESS, clock.millis(), null));
        EmulatorLog.info("export job " + job.jobName() + " -> " + job.status());
        run(job);
    }

    private void run(ExportJob job) {
        String reason = write(job);
        steps.afterStep(steps(job), job.updated(), () -> {
            String status = reason == null ? Resources.ACTIVE : Resources.CREATE_FAILED;
            state.updateExportJob(job.arn(), j -> j.withStatus(status, clock.millis(), reason));
            EmulatorLog.info("export job " + job.jobName() + " -> " + status + (reason == null ? "" : ": " + reason));
        });
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

    /** Stops scheduling; a step that is writing is allowed to finish so the data directory stays whole. */
    @Override
    public void close() {
        steps.close();
    }
}
