package io.personalizeimport.local.personalize;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.personalizeimport.local.personalize.errors.InvalidInputException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/** The fields of a Personalize schema: an Avro record whose fields are primitives, optionally unioned with null. */
record AvroSchema(List<Field> fields) {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> TYPES = Set.of("string", "int", "long", "float", "double", "boolean");

    /**
     * One field: its name, Avro primitive type, whether it is nullable (a union with "null"), and whether it is marked
     * {@code "categorical": true}.
     */
    record Field(String name, String type, boolean nullable, boolean categorical) {
    }

    /** Parses the schema text; throws {@link InvalidInputException} saying what is wrong. */
    static AvroSchema parse(String text) {
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw invalid("it is not valid JSON (" + e.getOriginalMessage() + ")");
        }
        if (root == null || !root.isObject() || !"record".equals(root.path("type").asText())) {
            throw invalid("the top level must be an Avro record: {\"type\": \"record\", \"name\": ..., \"fields\": [...]}");
        }
        if (!root.path("name").isTextual()) {
            throw invalid("the record has no \"name\"");
        }
        JsonNode fieldsNode = root.path("fields");
        if (!fieldsNode.isArray() || fieldsNode.isEmpty()) {
            throw invalid("\"fields\" must be a non-empty array");
        }
        List<Field> fields = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (JsonNode node : fieldsNode) {
            String name = node.path("name").asText("");
            if (name.isEmpty()) {
                throw invalid("every field needs a \"name\"");
            }
            if (!seen.add(name.toUpperCase(Locale.ROOT))) {
                throw invalid("field " + name + " appears more than once");
            }
            fields.add(field(name, node.path("type"), node.path("categorical").asBoolean(false)));
        }
        return new AvroSchema(List.copyOf(fields));
    }

    private static Field field(String name, JsonNode type, boolean categorical) {
        if (type.isTextual() && TYPES.contains(type.textValue())) {
            return new Field(name, type.textValue(), false, categorical);
        }
        if (type.isArray() && type.size() == 2) {
            String first = type.get(0).asText("");
            String second = type.get(1).asText("");
            if ("null".equals(first) && TYPES.contains(second)) {
                return new Field(name, second, true, categorical);
            }
            if ("null".equals(second) && TYPES.contains(first)) {
                return new Field(name, first, true, categorical);
            }
        }
        throw invalid("field " + name + " has type " + type + "; expected one of " + TYPES.stream().sorted().toList()
                + " or a union of one of them with \"null\"");
    }

    /** The field named {@code name}, ignoring case (CSV headers are matched that way). */
    Optional<Field> field(String name) {
        return fields.stream().filter(f -> f.name().equalsIgnoreCase(name)).findFirst();
    }

    private static InvalidInputException invalid(String why) {
        return new InvalidInputException("Invalid Avro schema: " + why);
    }
}
