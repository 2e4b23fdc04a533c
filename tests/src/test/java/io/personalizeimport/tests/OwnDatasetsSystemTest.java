package io.personalizeimport.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.personalizeimport.lambdas.lane.FileEntry;
import io.personalizeimport.lambdas.lane.FileStatus;
import io.personalizeimport.lambdas.ledger.Ledger;
import io.personalizeimport.local.personalize.Domain;
import io.personalizeimport.local.personalize.ImportJobStats;
import io.personalizeimport.local.stack.LocalStack;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.function.IntFunction;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.personalize.PersonalizeClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A local stack hosting two dataset groups of the user's own: {@value #EU}, a custom group with all five dataset types,
 * and {@value #US}, an ECOMMERCE group with its own items schema. One file into each dataset, every file IMPORTED.
 */
class OwnDatasetsSystemTest {

    private static final String EU = "market-eu";
    private static final String US = "market-us";
    private static final Duration TIMEOUT = Duration.ofSeconds(180);
    private static final String US_ITEMS_SCHEMA = """
            {"type": "record", "name": "Items", "namespace": "com.amazonaws.personalize.schema",
             "fields": [{"name": "ITEM_ID", "type": "string"}, {"name": "PRICE", "type": "float"},
                        {"name": "CATEGORY_L1", "type": "string", "categorical": true},
                        {"name": "PRODUCT_DESCRIPTION", "type": ["null", "string"], "textual": true}],
             "version": "1.0"}""";
    /** Each route's name, dataset and file: realistic rows of each type, 1,000 interactions as Personalize needs. */
    private static final Map<String, Upload> UPLOADS = new LinkedHashMap<>();

    private record Upload(String group, String type, int rows, IntFunction<String> csv) {

        String datasetArn() {
            return LocalStack.datasetArn(group, type);
        }
    }

    private static LocalStack stack;
    private static S3Client s3;
    private static Ledger ledger;

    static {
        UPLOADS.put("eu-clicks", new Upload(EU, "INTERACTIONS", 1_000, Csv::interactions));
        UPLOADS.put("eu-users", new Upload(EU, "USERS", 40, Csv::users));
        UPLOADS.put("eu-items", new Upload(EU, "ITEMS", 30, Csv::items));
        UPLOADS.put("eu-offers", new Upload(EU, "ACTIONS", 12, OwnDatasetsSystemTest::actions));
        UPLOADS.put("eu-taken", new Upload(EU, "ACTION_INTERACTIONS", 200, OwnDatasetsSystemTest::actionInteractions));
        UPLOADS.put("us-clicks", new Upload(US, "INTERACTIONS", 1_200, Csv::interactions));
        UPLOADS.put("us-users", new Upload(US, "USERS", 25, Csv::users));
        UPLOADS.put("us-items", new Upload(US, "ITEMS", 20, OwnDatasetsSystemTest::ecommerceItems));
    }

    @BeforeAll
    static void startStack() {
        StringJoiner routes = new StringJoiner(",", "[", "]");
        UPLOADS.forEach((name, upload) -> routes.add("{\"name\":\"" + name + "\",\"prefix\":\"" + name + "/\","
                + "\"datasetArn\":\"" + upload.datasetArn() + "\",\"importMode\":\"FULL\"}"));
        stack = SharedStack.start(LocalStack.builder().personalizeStepMillis(400).monitorDeadline(Duration.ofMinutes(10))
                .routes(routes.toString()).domain(US, Domain.ECOMMERCE).schema(US + "/ITEMS", US_ITEMS_SCHEMA));
        s3 = stack.s3Client();
        ledger = new Ledger(stack.dynamoDbClient(), LocalStack.LEDGER_TABLE, Clock.systemUTC());
    }

    @AfterAll
    static void stopStack() {
        s3.close();
        stack.close();
    }

    @Test
    void oneFileIntoEachDatasetOfTwoGroups_shouldEachBeImported() throws Exception {
        // GIVEN the stack made both groups and their eight datasets, the US group an ECOMMERCE one
        try (PersonalizeClient personalize = stack.personalizeClient()) {
            assertEquals("ECOMMERCE", personalize.describeDatasetGroup(request -> request.datasetGroupArn(
                    "arn:aws:personalize:us-east-1:000000000000:dataset-group/" + US)).datasetGroup().domainAsString());
            for (Upload upload : UPLOADS.values()) {
                assertEquals(upload.type(), personalize.describeDataset(request -> request.datasetArn(
                        upload.datasetArn())).dataset().datasetType());
            }
        }

        // WHEN a file lands in each route's folder at once
        for (Map.Entry<String, Upload> route : UPLOADS.entrySet()) {
            String key = route.getKey() + "/" + ConsoleSession.unique("own") + ".csv";
            s3.putObject(request -> request.bucket(LocalStack.BUCKET).key(key),
                    RequestBody.fromString(route.getValue().csv().apply(route.getValue().rows())));
            Lanes.trigger(stack, S3Events.put(s3, LocalStack.BUCKET, key));
        }

        // THEN every file is IMPORTED and every dataset holds its rows
        for (Upload upload : UPLOADS.values()) {
            Lanes.awaitIdle(ledger, upload.datasetArn(), TIMEOUT);
            List<FileEntry> files = ledger.files(upload.datasetArn());
            assertEquals(1, files.size(), files::toString);
            assertEquals(FileStatus.IMPORTED, files.getFirst().standing().status(), files::toString);
            assertEquals(upload.rows(), stack.personalize().recordCount(upload.datasetArn()), upload::toString);
        }

        // AND the emulator saw eight jobs created, never more than the region's five unfinished at once
        ImportJobStats stats = stack.personalize().importJobStats();
        assertEquals(UPLOADS.size(), stats.importJobsCreated(), stats::toString);
        assertTrue(stats.maxUnfinishedImportJobs() <= 5, stats::toString);
    }

    private static String actions(int rows) {
        StringJoiner csv = new StringJoiner("\n", "", "\n");
        csv.add("ACTION_ID,VALUE,CREATION_TIMESTAMP,CHANNEL");
        String[] channels = {"email", "push", "in-app"};
        for (int i = 0; i < rows; i++) {
            csv.add("a" + i + "," + (i % 3 == 0 ? "" : (10 + i) + ".0") + "," + (Csv.T0 - 86_400L * i) + ","
                    + channels[i % channels.length]);
        }
        return csv.toString();
    }

    private static String actionInteractions(int rows) {
        StringJoiner csv = new StringJoiner("\n", "", "\n");
        csv.add("USER_ID,ACTION_ID,TIMESTAMP,EVENT_TYPE");
        String[] events = {"Viewed", "Taken", "Not taken"};
        for (int i = 0; i < rows; i++) {
            csv.add("u" + (i % 41) + ",a" + (i % 12) + "," + (Csv.T0 + 60L * i) + "," + events[i % events.length]);
        }
        return csv.toString();
    }

    private static String ecommerceItems(int rows) {
        StringJoiner csv = new StringJoiner("\n", "", "\n");
        csv.add("ITEM_ID,PRICE,CATEGORY_L1,PRODUCT_DESCRIPTION");
        String[] categories = {"Electronics|Audio", "Books", "Garden"};
        for (int i = 0; i < rows; i++) {
            csv.add("sku-" + i + "," + (4.99 + i) + "," + categories[i % categories.length] + ",\"Item " + i
                    + ", boxed\"");
        }
        return csv.toString();
    }
}
