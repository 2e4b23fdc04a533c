package io.personalizeimport.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.personalizeimport.local.console.ConsoleServer;
import io.personalizeimport.local.ledger.LedgerListing;
import io.personalizeimport.local.stack.LocalStack;
import java.io.IOException;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The local console in Debian's headless chromium, on a stack of its own with S3 notifications on, so that a file
 * dropped from the page starts its import as in AWS. The browser part is {@code tests/browser/console.test.mjs}
 * (playwright-core); it writes a screenshot of each view ({@link #SCREENSHOTS}).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleBrowserTest {

    /** Debian's chromium; CI installs it (.ci/run). */
    static final Path CHROMIUM = Path.of(System.getProperty("console.chromium", "/usr/bin/chromium"));
    /**
     * Where the screenshots go: the build folder, so that a test run leaves the working tree as it was;
     * {@code -Dconsole.screenshots=docs} makes the ones docs/local-stack.md shows ("Local console").
     */
    static final String SCREENSHOTS = System.getProperty("console.screenshots", "tests/target/console-screenshots");
    /**
     * The demo routes and a folder route, whose uploads the page turns into a one-part folder and its marker. The
     * folder route's dataset takes no import in the browser test, so its lane never holds the browser's imports up.
     */
    private static final String ROUTES = """
            [{"name":"interactions","prefix":"interactions/","datasetArn":"%1$s/INTERACTIONS","importMode":"FULL"},
             {"name":"users","prefix":"users/","datasetArn":"%1$s/USERS","importMode":"FULL"},
             {"name":"items","prefix":"items/","datasetArn":"%1$s/ITEMS","importMode":"FULL"},
             {"name":"exports","prefix":"exports/","datasetArn":"%1$s/INTERACTIONS","importMode":"INCREMENTAL",
              "group":"folder","marker":"_DONE"},
             {"name":"hourly","prefix":"hourly/","datasetArn":"%1$s/INTERACTIONS","importMode":"INCREMENTAL"},
             {"name":"forget","prefix":"forget/","datasetGroupArn":"%2$s","action":"delete"}]
            """.formatted(LocalStack.demoDatasetArn("USERS").replace("/USERS", ""),
            LocalStack.datasetGroupArn(LocalStack.DATASET_GROUP));
    /** An emulated job spends 2 s in each status: long enough for a second file to wait in the lane. */
    private static final long STEP_MILLIS = 2_000;
    private static final ObjectMapper MAPPER = new ObjectMapper();
    /** What the issue asks the browser to prove; the script reports each check by name. */
    private static final List<String> REQUIRED_CHECKS = List.of(
            "page loads",
            "the import from the page reaches ACTIVE",
            "the graph shows the visited states",
            "the graph fits one screen",
            "a failed import shows its reason",
            "the datasets view shows a file waiting during its lane's import",
            "the datasets view shows a held file with its count",
            "the files view shows a held file with its count",
            "the files view shows a deleted list of users with its group and count",
            "no console errors");

    private static LocalStack stack;
    private static ConsoleServer console;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void startStack() throws IOException {
        stack = LocalStack.builder()
                .root(SharedStack.repositoryRoot())
                .dataDir(Files.createTempDirectory("personalize-import-console"))
                .timeScale(SharedStack.TIME_SCALE)
                .personalizeStepMillis(STEP_MILLIS)
                .routes(ROUTES)
                .logSink(line -> { })
                .build()
                .start();
        console = ConsoleServer.start(stack, SharedStack.repositoryRoot(), 0, System.err::println);
    }

    @AfterAll
    static void stopStack() {
        console.close();
        stack.close();
    }

    @Test
    @Order(1)
    void pageInChromium_shouldFollowImportsFromUploadToOutcome() throws Exception {
        // GIVEN Debian's chromium: its absence fails the test, since a skipped browser test proves nothing
        assertTrue(Files.isExecutable(CHROMIUM), CHROMIUM + " is missing: install Debian's chromium"
                + " (apt-get install -y --no-install-recommends chromium), as .ci/run does");
        Path root = SharedStack.repositoryRoot();
        assertTrue(Files.isRegularFile(root.resolve("node_modules/playwright-core/package.json")),
                "node_modules has no playwright-core: run 'npm ci' (package.json pins it)");
        Path fixtures = Files.createTempDirectory("console-fixtures");
        Path docs = Files.createDirectories(root.resolve(SCREENSHOTS));
        String brokenItems = Csv.withBadRowPastPreflight(Csv::items, "late-item,books,free," + Csv.T0);
        Map<String, Object> config = Map.of(
                "url", console.endpoint().toString(),
                "chromium", CHROMIUM.toString(),
                "screenshots", docs.toString(),
                "good", fixture(fixtures, "interactions", "clicks-2025-06-01.csv", Csv.interactions(1_200)),
                "failing", fixture(fixtures, "items", "items-price-not-a-number.csv", brokenItems),
                "lane", List.of(fixture(fixtures, "users", "users-monday.csv", Csv.users(200)),
                        fixture(fixtures, "users", "users-tuesday.csv", Csv.users(250))),
                "held", fixture(fixtures, "hourly", "clicks-hour-07.csv", Csv.interactions(100)));
        // A list of one user, deleted once the file that imports that user has: both dropped in the bucket, as S3 tells
        String deletedList = "forget/console-forget-" + ConsoleSession.unique("list") + ".csv";
        // The list is written once the user's file has imported: a list whose notification came first would run
        // first, delete nobody, and leave that user out of the file's later import instead.
        try (S3Client s3 = stack.s3Client()) {
            s3.putObject(request -> request.bucket(LocalStack.BUCKET).key("users/console-seed.csv"),
                    RequestBody.fromString(Csv.users(1)));
            awaitStatus(LocalStack.demoDatasetArn("USERS"), "users/console-seed.csv", "IMPORTED");
            s3.putObject(request -> request.bucket(LocalStack.BUCKET).key(deletedList),
                    RequestBody.fromString("USER_ID\nu0\n"));
        }
        awaitStatus(LocalStack.datasetGroupArn(LocalStack.DATASET_GROUP), deletedList, "DELETED");
        Map<String, Object> withList = new java.util.HashMap<>(config);
        withList.put("deletedList", deletedList);
        config = withList;
        Path configFile = fixtures.resolve("config.json");
        MAPPER.writeValue(configFile.toFile(), config);

        // WHEN the browser script drives the page
        // Its answer goes to a file, so that a script that hangs is stopped after the timeout instead of blocking a read.
        Path answer = fixtures.resolve("answer.txt");
        Process node = new ProcessBuilder("node", "tests/browser/console.test.mjs", configFile.toString())
                .directory(root.toFile())
                .redirectOutput(answer.toFile())
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        if (!node.waitFor(3, TimeUnit.MINUTES)) {
            node.destroyForcibly();
            fail("the browser test did not end within 3 minutes: " + Files.readString(answer));
        }

        // THEN every check passed, with no error in the browser's console
        String output = Files.readString(answer);
        assertEquals(0, node.exitValue(), () -> "the browser test failed: " + output);
        String last = output.strip().lines().reduce((first, second) -> second).orElse("");
        JsonNode report = MAPPER.readTree(last);
        assertTrue(report.path("ok").asBoolean(), output);
        assertEquals(0, report.path("consoleErrors").size(), () -> "console errors: " + report.path("consoleErrors"));
        List<String> passed = new ArrayList<>();
        report.path("checks").forEach(check -> {
            if (check.path("passed").asBoolean()) {
                passed.add(check.path("name").asText());
            }
        });
        System.out.println("ConsoleBrowserTest: passed " + passed);
        assertTrue(passed.containsAll(REQUIRED_CHECKS), () -> "checks not passed: " + REQUIRED_CHECKS.stream()
                .filter(name -> !passed.contains(name)).toList());
        for (String screenshot : List.of("executions", "execution", "datasets", "files")) {
            assertTrue(Files.size(docs.resolve("console-" + screenshot + ".png")) > 10_000, screenshot);
        }
    }

    @Test
    @Order(2)
    void uploadToFileRoute_shouldPutTheFileUnderTheRoutesPrefix() throws Exception {
        HttpResponse<String> response = post("upload?route=users&name=users-api.csv", Csv.users(20));

        assertEquals(200, response.statusCode(), response.body());
        JsonNode upload = MAPPER.readTree(response.body());
        assertEquals("users/users-api.csv", upload.path("key").asText());
        assertEquals(LocalStack.demoDatasetArn("USERS"), upload.path("datasetArn").asText());
        assertTrue(upload.path("markerKey").isMissingNode() || upload.path("markerKey").isNull(), response.body());
        assertEquals(Csv.users(20), stack.s3Client().getObjectAsBytes(get -> get.bucket(LocalStack.BUCKET)
                .key("users/users-api.csv")).asUtf8String());
    }

    @Test
    @Order(3)
    void uploadToFolderRoute_shouldPutAOnePartFolderThenItsMarker() throws Exception {
        HttpResponse<String> response = post("upload?route=exports&name=part-0000.csv", Csv.interactions(30));

        assertEquals(200, response.statusCode(), response.body());
        JsonNode upload = MAPPER.readTree(response.body());
        String key = upload.path("key").asText();
        assertTrue(key.matches("exports/console-\\d{8}-\\d{6}-\\d{3}/part-0000\\.csv"), key);
        assertEquals(key.replace("part-0000.csv", "_DONE"), upload.path("markerKey").asText());
        for (String written : List.of(key, upload.path("markerKey").asText())) {
            assertTrue(stack.s3Client().headObject(head -> head.bucket(LocalStack.BUCKET).key(written))
                    .lastModified() != null, written);
        }
    }

    @Test
    @Order(2)
    void uploadToUnknownRoute_shouldAnswer400NamingTheRoutes() throws Exception {
        HttpResponse<String> response = post("upload?route=nowhere&name=a.csv", "USER_ID\nu1\n");

        assertEquals(400, response.statusCode());
        assertTrue(response.body().contains(
                "Unknown route 'nowhere': expected one of [interactions, users, items, exports, hourly]"), response.body());
    }

    @Test
    void uploadOfNonCsv_shouldAnswer400() throws Exception {
        HttpResponse<String> response = post("upload?route=users&name=users.json", "{}");

        assertEquals(400, response.statusCode());
        assertTrue(response.body().contains("is not a CSV file name"), response.body());
    }

    @Test
    @Order(4)
    void followingAnUpload_shouldAnswerWithoutErrorsUntilItsExecutionRuns() throws Exception {
        // GIVEN a file just uploaded: the ledger has no entry yet, then an entry naming an execution not started yet
        JsonNode upload = MAPPER.readTree(post("upload?route=users&name=users-follow.csv", Csv.users(12)).body());
        String following = "following?key=" + upload.path("key").asText();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        JsonNode answer;
        do {
            // WHEN the page polls what it follows
            HttpResponse<String> response = get(following);
            // THEN every answer is a 200, the entry and execution null until they exist
            assertEquals(200, response.statusCode(), response.body());
            answer = MAPPER.readTree(response.body());
            Thread.sleep(100);
        } while (answer.path("execution").path("status").asText("").isEmpty() && System.nanoTime() < deadline);
        assertEquals("users/users-follow.csv", answer.path("entry").path("key").asText(), answer.toString());
        assertEquals(answer.path("entry").path("jobName").asText(), answer.path("execution").path("name").asText(),
                "the lane's import runs as the execution named like its job: " + answer);
    }

    @Test
    void followingAKeyNoFileHas_shouldAnswerNulls() throws Exception {
        HttpResponse<String> response = get("following?key=users/never-uploaded.csv");

        assertEquals(200, response.statusCode(), response.body());
        assertTrue(MAPPER.readTree(response.body()).path("entry").isNull(), response.body());
    }

    @Test
    void executionThatDoesNotExist_shouldAnswer404() throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(console.endpoint()
                .resolve("/api/executions/no-such-execution")).build(), HttpResponse.BodyHandlers.ofString());

        assertEquals(404, response.statusCode());
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(console.endpoint().resolve("/api/" + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> post(String path, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(console.endpoint().resolve("/api/" + path))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static Map<String, String> fixture(Path dir, String route, String name, String csv) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, csv);
        return Map.of("route", route, "name", name, "csv", file.toString());
    }


    /** Waits for the file to reach the status, so that the browser's imports find the group's lanes free. */
    private static void awaitStatus(String laneArn, String key, String status) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline) {
            boolean reached = LedgerListing.files(stack.dynamoDbClient(), LocalStack.LEDGER_TABLE, laneArn).stream()
                    .anyMatch(file -> file.key().equals(key) && file.status().equals(status));
            if (reached) {
                return;
            }
            Thread.sleep(200);
        }
        fail(key + " did not reach " + status + " within 90 s");
    }
}
