package io.personalizeimport.lambdas.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.personalizeimport.lambdas.config.ImportMode;
import io.personalizeimport.lambdas.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The execution's input in each of its forms, as executions already running and lane items already stored hold it: the
 * fixtures are what the single MonitorInput record of seven components wrote.
 */
class MonitorInputJsonTest {

    private static final String USERS = "arn:aws:personalize:us-east-1:123456789012:dataset/shop/USERS";
    private static final ImportRequest REQUEST = new ImportRequest("users-a-0123abcd", USERS, "s3://data/users/a.csv",
            "arn:aws:iam::123456789012:role/import", ImportMode.FULL, Map.of("team", "growth"), null);
    private static final ImportSource SOURCE = new ImportSource("data", "users/a.csv", "v1", "\"0123\"", 42L, "users");

    private static String fixture(String name) {
        try (InputStream json = MonitorInputJsonTest.class.getResourceAsStream("/monitor-inputs/" + name)) {
            if (json == null) {
                throw new IllegalStateException("no fixture monitor-inputs/" + name + " on the test class path");
            }
            return new String(json.readAllBytes(), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read fixture " + name, e);
        }
    }

    @ParameterizedTest
    @CsvSource({
        "lane-import.json, LaneImport",
        "lane-import-batch.json, LaneImport",
        "rejected-file.json, RejectedFile",
        "queued-import.json, QueuedImport",
        "queued-import-lane-free.json, QueuedImport",
        "folder-watch.json, WatchedFolder"})
    void anInputWrittenBefore_shouldReadAsItsFormAndBeWrittenTheSame(String name, String form) {
        String json = fixture(name);

        MonitorInput input = Json.read(json, MonitorInput.class);

        assertEquals(form, input.getClass().getSimpleName(), json);
        assertEquals(json, Json.write(input));
    }

    @Test
    void aLaneImport_shouldBeReadAsTheLaneItemReadsItWithEveryField() {
        MonitorInput.LaneImport expected = new MonitorInput.LaneImport(REQUEST.jobArn(), REQUEST, SOURCE,
                new MonitorInput.LaneTicket(USERS, List.of("file#2026-11-24T10:00:00.000Z"
                        + "#0055AB00000000000000000000000000#data/users/a.csv"), List.of("users/a.csv"), null));

        assertEquals(expected, Json.read(fixture("lane-import.json"), MonitorInput.LaneImport.class));
        assertEquals(fixture("lane-import.json"), Json.write(expected));
    }

    @Test
    void aCoalescedBatch_shouldHaveNoSource() {
        MonitorInput.LaneImport batch = Json.read(fixture("lane-import-batch.json"), MonitorInput.LaneImport.class);

        assertNull(batch.source());
        assertEquals(List.of("events/a.csv", "events/b.csv"), batch.lane().files());
        assertEquals(Boolean.TRUE, batch.createRequest().publishAttributionMetricsToS3());
    }

    @Test
    void aRejectedFile_shouldBeWrittenWithTheRejectionAfterItsSource() {
        MonitorInput rejected = new MonitorInput.RejectedFile(REQUEST.jobArn(), REQUEST, SOURCE,
                new MonitorInput.Rejection("Input CSV s3://data/users/a.csv is missing the following columns: "
                        + "[USER_ID]"));

        assertEquals(fixture("rejected-file.json"), Json.write(rejected));
        assertEquals(rejected, Json.read(fixture("rejected-file.json"), MonitorInput.class));
    }

    @Test
    void aQueuedImport_shouldBeWrittenWithoutAJob() {
        MonitorInput queued = new MonitorInput.QueuedImport(REQUEST, SOURCE, new MonitorInput.Queued(
                "s3://data/users/a.csv", USERS, "users-z-89abcdef", "users-a-0123abcd",
                "the import users-z-89abcdef that holds the lane"));

        assertEquals(fixture("queued-import.json"), Json.write(queued));
        assertEquals(queued, Json.read(fixture("queued-import.json"), MonitorInput.class));
    }

    @Test
    void aFolderWatch_shouldBeWrittenAsItsWatchAlone() {
        MonitorInput watch = new MonitorInput.WatchedFolder(new MonitorInput.FolderWatch(
                "arn:aws:personalize:us-east-1:123456789012:dataset/shop/ITEMS", "data", "items/day1/", "items",
                "_SUCCESS", 3600));

        assertEquals(fixture("folder-watch.json"), Json.write(watch));
        assertEquals(watch, Json.read(fixture("folder-watch.json"), MonitorInput.class));
    }

    @Test
    void anInputOfNoForm_shouldBeRefused() {
        String json = "{\"datasetImportJobArn\":\"" + REQUEST.jobArn() + "\"}";

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Json.read(json, MonitorInput.class));

        assertTrue(e.getMessage().startsWith("MonitorInput"), e.getMessage());
    }
}
