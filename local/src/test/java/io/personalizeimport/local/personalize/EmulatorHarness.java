package io.personalizeimport.local.personalize;

import io.personalizeimport.local.s3.LocalS3;
import io.personalizeimport.local.testing.SdkClients;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.personalize.PersonalizeClient;
import software.amazon.awssdk.services.personalize.model.DatasetImportJob;
import software.amazon.awssdk.services.personalize.model.ImportMode;
import software.amazon.awssdk.services.s3.S3Client;

/** A LocalS3 plus an emulator reading from it, and the real SDK clients for both. */
final class EmulatorHarness implements AutoCloseable {

    static final String BUCKET = "imports";
    static final String ROLE_ARN = "arn:aws:iam::000000000000:role/PersonalizeS3Access";
    static final String INTERACTIONS_SCHEMA = """
            {"type": "record", "name": "Interactions", "namespace": "com.amazonaws.personalize.schema",
             "fields": [{"name": "USER_ID", "type": "string"}, {"name": "ITEM_ID", "type": "string"},
                        {"name": "TIMESTAMP", "type": "long"}, {"name": "EVENT_VALUE", "type": ["null", "float"]}],
             "version": "1.0"}""";
    static final String USERS_SCHEMA = """
            {"type": "record", "name": "Users", "namespace": "com.amazonaws.personalize.schema",
             "fields": [{"name": "USER_ID", "type": "string"}, {"name": "AGE", "type": ["null", "int"]},
                        {"name": "MEMBER", "type": ["null", "boolean"]}],
             "version": "1.0"}""";

    final LocalS3 s3;
    final S3Client s3Client;
    private final Path stateDir;
    private final long stepMillis;
    private final UnaryOperator<ImportJobRunner.DataReader> readerWrapper;
    PersonalizeEmulator emulator;
    PersonalizeClient personalize;

    EmulatorHarness(Path root, Path stateDir, long stepMillis) {
        this(root, stateDir, stepMillis, UnaryOperator.identity());
    }

    /** A harness whose emulator reads import data through {@code readerWrapper} applied to the real reader. */
    EmulatorHarness(Path root, Path stateDir, long stepMillis, UnaryOperator<ImportJobRunner.DataReader> readerWrapper) {
        this.readerWrapper = readerWrapper;
        this.s3 = LocalS3.builder().dataDir(root.resolve("s3")).build().start();
        this.s3.createBucket(BUCKET);
        this.s3Client = SdkClients.s3(s3);
        this.stateDir = stateDir;
        this.stepMillis = stepMillis;
        startEmulator(stepMillis);
    }

    /** (Re)starts the emulator over the same state directory, as after a process restart. */
    void startEmulator(long step) {
        emulator = PersonalizeEmulator.builder()
                .dataDir(stateDir)
                .stepMillis(step)
                .readerWrapper(readerWrapper)
                .s3(new S3Settings(s3.endpoint(), "us-east-1", s3.accessKey(), s3.secretKey()))
                .build()
                .start();
        personalize = SdkClients.personalize(emulator.endpoint(), Region.US_EAST_1);
    }

    void stopEmulator() {
        personalize.close();
        emulator.close();
    }

    String createDataset(String groupName, String type, String schemaText) {
        String groupArn = personalize.createDatasetGroup(b -> b.name(groupName)).datasetGroupArn();
        String schemaArn = personalize.createSchema(b -> b.name(groupName + "-" + type).schema(schemaText)).schemaArn();
        return personalize.createDataset(b -> b.name(groupName + "-" + type).datasetGroupArn(groupArn)
                .schemaArn(schemaArn).datasetType(type)).datasetArn();
    }

    String interactionsDataset(String groupName) {
        return createDataset(groupName, "Interactions", INTERACTIONS_SCHEMA);
    }

    String usersDataset(String groupName) {
        return createDataset(groupName, "Users", USERS_SCHEMA);
    }

    /** Uploads {@code rows} interactions, users u0.. and items i0.., one per second from 1700000000. */
    String putInteractions(String key, int rows) {
        return put(key, interactionsCsv(rows, 1_700_000_000L));
    }

    /** {@code rows} interactions of users u0.. and items i0.., one per second from {@code firstTimestamp}. */
    String interactionsCsv(int rows, long firstTimestamp) {
        StringBuilder csv = new StringBuilder("USER_ID,ITEM_ID,TIMESTAMP,EVENT_VALUE\n");
        for (int i = 0; i < rows; i++) {
            csv.append('u').append(i % 97).append(",i").append(i % 31).append(',').append(firstTimestamp + i)
                    .append(i % 2 == 0 ? ",1.5" : ",").append('\n');
        }
        return csv.toString();
    }

    String put(String key, String content) {
        s3Client.putObject(b -> b.bucket(BUCKET).key(key), RequestBody.fromString(content, StandardCharsets.UTF_8));
        return "s3://" + BUCKET + "/" + key;
    }

    String putFixture(String key, String fixture) {
        try (InputStream in = getClass().getResourceAsStream("/imports/" + fixture)) {
            if (in == null) {
                throw new IllegalArgumentException("No fixture /imports/" + fixture);
            }
            byte[] bytes = in.readAllBytes();
            s3Client.putObject(b -> b.bucket(BUCKET).key(key), RequestBody.fromBytes(bytes));
            return "s3://" + BUCKET + "/" + key;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String startImport(String jobName, String datasetArn, String location, ImportMode mode) {
        return personalize.createDatasetImportJob(b -> b.jobName(jobName).datasetArn(datasetArn).roleArn(ROLE_ARN)
                .dataSource(s -> s.dataLocation(location)).importMode(mode)).datasetImportJobArn();
    }

    /** Polls until the job is ACTIVE or CREATE FAILED; returns every distinct job state seen, the last one final. */
    List<DatasetImportJob> awaitFinished(String jobArn) {
        List<DatasetImportJob> seen = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos() + stepMillis * 4_000_000L;
        while (System.nanoTime() < deadline) {
            DatasetImportJob job = personalize.describeDatasetImportJob(b -> b.datasetImportJobArn(jobArn))
                    .datasetImportJob();
            if (seen.isEmpty() || !seen.getLast().status().equals(job.status())) {
                seen.add(job);
            }
            if (job.status().equals("ACTIVE") || job.status().equals("CREATE FAILED")) {
                return seen;
            }
            sleep(10);
        }
        throw new AssertionError("Job " + jobArn + " did not finish; statuses seen: "
                + seen.stream().map(DatasetImportJob::status).toList());
    }

    DatasetImportJob finalState(String jobArn) {
        return awaitFinished(jobArn).getLast();
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("Interrupted", e);
        }
    }

    @Override
    public void close() {
        stopEmulator();
        s3Client.close();
        s3.close();
    }
}
