package io.personalizeimport.local.personalize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Personalize's schema rules for each dataset type and domain, as the emulator and the local stack judge schemas. */
class SchemaCheckTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "INTERACTIONS        | CUSTOM          | USER_ID:string ITEM_ID:string TIMESTAMP:long",
        "INTERACTIONS        | CUSTOM          | USER_ID:string ITEM_ID:string TIMESTAMP:long EVENT_TYPE:string"
                + " EVENT_VALUE:float? IMPRESSION:string? A:int B:int C:int D:int E:string",
        "ITEMS               | CUSTOM          | ITEM_ID:string GENRE:string#",
        "USERS               | CUSTOM          | USER_ID:string AGE:int?",
        "ACTIONS             | CUSTOM          | ACTION_ID:string A1:int A2:int A3:int A4:int A5:int A6:int A7:int"
                + " A8:int A9:int",
        "ACTION_INTERACTIONS | CUSTOM          | USER_ID:string ACTION_ID:string TIMESTAMP:long EVENT_TYPE:string",
        "INTERACTIONS        | ECOMMERCE       | USER_ID:string ITEM_ID:string TIMESTAMP:long EVENT_TYPE:string",
        "ITEMS               | ECOMMERCE       | ITEM_ID:string PRICE:float CATEGORY_L1:string#",
        "USERS               | ECOMMERCE       | USER_ID:string MEMBERSHIP:string#",
        "INTERACTIONS        | VIDEO_ON_DEMAND | USER_ID:string ITEM_ID:string TIMESTAMP:long EVENT_TYPE:string",
        "ITEMS               | VIDEO_ON_DEMAND | ITEM_ID:string GENRES:string# CREATION_TIMESTAMP:long",
        "USERS               | VIDEO_ON_DEMAND | USER_ID:string SUBSCRIPTION_MODEL:string#?"})
    void schemaFollowingItsTypesAndDomainsRules_shouldBeAccepted(String type, Domain domain, String fields) {
        assertEquals(Optional.empty(), SchemaCheck.problem(type, domain, schema(fields)));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        // Each type's required fields, their types, and that they are not nullable.
        "INTERACTIONS        | CUSTOM          | USER_ID:string ITEM_ID:string                         | the schema has"
                + " no TIMESTAMP field, which INTERACTIONS datasets require",
        "INTERACTIONS        | CUSTOM          | USER_ID:string ITEM_ID:string TIMESTAMP:string        | field"
                + " TIMESTAMP must be a non-null long in INTERACTIONS datasets",
        "ITEMS               | CUSTOM          | ITEM_ID:string? PRICE:float                           | field ITEM_ID"
                + " must be a non-null string in ITEMS datasets",
        "USERS               | CUSTOM          | AGE:int                                               | the schema has"
                + " no USER_ID field, which USERS datasets require",
        "ACTIONS             | CUSTOM          | VALUE:float                                           | the schema has"
                + " no ACTION_ID field, which ACTIONS datasets require",
        "ACTION_INTERACTIONS | CUSTOM          | USER_ID:string ACTION_ID:string TIMESTAMP:long        | the schema has"
                + " no EVENT_TYPE field, which ACTION_INTERACTIONS datasets require",
        // Reserved fields keep their type; metadata fields have their bounds.
        "INTERACTIONS        | CUSTOM          | USER_ID:string ITEM_ID:string TIMESTAMP:long EVENT_VALUE:string | field"
                + " EVENT_VALUE is reserved in INTERACTIONS datasets and must be a float (or a union of float with"
                + " null), not string",
        "INTERACTIONS        | CUSTOM          | USER_ID:string ITEM_ID:string TIMESTAMP:long EVENT_TYPE:string A:int"
                + " B:int C:int D:int E:int F:int | the schema has 6 metadata fields: INTERACTIONS datasets allow at"
                + " most 5 besides the required and reserved fields [USER_ID, ITEM_ID, TIMESTAMP] and [EVENT_TYPE,"
                + " EVENT_VALUE, IMPRESSION, RECOMMENDATION_ID, EVENT_ATTRIBUTION_SOURCE]",
        "ITEMS               | CUSTOM          | ITEM_ID:string                                        | the schema has"
                + " no metadata field besides [ITEM_ID]: ITEMS datasets need at least 1",
        "USERS               | CUSTOM          | USER_ID:string                                        | the schema has"
                + " no metadata field besides [USER_ID]: USERS datasets need at least 1",
        "ACTIONS             | CUSTOM          | ACTION_ID:string                                      | the schema has"
                + " no metadata field besides [ACTION_ID]: ACTIONS datasets need at least 1",
        "ACTIONS             | CUSTOM          | ACTION_ID:string A1:int A2:int A3:int A4:int A5:int A6:int A7:int"
                + " A8:int A9:int A10:int | the schema has 11 fields: ACTIONS datasets allow at most 10 columns",
        // Each domain's required fields, and the types a domain group cannot have.
        "INTERACTIONS        | ECOMMERCE       | USER_ID:string ITEM_ID:string TIMESTAMP:long          | the schema has"
                + " no EVENT_TYPE field, which INTERACTIONS datasets of the ECOMMERCE domain require",
        "ITEMS               | ECOMMERCE       | ITEM_ID:string PRICE:float CATEGORY_L1:string         | field"
                + " CATEGORY_L1 must be categorical (\"categorical\": true) in ITEMS datasets of the ECOMMERCE domain",
        "ITEMS               | ECOMMERCE       | ITEM_ID:string PRICE:int CATEGORY_L1:string#          | field PRICE"
                + " must be a non-null float in ITEMS datasets of the ECOMMERCE domain",
        "INTERACTIONS        | VIDEO_ON_DEMAND | USER_ID:string ITEM_ID:string TIMESTAMP:long          | the schema has"
                + " no EVENT_TYPE field, which INTERACTIONS datasets of the VIDEO_ON_DEMAND domain require",
        "ITEMS               | VIDEO_ON_DEMAND | ITEM_ID:string GENRES:string#                         | the schema has"
                + " no CREATION_TIMESTAMP field, which ITEMS datasets of the VIDEO_ON_DEMAND domain require",
        "ACTIONS             | ECOMMERCE       | ACTION_ID:string VALUE:float                          | ACTIONS"
                + " datasets cannot be in a domain dataset group (ECOMMERCE): only [INTERACTIONS, ITEMS, USERS] can",
        "ACTION_INTERACTIONS | VIDEO_ON_DEMAND | USER_ID:string ACTION_ID:string TIMESTAMP:long EVENT_TYPE:string"
                + " | ACTION_INTERACTIONS datasets cannot be in a domain dataset group (VIDEO_ON_DEMAND): only"
                + " [INTERACTIONS, ITEMS, USERS] can"})
    void schemaBreakingARule_shouldBeRefusedNamingTheRule(String type, Domain domain, String fields, String problem) {
        assertEquals(Optional.of(problem), SchemaCheck.problem(type, domain, schema(fields)));
    }

    @ParameterizedTest
    @CsvSource({"USERS, 25, ", "USERS, 26, the schema has 26 metadata fields: USERS datasets allow at most 25",
        "ITEMS, 100, ", "ITEMS, 101, the schema has 101 metadata fields: ITEMS datasets allow at most 100"})
    void metadataFields_shouldBeBoundedPerType(String type, int metadata, String problem) {
        String id = type.equals("USERS") ? "USER_ID:string " : "ITEM_ID:string ";
        String fields = id + IntStream.range(0, metadata).mapToObj(i -> "M" + i + ":int").collect(Collectors.joining(" "));

        assertEquals(Optional.ofNullable(problem), SchemaCheck.problem(type, Domain.CUSTOM, schema(fields)));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{\"type\": \"record\", \"name\": \"U\", \"fields\": []}                | Invalid Avro schema: \"fields\" must"
                + " be a non-empty array",
        "not json                                                               | Invalid Avro schema: it is not valid"
                + " JSON"})
    void schemaThatIsNoPersonalizeSchema_shouldBeRefusedSayingWhy(String text, String problem) {
        String refused = SchemaCheck.problem("USERS", text).orElseThrow();
        assertTrue(refused.startsWith(problem), refused);
    }

    /** An Avro record of {@code NAME:type} fields; {@code ?} makes one nullable, {@code #} categorical. */
    private static String schema(String fields) {
        List<String> json = new ArrayList<>();
        for (String field : fields.trim().split(" +")) {
            String name = field.substring(0, field.indexOf(':'));
            String type = field.substring(field.indexOf(':') + 1).replace("?", "").replace("#", "");
            json.add("{\"name\": \"" + name + "\", \"type\": " + (field.endsWith("?") ? "[\"null\", \"" + type + "\"]"
                    : "\"" + type + "\"") + (field.contains("#") ? ", \"categorical\": true" : "") + "}");
        }
        return "{\"type\": \"record\", \"name\": \"R\", \"fields\": [" + String.join(", ", json) + "]}";
    }
}
