package io.personalizeimport.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.personalizeimport.lambdas.lane.FileEntry;
import io.personalizeimport.lambdas.lane.FileStatus;
import io.personalizeimport.lambdas.lane.ObjectHead;
import io.personalizeimport.lambdas.ledger.Ledger;
import io.personalizeimport.local.demo.DemoData;
import io.personalizeimport.local.stack.LocalStack;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.personalize.PersonalizeClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Files the preflight refuses on the local stack, before any import job: values the schema cannot take in the demo's
 * broken files, and an empty file. Each ends REJECTED in the ledger with its reason, and Personalize lists no job of it.
 */
class PreflightSystemTest {

    private static LocalStack stack;
    private static S3Client s3;
    private static PersonalizeClient personalize;
    private static Ledger ledger;

    @BeforeAll
    static void startStack() {
        stack = SharedStack.get();
        s3 = stack.s3Client();
        personalize = stack.personalizeClient();
        ledger = new Ledger(stack.dynamoDbClient(), LocalStack.LEDGER_TABLE, Clock.systemUTC());
    }

    @AfterAll
    static void closeClients() {
        s3.close();
        personalize.close();
    }

    private static String demoFile(String key) {
        return DemoData.files(DemoData.DEFAULT_SEED).stream().filter(file -> file.key().equals(key)).findFirst()
                .orElseThrow(() -> new AssertionError("no demo file " + key)).content();
    }

    /** Writes the object, delivers its notification to the trigger, and returns the trigger's result for it. */
    private static JsonNode upload(String key, String content) throws Exception {
        s3.putObject(request -> request.bucket(LocalStack.BUCKET).key(key), RequestBody.fromString(content));
        return Lanes.trigger(stack, S3Events.put(s3, LocalStack.BUCKET, key)).path("records").get(0);
    }

    private static FileEntry ledgerEntry(String route, String key) {
        List<FileEntry> entries = ledger.files(stack.datasetArn(route)).stream()
                .filter(entry -> entry.file().key().equals(key)).toList();
        assertEquals(1, entries.size(), () -> "ledger entries of " + key + ": " + entries);
        return entries.getFirst();
    }

    private static List<String> jobNames(String route) {
        return personalize.listDatasetImportJobsPaginator(request -> request.datasetArn(stack.datasetArn(route)))
                .datasetImportJobs().stream().map(job -> job.jobName()).toList();
    }

    private static void assertRejectedBeforeAnyJob(String route, String key, JsonNode result, String reason) {
        assertEquals("REJECTED", result.path("outcome").asText(), result::toString);
        assertTrue(result.path("detail").asText().contains(reason), result::toString);
        FileEntry entry = ledgerEntry(route, key);
        assertEquals(FileStatus.REJECTED, entry.standing().status(), entry::toString);
        assertTrue(entry.standing().reason().contains(reason), entry::toString);
        String jobName = result.path("jobName").asText();
        assertTrue(!jobName.isEmpty() && !jobNames(route).contains(jobName),
                () -> "Personalize lists a job " + jobName + " for " + key + ": " + jobNames(route));
    }

    @Test
    void demoInteractionsWithAnIsoTime_shouldBeRejectedWithRowColumnAndValueBeforeAnyJob() throws Exception {
        String key = "interactions/" + ConsoleSession.unique("iso-time") + ".csv";

        JsonNode result = upload(key, demoFile("interactions/broken-bad-timestamp.csv"));

        assertRejectedBeforeAnyJob("interactions", key, result, "Row 418 of s3://" + LocalStack.BUCKET + "/" + key
                + ", column TIMESTAMP: value '2026-11-02T10:15:00Z' is not a long (epoch seconds expected;"
                + " this time is 1793614500)");
    }

    @Test
    void demoItemsWithAWordForAPrice_shouldBeRejectedWithRowColumnAndValueBeforeAnyJob() throws Exception {
        String key = "items/" + ConsoleSession.unique("free-price") + ".csv";

        JsonNode result = upload(key, demoFile("items/broken-wrong-types.csv"));

        assertRejectedBeforeAnyJob("items", key, result, "Row 20 of s3://" + LocalStack.BUCKET + "/" + key
                + ", column PRICE: value 'free' is not a float (a number such as 9.99 expected)");
    }

    @Test
    void anEmptyUsersFile_shouldEndRejectedInTheLedger() throws Exception {
        String key = "users/" + ConsoleSession.unique("empty") + ".csv";

        JsonNode result = upload(key, "");

        assertRejectedBeforeAnyJob("users", key, result,
                "The file is empty: a CSV needs a header row and at least one record");
    }

    @Test
    void demoInteractionsBelowTheMinimum_shouldBeRejectedWithTheirCountBeforeAnyJob() throws Exception {
        String key = "interactions/" + ConsoleSession.unique("too-few") + ".csv";

        JsonNode result = upload(key, demoFile("interactions/broken-too-few.csv"));

        assertRejectedBeforeAnyJob("interactions", key, result, "s3://" + LocalStack.BUCKET + "/" + key
                + " has 300 interaction(s): Personalize imports at least 1000 per import job");
    }

    @Test
    void interactionsLargerThanThePreflightsReadButBelowTheMinimum_shouldBeCountedWholeAndRejected() throws Exception {
        // 900 interactions of about 100 bytes: the count reads past the preflight's first bytes, from S3
        StringBuilder csv = new StringBuilder("USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE\n");
        for (int i = 0; i < 900; i++) {
            csv.append("user-").append("x".repeat(70)).append(i).append(",i").append(i % 31).append(",")
                    .append(Csv.T0 + i).append(",click\n");
        }
        assertTrue(csv.length() > ObjectHead.HEAD_BYTES, csv.length() + " bytes");
        String key = "interactions/" + ConsoleSession.unique("long-rows") + ".csv";

        JsonNode result = upload(key, csv.toString());

        assertRejectedBeforeAnyJob("interactions", key, result, "has 900 interaction(s)");
    }
}
