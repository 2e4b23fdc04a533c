package io.personalizeimport.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.personalizeimport.lambdas.lane.FileEntry;
import io.personalizeimport.lambdas.lane.FileStatus;
import io.personalizeimport.lambdas.ledger.Ledger;
import io.personalizeimport.local.ledger.LedgerFile;
import io.personalizeimport.local.ledger.LedgerListing;
import io.personalizeimport.local.stack.LocalStack;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Issue 19 on the local stack: hourly 100-row interactions files of a coalescing route wait, counted, until together
 * they hold Personalize's 1,000 records per job, instead of each starting a job that the emulator, like Personalize,
 * fails after its run ("Number of interactions (100) ... is less than the minimum of 1000").
 */
class HeldInteractionsSystemTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(120);
    private static final String DATASET = LocalStack.demoDatasetArn("INTERACTIONS");
    private static final String ROUTES = """
            [{"name":"interactions","prefix":"interactions/","datasetArn":"%1$s","importMode":"FULL"},
             {"name":"hourly","prefix":"hourly/","datasetArn":"%1$s","importMode":"INCREMENTAL"}]"""
            .formatted(DATASET);

    private static LocalStack stack;
    private static S3Client s3;
    private static Ledger ledger;

    @BeforeAll
    static void startStack() throws Exception {
        stack = SharedStack.start(LocalStack.builder().personalizeStepMillis(500).monitorDeadline(Duration.ofHours(1))
                .routes(ROUTES));
        s3 = stack.s3Client();
        ledger = new Ledger(stack.dynamoDbClient(), LocalStack.LEDGER_TABLE, Clock.systemUTC());
        // Personalize takes INCREMENTAL imports only after a bulk import into the dataset.
        trigger(upload("interactions/" + ConsoleSession.unique("base") + ".csv", Csv.interactions(1000)));
        Lanes.awaitIdle(ledger, DATASET, TIMEOUT);
    }

    @AfterAll
    static void stopStack() {
        s3.close();
        stack.close();
    }

    private static String upload(String key, String content) {
        s3.putObject(request -> request.bucket(LocalStack.BUCKET).key(key), RequestBody.fromString(content));
        return key;
    }

    private static JsonNode trigger(String key) throws Exception {
        return Lanes.trigger(stack, S3Events.put(s3, LocalStack.BUCKET, key)).path("records").get(0);
    }

    @Test
    void tenHundredRowFiles_shouldWaitShowingTheirCountThenBeOneJobOfOneThousandRecords() throws Exception {
        String run = "hourly/" + ConsoleSession.unique("hours") + "/";
        long before = stack.personalize().recordCount(DATASET);

        // WHEN nine 100-row files arrive, each waits, and the files view says how many records wait
        for (int hour = 1; hour <= 9; hour++) {
            JsonNode result = trigger(upload(run + "hour-" + hour + ".csv", Csv.interactions(100)));
            assertEquals("PENDING", result.path("outcome").asText(), result::toString);
            List<LedgerFile> waiting = LedgerListing.files(stack.dynamoDbClient(), LocalStack.LEDGER_TABLE, DATASET)
                    .stream().filter(file -> file.key().startsWith(run)).toList();
            String expected = "waiting: " + hour * 100 + " of 1,000 interactions";
            assertTrue(waiting.stream().allMatch(file -> expected.equals(file.waiting())), waiting::toString);
        }
        assertEquals(before, stack.personalize().recordCount(DATASET), "no job ran on fewer than 1,000");

        // AND the tenth brings them to 1,000
        JsonNode tenth = trigger(upload(run + "hour-10.csv", Csv.interactions(100)));
        Lanes.awaitIdle(ledger, DATASET, TIMEOUT);

        // THEN one job imported all ten files, 1,000 records
        assertEquals("IMPORTING", tenth.path("outcome").asText(), tenth::toString);
        List<FileEntry> files = ledger.files(DATASET).stream().filter(file -> file.file().key().startsWith(run))
                .toList();
        assertEquals(10, files.size());
        assertTrue(files.stream().allMatch(file -> file.standing().status() == FileStatus.IMPORTED), files::toString);
        assertEquals(1, files.stream().map(file -> file.standing().jobName()).distinct().count(), files::toString);
        assertEquals(before + 1000, stack.personalize().recordCount(DATASET));
    }
}
