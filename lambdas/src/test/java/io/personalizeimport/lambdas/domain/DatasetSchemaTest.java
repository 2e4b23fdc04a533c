package io.personalizeimport.lambdas.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DatasetSchemaTest {

    private static final String INTERACTIONS = """
            {"type":"record","name":"Interactions","namespace":"com.amazonaws.personalize.schema","fields":[
              {"name":"USER_ID","type":"string"},
              {"name":"ITEM_ID","type":"string"},
              {"name":"TIMESTAMP","type":"long"},
              {"name":"EVENT_TYPE","type":["null","string"]}],"version":"1.0"}""";

    private final DatasetSchema schema = DatasetSchema.fromAvro(INTERACTIONS);

    @Test
    void avroSchema_shouldKnowRequiredAndOptionalFields() {
        assertEquals(List.of("USER_ID", "ITEM_ID", "TIMESTAMP", "EVENT_TYPE"), schema.fields());
        assertEquals(Set.of("USER_ID", "ITEM_ID", "TIMESTAMP"), schema.required());
    }

    @Test
    void headerWithRequiredFieldsInAnyCase_shouldPass() {
        assertTrue(schema.rejectHeader("s3://b/k.csv", List.of("user_id", "ITEM_ID", "Timestamp")).isEmpty());
    }

    @Test
    void missingColumn_shouldBeNamed() {
        String reason = schema.rejectHeader("s3://b/k.csv", List.of("USER_ID", "ITEM_ID")).orElseThrow();

        assertTrue(reason.contains("missing the following columns: [TIMESTAMP]"), reason);
        assertTrue(reason.contains("s3://b/k.csv"), reason);
    }

    @Test
    void unknownAndRepeatedColumns_shouldBeNamed() {
        String reason = schema.rejectHeader("s3://b/k.csv",
                List.of("USER_ID", "ITEM_ID", "TIMESTAMP", "RATING", "USER_ID")).orElseThrow();

        assertTrue(reason.contains("not in the dataset's schema: [RATING]"), reason);
        assertTrue(reason.contains("repeats the columns: [USER_ID]"), reason);
    }
}
