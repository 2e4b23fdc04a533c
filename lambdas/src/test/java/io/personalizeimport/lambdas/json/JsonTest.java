package io.personalizeimport.lambdas.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {

    enum Mode { FULL, INCREMENTAL }

    record File(String key, Long size) {
    }

    record Job(String name, Mode mode, long polls, List<File> files, Map<String, String> tags, Instant createdAt) {
    }

    @JsonInclude(JsonInclude.Include.ALWAYS)
    record Verdict(String outcome, String error) {
    }

    record Positive(int value) {
        Positive {
            if (value <= 0) {
                throw new IllegalArgumentException("value must be positive, was " + value);
            }
        }
    }

    record Wrapper(Job job) {
    }

    @Test
    void record_shouldRoundTripWithNullsLeftOutAndInstantsAsIsoText() {
        Job job = new Job("j", Mode.FULL, 3, List.of(new File("a.csv", null)), Map.of("team", "ml"),
                Instant.parse("2026-01-02T03:04:05.678Z"));

        String json = Json.write(job);

        assertEquals("{\"name\":\"j\",\"mode\":\"FULL\",\"polls\":3,\"files\":[{\"key\":\"a.csv\"}],"
                + "\"tags\":{\"team\":\"ml\"},\"createdAt\":\"2026-01-02T03:04:05.678Z\"}", json);
        assertEquals(job, Json.read(json, Job.class));
    }

    @Test
    void typeThatAsksForNulls_shouldWriteThem() {
        assertEquals("{\"outcome\":\"IMPORTED\",\"error\":null}", Json.write(new Verdict("IMPORTED", null)));
    }

    @Test
    void unknownAndAbsentFields_shouldBeIgnoredAndReadAsNullOrZero() {
        Job job = Json.read("{\"name\":\"j\",\"extra\":{\"deep\":[1]}}", Job.class);

        assertEquals(new Job("j", null, 0, null, null, null), job);
    }

    @Test
    void streamAndTree_shouldReadLikeText() {
        String json = "{\"key\":\"k\",\"size\":\"12\"}";

        assertEquals(new File("k", 12L),
                Json.read(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), File.class));
        assertEquals(new File("k", 12L), Json.read(Json.tree(json), File.class));
    }

    @Test
    void wrongKindDeepInside_shouldNameThePathAndTheExpectedType() {
        var error = assertThrows(IllegalArgumentException.class,
                () -> Json.read("{\"job\":{\"files\":[{\"key\":\"a\"},{\"key\":\"b\",\"size\":\"big\"}]}}", Wrapper.class));

        assertEquals("Wrapper field $.job.files[1].size is \"big\": expected a whole number", error.getMessage());
    }

    @Test
    void objectWhereTextIsExpected_shouldSaySo() {
        var error = assertThrows(IllegalArgumentException.class, () -> Json.read("{\"name\":{\"a\":1}}", Job.class));

        assertEquals("Job field $.name is an object: expected a string", error.getMessage());
    }

    @Test
    void fractionForAWholeNumber_shouldBeRefused() {
        var error = assertThrows(IllegalArgumentException.class, () -> Json.read("{\"polls\":1.5}", Job.class));

        assertEquals("Job field $.polls is 1.5: expected a whole number", error.getMessage());
    }

    @Test
    void unknownEnumName_shouldListTheNamesExpected() {
        var error = assertThrows(IllegalArgumentException.class, () -> Json.read("{\"mode\":\"PARTIAL\"}", Job.class));

        assertEquals("Job field $.mode is \"PARTIAL\": expected one of [FULL, INCREMENTAL]", error.getMessage());
    }

    @Test
    void arrayWhereAnObjectIsExpected_shouldSaySo() {
        var error = assertThrows(IllegalArgumentException.class, () -> Json.read("[1]", Job.class));

        assertEquals("Job field $ is an array: expected an object (Job)", error.getMessage());
    }

    @Test
    void valueTheRecordRefuses_shouldCarryTheRecordsReason() {
        var error = assertThrows(IllegalArgumentException.class, () -> Json.read("{\"value\":0}", Positive.class));

        assertEquals("Positive at $ is refused: value must be positive, was 0", error.getMessage());
    }

    @Test
    void textThatIsNotJson_shouldSayWhere() {
        var error = assertThrows(IllegalArgumentException.class, () -> Json.read("{\"a\":1,\n bad}", Job.class));

        assertTrue(error.getMessage().startsWith("Job is not JSON: Unexpected character ('b'"), error.getMessage());
        assertTrue(error.getMessage().endsWith(" at line 2, column 2"), error.getMessage());
    }

    @Test
    void emptyInput_shouldSayItIsMissing() {
        var error = assertThrows(IllegalArgumentException.class, () -> Json.read("", Job.class));

        assertEquals("Job is missing: the JSON is empty, expected an object (Job)", error.getMessage());
    }

    @Test
    void writeToAStream_shouldLeaveItOpen() {
        var closed = new boolean[1];
        var bytes = new ByteArrayOutputStream();
        var output = new FilterOutputStream(bytes) {
            @Override
            public void close() {
                closed[0] = true;
            }
        };

        Json.write(output, new File("k", 1L));

        assertEquals("{\"key\":\"k\",\"size\":1}", bytes.toString(StandardCharsets.UTF_8));
        assertEquals(false, closed[0]);
    }
}
