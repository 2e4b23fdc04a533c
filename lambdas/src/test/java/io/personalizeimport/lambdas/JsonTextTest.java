package io.personalizeimport.lambdas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.protocols.jsoncore.JsonNode;

/** The JSON of the describe function and the log, without jackson-databind. */
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
}
