package io.personalizeimport.tests;

import io.personalizeimport.local.stack.LocalStack;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import software.amazon.awssdk.services.personalize.PersonalizeClient;
import software.amazon.awssdk.services.personalize.model.DatasetExportJob;
import software.amazon.awssdk.services.personalize.model.IngestionMode;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Reads a dataset's current records the way a Personalize user would: a dataset export job to S3, polled to ACTIVE,
 * then every CSV part under its output folder.
 */
final class DatasetExport {

    /** Any role ARN in IAM's shape: the emulator checks the shape, not the role. */
    static final String ROLE_ARN = "arn:aws:iam::000000000000:role/PersonalizeExport";
    /** Under the stack's bucket but outside every route, so exports are never imported. */
    static final String OUTPUT_PREFIX = "_dataset-exports/";
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private DatasetExport() {
    }

    /** One finished export: the job as described when ACTIVE, and its records in file order. */
    record Result(DatasetExportJob job, List<Map<String, String>> rows) {

        /** The records by the value of {@code idColumn}, e.g. USER_ID; fails if an id appears twice. */
        Map<String, Map<String, String>> byId(String idColumn) {
            Map<String, Map<String, String>> byId = new LinkedHashMap<>();
            for (Map<String, String> row : rows) {
                if (byId.put(row.get(idColumn), row) != null) {
                    throw new AssertionError("the export holds " + idColumn + " " + row.get(idColumn) + " twice: "
                            + rows);
                }
            }
            return byId;
        }
    }

    /** Exports all of the dataset (ingestionMode ALL) into the local stack's bucket and returns its rows. */
    static List<Map<String, String>> read(PersonalizeClient personalize, S3Client s3, String datasetArn) {
        return export(personalize, s3, datasetArn, LocalStack.BUCKET, IngestionMode.ALL).rows();
    }

    /**
     * Exports the dataset to {@code s3://<bucket>/_dataset-exports/<job>/}, waits for ACTIVE (fails on CREATE FAILED
     * or after 60 s) and reads every CSV part there, each row a map from column to value.
     */
    static Result export(PersonalizeClient personalize, S3Client s3, String datasetArn, String bucket,
                         IngestionMode mode) {
        String jobName = "export-" + UUID.randomUUID().toString().substring(0, 13);
        String folder = OUTPUT_PREFIX + jobName + "/";
        String jobArn = personalize.createDatasetExportJob(b -> b.jobName(jobName).datasetArn(datasetArn)
                .roleArn(ROLE_ARN).ingestionMode(mode)
                .jobOutput(o -> o.s3DataDestination(d -> d.path("s3://" + bucket + "/" + folder))))
                .datasetExportJobArn();
        DatasetExportJob job = awaitActive(personalize, jobArn);
        List<Map<String, String>> rows = new ArrayList<>();
        s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(folder)).contents().stream()
                .map(S3Object::key)
                .filter(key -> key.endsWith(".csv"))
                .sorted()
                .forEach(key -> rows.addAll(rows(s3.getObjectAsBytes(b -> b.bucket(bucket).key(key))
                        .asString(StandardCharsets.UTF_8))));
        return new Result(job, rows);
    }

    private static DatasetExportJob awaitActive(PersonalizeClient personalize, String jobArn) {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            DatasetExportJob job = personalize.describeDatasetExportJob(b -> b.datasetExportJobArn(jobArn))
                    .datasetExportJob();
            if (job.status().equals("ACTIVE")) {
                return job;
            }
            if (job.status().equals("CREATE FAILED")) {
                throw new AssertionError("export job " + jobArn + " failed: " + job.failureReason());
            }
            sleep(100);
        }
        throw new AssertionError("export job " + jobArn + " did not become ACTIVE within " + TIMEOUT);
    }

    /** The rows of one part: a header, then records; quoted values as RFC 4180 writes them. */
    static List<Map<String, String>> rows(String csv) {
        List<List<String>> lines = parse(csv);
        if (lines.isEmpty()) {
            throw new AssertionError("an export part without a header row");
        }
        List<String> header = lines.getFirst();
        List<Map<String, String>> rows = new ArrayList<>();
        for (List<String> values : lines.subList(1, lines.size())) {
            if (values.size() != header.size()) {
                throw new AssertionError("a row of " + values.size() + " values under a header of " + header.size()
                        + ": " + values);
            }
            Map<String, String> row = new LinkedHashMap<>();
            for (int i = 0; i < header.size(); i++) {
                row.put(header.get(i), values.get(i));
            }
            rows.add(row);
        }
        return rows;
    }

    private static List<List<String>> parse(String csv) {
        List<List<String>> lines = new ArrayList<>();
        List<String> line = new ArrayList<>();
        StringBuilder value = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < csv.length(); i++) {
            char c = csv.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < csv.length() && csv.charAt(i + 1) == '"') {
                    value.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    value.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                line.add(value.toString());
                value.setLength(0);
            } else if (c == '\n' || c == '\r') {
                if (c == '\r' && i + 1 < csv.length() && csv.charAt(i + 1) == '\n') {
                    i++;
                }
                line.add(value.toString());
                value.setLength(0);
                lines.add(line);
                line = new ArrayList<>();
            } else {
                value.append(c);
            }
        }
        if (!value.isEmpty() || !line.isEmpty()) {
            line.add(value.toString());
            lines.add(line);
        }
        return lines;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
