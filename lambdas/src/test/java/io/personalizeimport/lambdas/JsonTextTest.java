package io.personalizeimport.lambdas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.personalizeimport.lambdas.config.ImportMode;
import io.personalizeimport.lambdas.domain.ImportRequest;
import io.personalizeimport.lambdas.domain.ImportSource;
import io.personalizeimport.lambdas.domain.MonitorInput;
import io.personalizeimport.lambdas.ledger.FileStatus;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.protocols.jsoncore.JsonNode;

/** The functions' JSON, on the SDK's parser and writer. */
class JsonTextTest {

    private static JsonNode parse(String json) {
        return JsonText.parse(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
    }

    private static String write(Object value) {
        return new String(JsonText.write(value), StandardCharsets.UTF_8);
    }

    @Test
    void observation_shouldBeWrittenAsJacksonWroteItWithoutItsNullComponents() {
        var job = new DescribeHandler.JobDescription("job", "arn:job", "arn:dataset", "s3://b/k.csv", "FULL",
                DescribeHandler.ACTIVE, null, "2026-01-01T00:00:00Z", null, 60, 90, 3);

        assertEquals("{\"datasetImportJob\":{\"jobName\":\"job\",\"datasetImportJobArn\":\"arn:job\","
                + "\"datasetArn\":\"arn:dataset\",\"dataLocation\":\"s3://b/k.csv\",\"importMode\":\"FULL\","
                + "\"status\":\"ACTIVE\",\"creationDateTime\":\"2026-01-01T00:00:00Z\",\"jobAgeSeconds\":60,"
                + "\"monitorElapsedSeconds\":90,\"polls\":3},\"nextWaitSeconds\":15}",
                write(new DescribeHandler.Observation(job, 15, null)));
    }

    @Test
    void logValues_shouldBeWrittenAsStringsNumbersListsAndEnumNames() {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("message", "quote \" and line\nbreak");
        line.put("polls", 3L);
        line.put("files", List.of("a.csv", "b.csv"));
        line.put("outcome", Thread.State.NEW);
        line.put("preflight", true);

        assertEquals("{\"message\":\"quote \\\" and line\\nbreak\",\"polls\":3,\"files\":[\"a.csv\",\"b.csv\"],"
                + "\"outcome\":\"NEW\",\"preflight\":true}", write(line));
    }

    @Test
    void fields_shouldBeReadAlongTheirPath() {
        JsonNode event = parse("{\"input\":{\"monitor\":{\"datasetImportJob\":{\"polls\":4}},"
                + "\"source\":{\"key\":\"k\"}},"
                + "\"executionStartTime\":\"2026-01-01T00:00:00Z\",\"list\":[1]}");

        assertEquals("k", JsonText.text(event, "input", "source", "key"));
        assertEquals(4, JsonText.number(event, 0, "input", "monitor", "datasetImportJob", "polls"));
        assertEquals("2026-01-01T00:00:00Z", JsonText.text(event, "executionStartTime"));
    }

    @Test
    void absentNullOrOtherKinds_shouldReadAsMissing() {
        JsonNode event = parse("{\"input\":{\"source\":null,\"key\":{\"a\":1},\"polls\":\"many\"},\"list\":[1]}");

        assertNull(JsonText.text(event, "input", "source", "key"));
        assertNull(JsonText.text(event, "input", "key"));
        assertNull(JsonText.text(event, "list", "0"));
        assertNull(JsonText.text(parse("null"), "input"));
        assertEquals(7, JsonText.number(event, 7, "input", "polls"));
        assertEquals(7, JsonText.number(event, 7, "input", "absent"));
    }

    @Test
    void executionInput_shouldReadBackAsTheRecordItWasWrittenFrom() {
        ImportRequest request = new ImportRequest("users-1", "arn:aws:personalize:us-east-1:123456789012:dataset/g/USERS",
                "s3://data/users/u.csv", "arn:aws:iam::123456789012:role/Import", ImportMode.FULL,
                Map.of("team", "ml"), true);
        MonitorInput input = new MonitorInput(request.jobArn(), request,
                new ImportSource("data", "users/u.csv", null, "e1", 12L, "users"), null,
                new MonitorInput.LaneTicket(request.datasetArn(), List.of("file#1"), List.of("users/u.csv")), null);

        assertEquals(input, JsonText.read(parse(write(input)), MonitorInput.class));
    }

    @Test
    void recordsByTheirInclusion_shouldLeaveOutNullsEmptiesOrNothing() {
        var request = new ImportRequest("j", "arn:d", "s3://b/k.csv", "arn:r", ImportMode.INCREMENTAL, Map.of(), null);
        var released = new LaneHandler.Released(null, FileStatus.IMPORTED, List.of("k.csv"), null);

        assertEquals("{\"jobName\":\"j\",\"datasetArn\":\"arn:d\",\"dataLocation\":\"s3://b/k.csv\","
                + "\"roleArn\":\"arn:r\",\"importMode\":\"INCREMENTAL\"}", write(request));
        assertEquals("{\"datasetArn\":null,\"outcome\":\"IMPORTED\",\"files\":[\"k.csv\"],\"next\":null}",
                write(released));
    }

    @Test
    void recordRead_shouldIgnoreUnknownFieldsAndTakeAbsentOnesAsNullOrZero() {
        var watch = JsonText.read(parse("{\"folder\":\"f/\",\"extra\":[1],\"waitSeconds\":\"30\"}"),
                MonitorInput.FolderWatch.class);

        assertEquals(new MonitorInput.FolderWatch(null, null, "f/", null, null, 30), watch);
        assertEquals(0, JsonText.read(parse("{}"), MonitorInput.FolderWatch.class).waitSeconds());
    }

    @Test
    void recordRead_shouldNameTheFieldOfTheWrongKindAndWhatWasExpected() {
        var mode = assertThrows(IllegalArgumentException.class, () -> JsonText.read(
                parse("{\"createRequest\":{\"importMode\":\"PARTIAL\"}}"), MonitorInput.class));
        var files = assertThrows(IllegalArgumentException.class, () -> JsonText.read(
                parse("{\"lane\":{\"entries\":[],\"files\":\"k.csv\"}}"), MonitorInput.class));
        var refused = assertThrows(IllegalArgumentException.class, () -> JsonText.read(
                parse("{\"datasetArn\":\"arn:d\"}"), MonitorInput.LaneTicket.class));

        assertEquals("MonitorInput.createRequest.importMode is \"PARTIAL\": expected one of [FULL, INCREMENTAL]",
                mode.getMessage());
        assertEquals("MonitorInput.lane.files is \"k.csv\": expected a JSON array", files.getMessage());
        assertTrue(refused.getMessage().startsWith("LaneTicket {\"datasetArn\": \"arn:d\"} is refused: "),
                refused.getMessage());
    }

    @Test
    void invalidJson_shouldSayWhatAndWhereWithoutTheParsersClassName() {
        var error = assertThrows(IllegalArgumentException.class, () -> JsonText.parse("{\"a\":1,\n bad}"));

        assertEquals("Unexpected character ('b' (code 98)): was expecting double-quote to start field name"
                + " at line 2, column 2", error.getMessage());
    }
}
