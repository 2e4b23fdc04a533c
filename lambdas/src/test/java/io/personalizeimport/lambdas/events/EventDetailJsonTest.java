package io.personalizeimport.lambdas.events;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.personalizeimport.lambdas.json.Json;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The event details as subscribers read them (docs/operating.md, "Events you can subscribe to"). */
class EventDetailJsonTest {

    private static final String DATASET = "arn:aws:personalize:us-east-1:123456789012:dataset/shop/INTERACTIONS";
    private static final FileRef FILE = new FileRef("shop-data", "clicks/a.csv", null, "\"e\"", 52811L,
            "2025-06-01T02:00:04.120Z");

    @Test
    void importThatSucceeded_shouldBeWrittenInFieldOrderWithoutTheFieldsItLacks() {
        ImportEnded ended = new ImportEnded("1", "id", DATASET, "clicks", "job", "arn:job", "INCREMENTAL",
                "s3://shop-data/clicks/a.csv", "ACTIVE", List.of(FILE), 1, "arn:execution", "2025-06-01T02:01:00Z",
                "2025-06-01T02:15:35Z", 875L, 56L, 23L, null, null, null);

        String json = Json.write(ended);

        assertEquals("{\"schemaVersion\":\"1\",\"eventId\":\"id\",\"datasetArn\":\"" + DATASET + "\",\"route\":\"clicks\","
                + "\"jobName\":\"job\",\"jobArn\":\"arn:job\",\"importMode\":\"INCREMENTAL\","
                + "\"dataLocation\":\"s3://shop-data/clicks/a.csv\",\"jobStatus\":\"ACTIVE\",\"files\":[{\"bucket\":"
                + "\"shop-data\",\"key\":\"clicks/a.csv\",\"eTag\":\"\\\"e\\\"\",\"size\":52811,\"eventTime\":"
                + "\"2025-06-01T02:00:04.120Z\"}],\"fileCount\":1,\"executionArn\":\"arn:execution\","
                + "\"createdAt\":\"2025-06-01T02:01:00Z\",\"endedAt\":\"2025-06-01T02:15:35Z\",\"durationSeconds\":875,"
                + "\"waitSeconds\":56,\"polls\":23}", json);
        assertEquals(ended, Json.read(json, ImportEnded.class));
    }

    @Test
    void fileOutcomes_shouldRoundTrip() {
        FileRejected rejected = new FileRejected("1", "r", DATASET, "clicks", FILE, "too few rows", "arn:execution");
        FileSuperseded superseded = new FileSuperseded("1", "s", DATASET, "clicks", FILE, "clicks/b.csv", "newer");

        assertEquals(rejected, Json.read(Json.write(rejected), FileRejected.class));
        assertEquals(superseded, Json.read(Json.write(superseded), FileSuperseded.class));
        assertEquals("{\"schemaVersion\":\"1\",\"eventId\":\"s\",\"datasetArn\":\"" + DATASET + "\",\"route\":\"clicks\","
                + "\"file\":{\"bucket\":\"shop-data\",\"key\":\"clicks/a.csv\",\"eTag\":\"\\\"e\\\"\",\"size\":52811,"
                + "\"eventTime\":\"2025-06-01T02:00:04.120Z\"},\"supersededBy\":\"clicks/b.csv\",\"reason\":\"newer\"}",
                Json.write(superseded));
    }
}
