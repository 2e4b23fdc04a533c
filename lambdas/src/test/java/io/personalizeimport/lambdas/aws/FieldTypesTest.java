package io.personalizeimport.lambdas.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** The values of a file's first rows against its dataset's Avro types (no server needed). */
class FieldTypesTest {

    private static final String INTERACTIONS = """
            {"type":"record","name":"Interactions","namespace":"com.amazonaws.personalize.schema","fields":[
              {"name":"USER_ID","type":"string"},
              {"name":"ITEM_ID","type":"string"},
              {"name":"TIMESTAMP","type":"long"},
              {"name":"EVENT_TYPE","type":["null","string"]},
              {"name":"EVENT_VALUE","type":["float","null"]}],"version":"1.0"}""";
    private static final String MIXED = """
            {"type":"record","name":"Users","fields":[
              {"name":"USER_ID","type":"string"},
              {"name":"AGE","type":["null","int"]},
              {"name":"VISITS","type":"long"},
              {"name":"SCORE","type":"double"},
              {"name":"MEMBER","type":"boolean"},
              {"name":"GENRES","type":["null","string"],"categorical":true},
              {"name":"ODD","type":{"type":"map","values":"string"}}],"version":"1.0"}""";
    private static final String LOCATION = "s3://bucket/interactions/day.csv";

    private static Optional<String> reject(String avro, String csv) {
        return FieldTypes.fromAvro(avro).reject(LOCATION, CsvSample.read(csv.getBytes(StandardCharsets.UTF_8), true));
    }

    @Test
    void avroSchema_shouldGiveEachFieldItsPrimitiveAndWhetherItIsNullable() {
        assertEquals(List.of(new FieldTypes.Field("USER_ID", "string", false),
                new FieldTypes.Field("AGE", "int", true), new FieldTypes.Field("VISITS", "long", false),
                new FieldTypes.Field("SCORE", "double", false), new FieldTypes.Field("MEMBER", "boolean", false),
                new FieldTypes.Field("GENRES", "string", true), new FieldTypes.Field("ODD", null, false)),
                FieldTypes.fromAvro(MIXED).fields());
    }

    @Test
    void anIsoTimeWhereEpochSecondsBelong_shouldBeRejectedWithRowColumnValueAndTheNumberMeant() {
        String csv = "USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE,EVENT_VALUE\n"
                + "u1,i1,1748772000,click,\n"
                + "u2,i2,2025-06-01T10:00:00Z,click,\n";

        assertEquals(Optional.of("Row 2 of " + LOCATION + ", column TIMESTAMP: value '2025-06-01T10:00:00Z' is not a"
                + " long (epoch seconds expected; this time is 1748772000)"), reject(INTERACTIONS, csv));
    }

    @Test
    void aWordWhereAFloatBelongs_shouldBeRejected() {
        String csv = "USER_ID,ITEM_ID,TIMESTAMP,EVENT_VALUE\nu1,i1,1748772000,free\n";

        assertEquals(Optional.of("Row 1 of " + LOCATION + ", column EVENT_VALUE: value 'free' is not a float"
                + " (a number such as 9.99 expected)"), reject(INTERACTIONS, csv));
    }

    @Test
    void anEmptyValue_shouldBeRejectedOnlyForAFieldThatIsNotNullable() {
        assertEquals(Optional.empty(), reject(INTERACTIONS, "USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE,EVENT_VALUE\n"
                + "u1,i1,1748772000,,\n"));
        assertEquals(Optional.of("Row 1 of " + LOCATION + ", column ITEM_ID: no value, but the field is not nullable"
                + " (a string expected)"), reject(INTERACTIONS, "USER_ID,ITEM_ID,TIMESTAMP\nu1,\"\",1748772000\n"));
    }

    @Test
    void columnsInAnyCaseAndOrder_shouldBeMatchedToTheirFields() {
        assertEquals(Optional.of("Row 1 of " + LOCATION + ", column TIMESTAMP: value 'soon' is not a long"
                + " (epoch seconds expected)"), reject(INTERACTIONS, "timestamp,user_id,item_id\nsoon,u1,i1\n"));
    }

    @Test
    void aRowWithTooFewValues_shouldBeRejected() {
        assertEquals(Optional.of("Row 2 of " + LOCATION + " has 2 values but the header has 3 columns"),
                reject(INTERACTIONS, "USER_ID,ITEM_ID,TIMESTAMP\nu1,i1,1748772000\nu2,i2\n"));
    }

    @Test
    void aBadValueInARowCutByTheReadLimit_shouldBeLeftToTheJob() {
        byte[] head = "USER_ID,ITEM_ID,TIMESTAMP\nu1,i1,1748772000\nu2,i2,17487".getBytes(StandardCharsets.UTF_8);

        assertEquals(Optional.empty(), FieldTypes.fromAvro(INTERACTIONS).reject(LOCATION, CsvSample.read(head, false)));
    }

    /** The rules of the local Personalize emulator's import job (Java's number parsers), so the two agree. */
    @ParameterizedTest(name = "{0} ''{1}'' -> {2}")
    @CsvSource(delimiter = '|', ignoreLeadingAndTrailingWhitespace = false, value = {
        "AGE|42|true", "AGE|+42|true", "AGE|-7|true", "AGE|4.0|false", "AGE| 42|false", "AGE|2147483648|false",
        "VISITS|9223372036854775807|true", "VISITS|9223372036854775808|false", "VISITS|1e3|false",
        "SCORE|9.99|true", "SCORE|1e3|true", "SCORE|-0.5|true", "SCORE|NaN|false", "SCORE|Infinity|false",
        "SCORE|free|false", "SCORE|9,99|false",
        "MEMBER|true|true", "MEMBER|FALSE|true", "MEMBER|yes|false", "MEMBER|1|false",
        "GENRES|anything at all|true", "ODD|not judged|true"})
    void aValue_shouldBeValidAsTheEmulatorJudgesIt(String column, String value, boolean valid) {
        FieldTypes.Field field = FieldTypes.fromAvro(MIXED).fields().stream()
                .filter(candidate -> candidate.name().equals(column)).findFirst().orElseThrow();

        String problem = FieldTypes.problem(field, value);

        assertEquals(valid, problem == null, () -> "'" + value + "' for " + field + ": " + problem);
    }

    @Test
    void aVeryLongValue_shouldBeShortenedInTheReason() {
        FieldTypes.Field score = new FieldTypes.Field("SCORE", "double", false);

        String problem = FieldTypes.problem(score, "x".repeat(500));

        assertEquals("value '" + "x".repeat(80) + "...' is not a double (a number such as 9.99 expected)", problem);
        assertNull(FieldTypes.problem(score, "1.5"));
    }
}
