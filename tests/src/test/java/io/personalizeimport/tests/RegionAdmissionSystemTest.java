package io.personalizeimport.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.personalizeimport.lambdas.lane.FileEntry;
import io.personalizeimport.lambdas.lane.FileStatus;
import io.personalizeimport.lambdas.ledger.Ledger;
import io.personalizeimport.local.personalize.ImportJobStats;
import io.personalizeimport.local.stack.LocalStack;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.personalize.PersonalizeClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Issue 20 on the local stack: a region of four dataset groups and twenty datasets of all five types receives 400 files
 * at once (FULL files, INCREMENTAL files, folders with their marker); every file ends with its outcome, every dataset
 * with its newest data, and the pipeline never asks Personalize for more than the region's five import jobs.
 */
class RegionAdmissionSystemTest {

    private static final List<String> GROUPS = List.of("north", "south", "east", "west");
    private static final int PARTS_PER_FOLDER = 4;
    /** Personalize's quota of import jobs PENDING or IN_PROGRESS per region (limits page; not adjustable). */
    private static final int REGION_JOBS = 5;
    private static final Duration SETTLE_TIMEOUT = Duration.ofMinutes(6);

    /** How a dataset's files come: whole FULL files, INCREMENTAL files, or folders of parts completed by a marker. */
    private enum Feed { FULL_FILES, INCREMENTAL_FILES, FOLDERS }

    /** A dataset of the region, the route that feeds it and, for INCREMENTAL feeds, the route of its first bulk data. */
    private record Dataset(String group, Kind kind, Feed feed) {

        String arn() {
            return LocalStack.datasetArn(group, kind.name());
        }

        String route() {
            return group + "-" + kind.slug;
        }

        String prefix() {
            return group + "/" + kind.slug + "/";
        }

        String basePrefix() {
            return group + "/" + kind.slug + "-base/";
        }

        /**
         * How many objects the burst writes: 20 files; five folders of four parts and a marker; 10 INCREMENTAL files of
         * a keyed dataset, each a job of its own, so that the burst's jobs are mostly lanes that take their newest data.
         */
        int files() {
            return switch (feed) {
                case FULL_FILES -> 20;
                case FOLDERS -> 5 * (PARTS_PER_FOLDER + 1);
                case INCREMENTAL_FILES -> kind.keyed() ? 10 : 20;
            };
        }
    }

    /** One object of the burst: its key, its CSV, and the data lines it adds (none for a marker). */
    private record Upload(Dataset dataset, String key, String csv, List<String> lines) {

        boolean isMarker() {
            return key.endsWith("/_SUCCESS");
        }

        /** The ledger entry's key: a folder is recorded under its folder when its marker comes. */
        String entryKey() {
            return isMarker() ? key.substring(0, key.length() - "_SUCCESS".length()) : key;
        }
    }

    /**
     * The five dataset types in their default schemas (infra/schemas): the columns written, and one data line per row
     * whose id (or, for interactions, item or action) names the file it came from, so every record traces to its file.
     */
    private enum Kind {
        INTERACTIONS("clicks", 1_000, "USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE",
                (tag, i) -> "u" + i % 97 + "," + tag + "-i" + i + "," + (Csv.T0 + i) + ",click"),
        ITEMS("items", 25, "ITEM_ID,CATEGORY,PRICE,CREATION_TIMESTAMP",
                (tag, i) -> tag + "-i" + i + ",books," + (5 + i % 20) + ".5," + (Csv.T0 - i)),
        USERS("users", 30, "USER_ID,MEMBERSHIP,AGE",
                (tag, i) -> tag + "-u" + i + "," + (i % 2 == 0 ? "gold" : "basic") + "," + (20 + i % 50)),
        ACTIONS("offers", 10, "ACTION_ID,VALUE,CREATION_TIMESTAMP,CHANNEL",
                (tag, i) -> tag + "-a" + i + "," + (10 + i % 7) + ".5," + (Csv.T0 - 86_400L * i) + ",email"),
        ACTION_INTERACTIONS("taken", 50, "USER_ID,ACTION_ID,TIMESTAMP,EVENT_TYPE",
                (tag, i) -> "u" + i % 41 + "," + tag + "-a" + i + "," + (Csv.T0 + 60L * i) + ",Taken");

        final String slug;
        /** Rows per file: 1,000 interactions, Personalize's minimum per job, so no coalesced file is held for more. */
        final int rows;
        final String header;
        final Line line;

        Kind(String slug, int rows, String header, Line line) {
            this.slug = slug;
            this.rows = rows;
            this.header = header;
            this.line = line;
        }

        /** Users, items and actions are keyed by their id: one file per INCREMENTAL job, oldest first. */
        boolean keyed() {
            return this == ITEMS || this == USERS || this == ACTIONS;
        }

        /** Personalize exports no data of actions and action interactions datasets (CreateDatasetExportJob). */
        boolean exportable() {
            return this != ACTIONS && this != ACTION_INTERACTIONS;
        }

        List<String> lines(String tag) {
            return IntStream.range(0, rows).mapToObj(i -> line.of(tag, i)).toList();
        }

        String csv(List<String> lines) {
            StringJoiner csv = new StringJoiner("\n", "", "\n");
            csv.add(header);
            lines.forEach(csv::add);
            return csv.toString();
        }
    }

    private interface Line {
        String of(String tag, int row);
    }

    private static final List<Dataset> DATASETS = new ArrayList<>();
    private static LocalStack stack;
    private static S3Client s3;
    private static Ledger ledger;

    static {
        for (int g = 0; g < GROUPS.size(); g++) {
            String group = GROUPS.get(g);
            // Interactions and action interactions alternate FULL and coalesced INCREMENTAL; users and actions come in
            // INCREMENTAL files in one group each, FULL files elsewhere; items come as folders everywhere.
            DATASETS.add(new Dataset(group, Kind.INTERACTIONS, g % 2 == 0 ? Feed.FULL_FILES : Feed.INCREMENTAL_FILES));
            DATASETS.add(new Dataset(group, Kind.ITEMS, Feed.FOLDERS));
            DATASETS.add(new Dataset(group, Kind.USERS, g == 0 ? Feed.INCREMENTAL_FILES : Feed.FULL_FILES));
            DATASETS.add(new Dataset(group, Kind.ACTIONS, g == 3 ? Feed.INCREMENTAL_FILES : Feed.FULL_FILES));
            DATASETS.add(new Dataset(group, Kind.ACTION_INTERACTIONS,
                    g % 2 == 0 ? Feed.INCREMENTAL_FILES : Feed.FULL_FILES));
        }
    }

    @BeforeAll
    static void startStack() {
        StringJoiner routes = new StringJoiner(",\n", "[", "]");
        for (Dataset dataset : DATASETS) {
            String common = "\"datasetArn\":\"" + dataset.arn() + "\"";
            switch (dataset.feed()) {
                case FULL_FILES -> routes.add("{\"name\":\"" + dataset.route() + "\",\"prefix\":\"" + dataset.prefix()
                        + "\"," + common + ",\"importMode\":\"FULL\"}");
                // A marker timeout of a day is 864 s at the tests' time scale: no watch ends while the burst runs.
                case FOLDERS -> routes.add("{\"name\":\"" + dataset.route() + "\",\"prefix\":\"" + dataset.prefix()
                        + "\"," + common + ",\"group\":\"folder\",\"markerTimeout\":\"P1D\"}");
                case INCREMENTAL_FILES -> {
                    routes.add("{\"name\":\"" + dataset.route() + "\",\"prefix\":\"" + dataset.prefix() + "\","
                            + common + ",\"importMode\":\"INCREMENTAL\"}");
                    routes.add("{\"name\":\"" + dataset.route() + "-base\",\"prefix\":\"" + dataset.basePrefix()
                            + "\"," + common + ",\"importMode\":\"FULL\"}");
                }
            }
        }
        // Emulated jobs spend a second in each status: the burst's first file of each of the twenty free lanes comes
        // within about a second, so without an admission more than five jobs would be asked for at once.
        stack = SharedStack.start(LocalStack.builder().personalizeStepMillis(1_000).monitorDeadline(Duration.ofHours(1))
                .routes(routes.toString()));
        s3 = stack.s3Client();
        ledger = new Ledger(stack.dynamoDbClient(), LocalStack.LEDGER_TABLE, Clock.systemUTC());
    }

    @AfterAll
    static void stopStack() {
        s3.close();
        stack.close();
    }

    @Test
    void fourHundredFilesIntoTwentyDatasetsAtOnce_shouldEachEndWithItsOutcomeAndNeverExceedTheRegionsFiveJobs()
            throws Exception {
        Instant started = Instant.now();
        // GIVEN every dataset fed INCREMENTAL files holds a bulk import first, as Personalize requires; at most five at
        // once, so these imports alone never meet the region's quota
        List<Dataset> incremental = DATASETS.stream().filter(d -> d.feed() == Feed.INCREMENTAL_FILES).toList();
        Map<Dataset, List<String>> expected = new HashMap<>();
        for (int first = 0; first < incremental.size(); first += REGION_JOBS) {
            List<Dataset> batch = incremental.subList(first, Math.min(first + REGION_JOBS, incremental.size()));
            for (Dataset dataset : batch) {
                List<String> lines = dataset.kind().lines("base");
                String key = upload(dataset.basePrefix() + "base.csv", dataset.kind().csv(lines));
                Lanes.trigger(stack, S3Events.put(s3, LocalStack.BUCKET, key));
                expected.put(dataset, new ArrayList<>(lines));
            }
            awaitIdle(batch, Instant.now().plus(Duration.ofMinutes(2)));
        }
        ImportJobStats beforeBurst = stack.personalize().importJobStats();
        assertEquals(0, beforeBurst.limitExceededAnswers(), beforeBurst::toString);

        // AND the burst's 400 objects in S3
        Map<Dataset, List<Upload>> uploads = new HashMap<>();
        DATASETS.forEach(dataset -> uploads.put(dataset, uploadsOf(dataset)));
        assertEquals(400, uploads.values().stream().mapToInt(List::size).sum());
        inParallel(uploads.values().stream().flatMap(List::stream)
                .<Callable<String>>map(upload -> () -> upload(upload.key(), upload.csv())).toList());

        // WHEN S3 notifies them all at once: a thread per group, each taking its datasets' files in turn, so each dataset's
        // files come in the order of their events (what the lanes order by) and every lane has work from the start
        Instant burst = Instant.now();
        inParallel(GROUPS.stream().<Callable<Void>>map(group -> () -> {
            List<List<Upload>> lanes = DATASETS.stream().filter(d -> d.group().equals(group)).map(uploads::get).toList();
            int longest = lanes.stream().mapToInt(List::size).max().orElseThrow();
            for (int i = 0; i < longest; i++) {
                for (List<Upload> lane : lanes) {
                    if (i < lane.size()) {
                        Lanes.trigger(stack, S3Events.put(s3, LocalStack.BUCKET, lane.get(i).key()));
                    }
                }
            }
            return null;
        }).toList());
        Instant notified = Instant.now();
        awaitIdle(DATASETS, notified.plus(SETTLE_TIMEOUT));
        Instant settled = Instant.now();

        // THEN every file ended with its outcome, and every dataset holds its newest data, each record once
        for (Dataset dataset : DATASETS) {
            List<Upload> files = uploads.get(dataset);
            assertOutcomes(dataset, files);
            expected.computeIfAbsent(dataset, d -> new ArrayList<>()).addAll(newestData(dataset, files));
        }
        // Personalize exports no actions or action interactions: of those the emulator tells the count and the last job
        List<Dataset> exported = DATASETS.stream().filter(d -> d.kind().exportable()).toList();
        Map<Dataset, List<String>> held = records(exported);
        for (Dataset dataset : exported) {
            List<String> want = expected.get(dataset).stream().sorted().toList();
            List<String> have = held.get(dataset);
            assertEquals(want.size(), have.size(), () -> dataset + " holds " + have.size() + " records, expected "
                    + want.size());
            assertEquals(want, have, () -> dataset + " holds other records than its data");
        }
        Map<String, JsonNode> counted = emulatorDatasets();
        for (Dataset dataset : DATASETS.stream().filter(d -> !d.kind().exportable()).toList()) {
            JsonNode counts = counted.get(dataset.arn());
            assertEquals(expected.get(dataset).size(), counts.path("recordCount").asLong(), () -> dataset + ": " + counts);
            String newest = uploads.get(dataset).getLast().key();
            String job = ledger.files(dataset.arn()).stream().filter(entry -> entry.file().key().equals(newest))
                    .findFirst().orElseThrow().standing().jobName();
            assertTrue(counts.path("lastImportJobArn").asText().endsWith("/" + job), () -> dataset
                    + ": the last import is not the job of its newest file " + newest + " (" + job + "): " + counts);
        }

        // AND the region never had more than five of the pipeline's jobs unfinished, and none was refused for the quota
        ImportJobStats stats = stack.personalize().importJobStats();
        System.out.printf("RegionAdmissionSystemTest: 400 files notified in %d ms, settled %d ms later, %d s in all;"
                        + " %s%n", Duration.between(burst, notified).toMillis(),
                Duration.between(notified, settled).toMillis(), Duration.between(started, Instant.now()).toSeconds(),
                stats);
        assertEquals(0, stats.limitExceededAnswers(), () -> "creations refused with LimitExceededException: " + stats);
        assertTrue(stats.maxUnfinishedImportJobs() <= REGION_JOBS, () -> "more than " + REGION_JOBS
                + " import jobs unfinished at once: " + stats);
    }

    /** A dataset's objects of the burst, in the order they are notified; a folder's parts come before its marker. */
    private static List<Upload> uploadsOf(Dataset dataset) {
        List<Upload> files = new ArrayList<>();
        if (dataset.feed() == Feed.FOLDERS) {
            int folders = dataset.files() / (PARTS_PER_FOLDER + 1);
            for (int f = 0; f < folders; f++) {
                String folder = dataset.prefix() + "export-" + f + "/";
                for (int p = 0; p < PARTS_PER_FOLDER; p++) {
                    List<String> lines = dataset.kind().lines("d" + f + "p" + p);
                    files.add(new Upload(dataset, folder + "part-000" + p + ".csv", dataset.kind().csv(lines), lines));
                }
                files.add(new Upload(dataset, folder + "_SUCCESS", "", List.of()));
            }
        } else {
            for (int i = 0; i < dataset.files(); i++) {
                String tag = "f%02d".formatted(i);
                List<String> lines = dataset.kind().lines(tag);
                files.add(new Upload(dataset, dataset.prefix() + tag + ".csv", dataset.kind().csv(lines), lines));
            }
        }
        return files;
    }

    /**
     * What the dataset must hold of the burst: every INCREMENTAL file's lines; of FULL files the newest's; of folders
     * the newest folder's parts.
     */
    private static List<String> newestData(Dataset dataset, List<Upload> files) {
        return switch (dataset.feed()) {
            case INCREMENTAL_FILES -> files.stream().flatMap(file -> file.lines().stream()).toList();
            case FULL_FILES -> files.getLast().lines();
            case FOLDERS -> files.subList(files.size() - 1 - PARTS_PER_FOLDER, files.size()).stream()
                    .flatMap(file -> file.lines().stream()).toList();
        };
    }

    /**
     * Each file has one entry. INCREMENTAL files are all IMPORTED. The newest FULL file (or folder) is IMPORTED; an
     * older one was IMPORTED before it came or is SUPERSEDED by a newer one of its dataset; a part shares its folder's
     * outcome.
     */
    private static void assertOutcomes(Dataset dataset, List<Upload> files) {
        Map<String, FileEntry> entries = ledger.files(dataset.arn()).stream()
                .filter(entry -> entry.file().key().startsWith(dataset.prefix()))
                .collect(Collectors.toMap(entry -> entry.file().key(), Function.identity(), (a, b) -> {
                    throw new AssertionError("two entries for " + a.file().key() + ": " + a + ", " + b);
                }));
        List<String> order = files.stream().map(Upload::entryKey).toList();
        assertEquals(order.stream().sorted().toList(), entries.keySet().stream().sorted().toList(),
                () -> dataset.route() + ": the ledger's entries are not one per file");
        for (int i = 0; i < files.size(); i++) {
            Upload file = files.get(i);
            FileEntry entry = entries.get(file.entryKey());
            FileEntry.Standing standing = entry.standing();
            boolean newest = switch (dataset.feed()) {
                case INCREMENTAL_FILES -> true;
                case FULL_FILES -> i == files.size() - 1;
                case FOLDERS -> i >= files.size() - 1 - PARTS_PER_FOLDER;
            };
            if (newest) {
                assertEquals(FileStatus.IMPORTED, standing.status(), () -> dataset.route() + ": " + entry);
            } else if (standing.status() == FileStatus.SUPERSEDED) {
                int by = order.indexOf(standing.supersededBy());
                int at = i;
                assertTrue(by > at, () -> dataset.route() + ": superseded by no newer file of its dataset: " + entry);
            } else {
                assertEquals(FileStatus.IMPORTED, standing.status(), () -> dataset.route() + ": " + entry);
            }
            if (dataset.feed() == Feed.FOLDERS && !file.isMarker()) {
                String folder = file.key().substring(0, file.key().lastIndexOf('/') + 1);
                assertEquals(entries.get(folder).standing().status(), standing.status(),
                        () -> dataset.route() + ": a part's outcome differs from its folder's: " + entry);
            }
        }
    }

    /** Each dataset's records, read back through Personalize's dataset export, as data lines in the written columns. */
    private static Map<Dataset, List<String>> records(List<Dataset> datasets) throws Exception {
        try (PersonalizeClient personalize = stack.personalizeClient()) {
            List<List<String>> lines = inParallel(datasets.stream().<Callable<List<String>>>map(dataset -> () -> {
                List<String> columns = List.of(dataset.kind().header.split(","));
                return DatasetExport.read(personalize, s3, dataset.arn()).stream()
                        .map(row -> columns.stream().map(row::get).collect(Collectors.joining(",")))
                        .sorted().toList();
            }).toList());
            Map<Dataset, List<String>> records = new HashMap<>();
            for (int i = 0; i < datasets.size(); i++) {
                records.put(datasets.get(i), lines.get(i));
            }
            return records;
        }
    }

    /** Each dataset of the emulator by its ARN, as {@code GET /_emulator/datasets} gives it: record count, last job. */
    private static Map<String, JsonNode> emulatorDatasets() throws Exception {
        try (HttpClient http = HttpClient.newHttpClient()) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(stack.personalize().endpoint()
                    .resolve("/_emulator/datasets")).GET().build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, response.statusCode(), response::body);
            Map<String, JsonNode> datasets = new HashMap<>();
            new ObjectMapper().readTree(response.body()).path("datasets")
                    .forEach(dataset -> datasets.put(dataset.path("datasetArn").asText(), dataset));
            return datasets;
        }
    }

    /** Waits, up to {@code until}, for the lanes of all {@code datasets} to be at rest. */
    private static void awaitIdle(List<Dataset> datasets, Instant until) throws InterruptedException {
        for (Dataset dataset : datasets) {
            // A lane past the deadline is still looked at once, so only a lane really at work fails the wait.
            Duration left = Duration.between(Instant.now(), until);
            Lanes.awaitIdle(ledger, dataset.arn(), left.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : left);
        }
    }

    private static String upload(String key, String content) {
        s3.putObject(request -> request.bucket(LocalStack.BUCKET).key(key), RequestBody.fromString(content));
        return key;
    }

    /** Runs the calls on four threads and returns their results in order; the first failure fails the test. */
    private static <T> List<T> inParallel(List<Callable<T>> calls) throws Exception {
        try (ExecutorService threads = Executors.newFixedThreadPool(4)) {
            List<T> results = new ArrayList<>();
            for (Future<T> call : threads.invokeAll(calls)) {
                results.add(call.get());
            }
            return results;
        }
    }
}
