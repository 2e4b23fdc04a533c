package io.personalizeimport.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.personalizeimport.lambdas.FunctionSettings;
import io.personalizeimport.lambdas.events.ImportHeld;
import io.personalizeimport.lambdas.lane.FileEntry;
import io.personalizeimport.lambdas.lane.FileStatus;
import io.personalizeimport.lambdas.ledger.Ledger;
import io.personalizeimport.local.ledger.LedgerFile;
import io.personalizeimport.local.ledger.LedgerListing;
import io.personalizeimport.local.stack.LocalStack;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Issue 19 on the local stack: hourly 100-row interactions files of a coalescing route wait, counted, until together
 * they hold Personalize's 1,000 records per job, instead of each starting a job that the emulator, like Personalize,
 * fails after its run ("Number of interactions (100) ... is less than the minimum of 1000"); a hold past the route's
 * longest hold (an hour here) is reported once, by the next file or the publish schedule, and the files wait on.
 */
class HeldInteractionsSystemTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(120);
    private static final String DATASET = LocalStack.demoDatasetArn("INTERACTIONS");
    private static final String ROUTES = """
            [{"name":"interactions","prefix":"interactions/","datasetArn":"%1$s","importMode":"FULL"},
             {"name":"hourly","prefix":"hourly/","datasetArn":"%1$s","importMode":"INCREMENTAL",
              "longestHold":"PT1H"}]"""
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
        // Personalize takes INCREMENTAL imports only after a bulk import into the dataset; written a day ago, so files
        // whose event times are hours old still come after it in the lane rather than being superseded by it.
        trigger(upload("interactions/" + ConsoleSession.unique("base") + ".csv", Csv.interactions(1000)),
                Instant.now().minus(Duration.ofDays(1)));
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
        return trigger(key, Instant.now());
    }

    /** Notifies the trigger of {@code key} written at {@code eventTime}; returns its summary of the file. */
    private static JsonNode trigger(String key, Instant eventTime) throws Exception {
        return Lanes.trigger(stack, S3Events.putAt(s3, LocalStack.BUCKET, eventTime, key)).path("records").get(0);
    }

    /** What the files view says each file under {@code prefix} waits for. */
    private static List<String> waiting(String prefix) {
        return LedgerListing.files(stack.dynamoDbClient(), LocalStack.LEDGER_TABLE, DATASET).stream()
                .filter(file -> file.key().startsWith(prefix)).map(LedgerFile::waiting).toList();
    }

    private static List<FileStatus> statuses(String prefix) {
        return ledger.files(DATASET).stream().filter(file -> file.file().key().startsWith(prefix))
                .map(file -> file.standing().status()).toList();
    }

    /** The Dataset Import Held events published that name {@code key}, once one came and a schedule run passed. */
    private static List<JsonNode> heldEvents(String key) throws InterruptedException {
        Instant until = Instant.now().plus(Duration.ofSeconds(45));
        while (held(key).isEmpty() && Instant.now().isBefore(until)) {
            Thread.sleep(100);
        }
        // A second report would come with the next file or the next scheduled run, every 3 s here: wait past one.
        Thread.sleep(Duration.ofSeconds(4).toMillis());
        return held(key);
    }

    private static List<JsonNode> held(String key) {
        return stack.eventBridge().events().stream()
                .filter(event -> ImportHeld.DETAIL_TYPE.equals(event.path("detail-type").asText()))
                .filter(event -> event.path("detail").path("files").findValuesAsText("key").contains(key)).toList();
    }

    /** Brings the files under {@code prefix} to 1,000 records with one more, and waits for their job to end. */
    private static void fillUp(String prefix, int records) throws Exception {
        JsonNode last = trigger(upload(prefix + "fill.csv", Csv.interactions(records)));
        assertEquals("IMPORTING", last.path("outcome").asText(), last::toString);
        Lanes.awaitIdle(ledger, DATASET, TIMEOUT);
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

    @Test
    void filesHeldPastTheLongestHold_shouldBeReportedOnceAndWaitUntilEnoughArrive() throws Exception {
        // GIVEN the hourly route holds for an hour, and no job ran on what the files hold
        String run = "hourly/" + ConsoleSession.unique("late") + "/";
        long before = stack.personalize().recordCount(DATASET);
        Instant twoHoursAgo = Instant.now().minus(Duration.ofHours(2));

        // WHEN a 100-row file written two hours ago is notified, and then another written since
        JsonNode first = trigger(upload(run + "1.csv", Csv.interactions(100)), twoHoursAgo);
        JsonNode second = trigger(upload(run + "2.csv", Csv.interactions(100)), twoHoursAgo.plusSeconds(1800));

        // THEN the first file's advance reported the hold, once, in one Dataset Import Held event
        assertEquals("PENDING", first.path("outcome").asText(), first::toString);
        assertEquals("PENDING", second.path("outcome").asText(), second::toString);
        List<JsonNode> events = heldEvents(run + "1.csv");
        assertEquals(1, events.size(), events::toString);
        JsonNode detail = events.getFirst().path("detail");
        assertEquals(List.of(DATASET), List.of(events.getFirst().path("resources").get(0).asText()));
        assertEquals(100, detail.path("records").asLong(), detail::toString);
        assertEquals(1_000, detail.path("minimum").asLong());
        assertEquals("PT1H", detail.path("longestHold").asText());
        assertEquals("hourly", detail.path("route").asText());
        assertTrue(detail.path("reason").asText().contains("waited past the longest hold"), detail::toString);

        // AND the files view says the files wait past it, both PENDING, and nothing was imported
        List<String> waiting = waiting(run);
        assertEquals(2, waiting.size(), waiting::toString);
        assertTrue(waiting.stream().allMatch(text -> text.startsWith("waiting past the longest hold (PT1H since ")
                && text.endsWith(": 200 of 1,000 interactions")), waiting::toString);
        assertEquals(List.of(FileStatus.PENDING, FileStatus.PENDING), statuses(run));
        assertEquals(before, stack.personalize().recordCount(DATASET), "no job ran on 200 interactions");

        // WHEN a file brings them to 1,000, THEN one job imports the three
        fillUp(run, 800);
        assertEquals(List.of(FileStatus.IMPORTED, FileStatus.IMPORTED, FileStatus.IMPORTED), statuses(run));
        assertEquals(before + 1000, stack.personalize().recordCount(DATASET));
        assertEquals(1, heldEvents(run + "1.csv").size(), "the import reported no hold again");
    }

    @Test
    void aHoldThatPassesItsLongestHoldWhileNoFileComes_shouldBeReportedOnceByThePublishSchedule() throws Exception {
        // GIVEN a 100-row file whose hour of hold ends 15 s after it is notified, held and not reported
        String run = "hourly/" + ConsoleSession.unique("swept") + "/";
        long before = stack.personalize().recordCount(DATASET);
        JsonNode result = trigger(upload(run + "1.csv", Csv.interactions(100)),
                Instant.now().minus(Duration.ofHours(1)).plusSeconds(15));
        assertEquals("PENDING", result.path("outcome").asText(), result::toString);
        assertEquals(List.of("waiting: 100 of 1,000 interactions"), waiting(run),
                "the trigger should have seen the hold before its hour was up (it had 15 s)");
        assertFalse(ledger.lane(DATASET).holding().reported());
        long triggers = stack.lambdaHost().stats("trigger").invocations();
        long publishRuns = stack.lambdaHost().stats(FunctionSettings.PUBLISH.functionName()).invocations();

        // WHEN the hour passes while no file comes, and the publish schedule runs every 3 s
        List<JsonNode> events = heldEvents(run + "1.csv");

        // THEN a scheduled run reported the hold, once; the files view says so; the file waits; nothing was imported
        assertEquals(1, events.size(), events::toString);
        assertEquals(100, events.getFirst().path("detail").path("records").asLong());
        assertEquals(triggers, stack.lambdaHost().stats("trigger").invocations(), "no file came meanwhile");
        assertTrue(stack.lambdaHost().stats(FunctionSettings.PUBLISH.functionName()).invocations() > publishRuns);
        assertTrue(ledger.lane(DATASET).holding().reported());
        List<String> waiting = waiting(run);
        assertTrue(waiting.size() == 1 && waiting.getFirst().startsWith("waiting past the longest hold (PT1H since "),
                waiting::toString);
        assertEquals(List.of(FileStatus.PENDING), statuses(run));
        assertEquals(before, stack.personalize().recordCount(DATASET));

        // AND a file that brings it to 1,000 imports it
        fillUp(run, 900);
        assertEquals(List.of(FileStatus.IMPORTED, FileStatus.IMPORTED), statuses(run));
        assertEquals(before + 1000, stack.personalize().recordCount(DATASET));
    }
}
