package io.personalizeimport.tests;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.personalizeimport.lambdas.errors.TransientServiceException;
import io.personalizeimport.lambdas.lane.FileEntry;
import io.personalizeimport.lambdas.ledger.Ledger;
import io.personalizeimport.local.faults.Fault;
import io.personalizeimport.local.faults.FaultStats;
import io.personalizeimport.local.stack.LocalStack;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.HistoryEventType;

/**
 * Many files over three datasets while every Personalize operation fails at random (30% throttling, 10% 5xx, 5%
 * answers slower than the describe function's timeout): every file must end in its own correct outcome, and no
 * monitor may end on a transient fault. Prints a table of files, faults and retries.
 *
 * <p>{@code -Dchaos.files=N} sets the number of files (default 9, run by the README's test command); the fault
 * seed is printed, and {@code -Dchaos.seed=S} replays a run.
 */
class ChaosSystemTest {

    private static final int FILES = Integer.getInteger("chaos.files", 9);
    private static final long SEED = Long.getLong("chaos.seed", System.nanoTime());
    private static final List<String> ROUTES = List.of("users", "items", "interactions");

    private static final String DATASETS = "arn:aws:personalize:us-east-1:000000000000:dataset/personalize-import-demo/";
    /**
     * INCREMENTAL routes, one file per job: every file of the run is imported in its lane (FULL routes would supersede
     * all but the newest of each dataset, which {@link DatasetLanesSystemTest} covers).
     */
    private static final String INCREMENTAL_ROUTES = """
            [{"name":"interactions","prefix":"interactions/","datasetArn":"%1$sINTERACTIONS","importMode":"INCREMENTAL","coalesce":false},
             {"name":"users","prefix":"users/","datasetArn":"%1$sUSERS","importMode":"INCREMENTAL"},
             {"name":"items","prefix":"items/","datasetArn":"%1$sITEMS","importMode":"INCREMENTAL"},
             {"name":"bulk-interactions","prefix":"bulk/interactions/","datasetArn":"%1$sINTERACTIONS"},
             {"name":"bulk-users","prefix":"bulk/users/","datasetArn":"%1$sUSERS"},
             {"name":"bulk-items","prefix":"bulk/items/","datasetArn":"%1$sITEMS"}]""".formatted(DATASETS);

    private static LocalStack stack;

    @BeforeAll
    static void startStack() {
        stack = SharedStack.start(LocalStack.builder().personalizeStepMillis(SharedStack.STEP_MILLIS)
                .monitorDeadline(Duration.ofMinutes(10)).routes(INCREMENTAL_ROUTES));
        // Personalize takes INCREMENTAL imports only after a bulk import into the dataset (Amazon Personalize API
        // Reference, CreateDatasetImportJob, importMode).
        try (S3Client s3 = stack.s3Client(); SfnClient sfn = stack.sfnClient()) {
            List<String> bulk = new ArrayList<>();
            for (String route : ROUTES) {
                String key = "bulk/" + route + "/base.csv";
                s3.putObject(request -> request.bucket(LocalStack.BUCKET).key(key), RequestBody.fromString(
                        content(route, 0, "SUCCEEDED", route.equals("interactions") ? 1000 : 5)));
                bulk.add(sfn.startExecution(request -> request.stateMachineArn(stack.stateMachineArn())
                        .name("bulk-" + route).input("{\"bucket\":\"" + LocalStack.BUCKET + "\",\"key\":\"" + key
                                + "\"}")).executionArn());
            }
            for (String arn : bulk) {
                Executions.awaitEnd(sfn, arn, Duration.ofMinutes(2));
            }
        }
    }

    @AfterAll
    static void stopStack() {
        stack.close();
    }

    /** A file's final entry in its lane, once it has one. */
    private static FileEntry awaitOutcome(Ledger ledger, String route, String key) throws InterruptedException {
        Instant until = Instant.now().plus(Duration.ofMinutes(10));
        while (Instant.now().isBefore(until)) {
            var entry = ledger.files(DATASETS + route.toUpperCase(java.util.Locale.ROOT)).stream()
                    .filter(file -> file.file().key().equals(key)).findFirst();
            if (entry.isPresent() && entry.get().standing().status().isFinal()) {
                return entry.get();
            }
            Thread.sleep(200);
        }
        throw new AssertionError(key + " has no outcome after 10 minutes");
    }

    /** One file of the run, what it must end as, and what it did. */
    private record File(String key, String route, String expected, int rows) {
    }

    private static String content(String route, int index, String expected, int rows) {
        if (expected.equals("DatasetImportJobFailed")) {
            return Csv.withBadRowPastPreflight(Csv::users, "late,gold,thirty");
        }
        if (expected.equals("DatasetImportRejected")) {
            return "MEMBERSHIP,AGE\ngold,30\n";
        }
        return switch (route) {
            case "users" -> Csv.users(rows);
            case "items" -> Csv.items(rows);
            default -> Csv.interactions(rows);
        };
    }

    @Test
    @Timeout(value = 15, unit = TimeUnit.MINUTES)
    void randomFaultsInEveryOperation_shouldNeverChangeAFilesOutcome() throws Exception {
        // GIVEN files over three datasets, two of every seven broken on purpose
        List<File> files = new ArrayList<>();
        String run = UUID.randomUUID().toString().substring(0, 8);
        try (S3Client s3 = stack.s3Client()) {
            for (int i = 0; i < FILES; i++) {
                String route = ROUTES.get(i % ROUTES.size());
                String expected = switch (i % 7) {
                    case 3 -> "DatasetImportJobFailed";
                    case 5 -> "DatasetImportRejected";
                    default -> "SUCCEEDED";
                };
                route = expected.equals("SUCCEEDED") ? route : "users";
                int rows = route.equals("interactions") ? 1000 + i : 10 + i;
                String key = route + "/chaos-" + run + "-" + i + ".csv";
                String body = content(route, i, expected, rows);
                s3.putObject(request -> request.bucket(LocalStack.BUCKET).key(key), RequestBody.fromString(body));
                files.add(new File(key, route, expected, rows));
            }
        }
        // AND faults at random in every Personalize operation
        stack.personalize().injectFault(Fault.randomError("*", "ThrottlingException", 0.30).withSeed(SEED));
        stack.personalize().injectFault(Fault.randomError("*", "InternalFailure", 0.10).withSeed(SEED + 1));
        stack.personalize().injectFault(Fault.randomLatency("*", 35_000, 0.05).withSeed(SEED + 2));

        // WHEN every file is imported at once
        List<DescribeExecutionResponse> executions = new ArrayList<>();
        try (SfnClient sfn = stack.sfnClient()) {
            List<String> arns = new ArrayList<>();
            for (File file : files) {
                arns.add(sfn.startExecution(request -> request.stateMachineArn(stack.stateMachineArn())
                        .name("chaos-" + UUID.randomUUID())
                        .input("{\"bucket\":\"" + LocalStack.BUCKET + "\",\"key\":\"" + file.key() + "\"}"))
                        .executionArn());
            }
            for (String arn : arns) {
                executions.add(Executions.awaitEnd(sfn, arn, Duration.ofMinutes(10)));
            }
            // An operator's import that found its lane busy runs later in an execution named after its job.
            Ledger ledger = new Ledger(stack.dynamoDbClient(), LocalStack.LEDGER_TABLE, Clock.systemUTC());
            for (int i = 0; i < files.size(); i++) {
                FileEntry entry = awaitOutcome(ledger, files.get(i).route(), files.get(i).key());
                if (entry.standing().jobName() != null && executions.get(i).error() == null
                        && executions.get(i).output() != null && executions.get(i).output().contains("\"queued\"")) {
                    executions.set(i, Executions.awaitEnd(sfn, stack.stateMachineArn()
                            .replace(":stateMachine:", ":execution:") + ":" + entry.standing().jobName(),
                            Duration.ofMinutes(10)));
                }
            }

            // THEN each ends as it must, and the table shows what the faults did
            List<FaultStats> faults = stack.personalize().faults();
            System.out.printf("%nChaos run: %d files, fault seed %d%n", FILES, SEED);
            System.out.printf("%-44s %-13s %-24s %-24s %12s%n", "FILE", "DATASET", "EXPECTED", "OUTCOME", "FAILED TASKS");
            long retries = 0;
            List<String> wrong = new ArrayList<>();
            for (int i = 0; i < files.size(); i++) {
                File file = files.get(i);
                DescribeExecutionResponse execution = executions.get(i);
                String outcome = execution.error() == null ? execution.statusAsString() : execution.error();
                long failed = sfn.getExecutionHistory(request -> request.executionArn(execution.executionArn())
                                .maxResults(1000)).events().stream()
                        .filter(event -> event.type() == HistoryEventType.LAMBDA_FUNCTION_FAILED
                                || event.type() == HistoryEventType.LAMBDA_FUNCTION_TIMED_OUT)
                        .count();
                retries += failed;
                System.out.printf("%-44s %-13s %-24s %-24s %12d%n", file.key(), file.route(), file.expected(), outcome,
                        failed);
                if (!outcome.equals(file.expected())) {
                    wrong.add(file.key() + " ended " + outcome + " (" + execution.cause() + "), expected "
                            + file.expected());
                }
            }
            for (FaultStats fault : faults) {
                System.out.printf("fault %-20s %-22s p=%.2f latency=%6d ms: %5d of %5d matching requests%n",
                        fault.fault().operation(), fault.fault().error() == null ? "(latency)" : fault.fault().error(),
                        fault.fault().probability(), fault.fault().latencyMillis(), fault.injected(), fault.matched());
            }
            System.out.printf("task retries after failures: %d (%s and crashes)%n", retries,
                    TransientServiceException.class.getSimpleName());
            assertTrue(wrong.isEmpty(), () -> String.join("\n", wrong));
            assertTrue(faults.stream().mapToLong(FaultStats::injected).sum() > 0, "no fault was injected");
        }
    }
}
