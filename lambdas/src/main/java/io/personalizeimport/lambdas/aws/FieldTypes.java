package io.personalizeimport.lambdas.aws;

import com.fasterxml.jackson.databind.JsonNode;
import io.personalizeimport.lambdas.json.Json;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The Avro types of a dataset's fields, and whether the rows of a CSV file's first bytes fit them: a value a field's
 * type cannot take, or no value for a field that is not nullable, would fail the whole import job.
 */
final class FieldTypes {

    private static final Set<String> CHECKED = Set.of("int", "long", "float", "double", "boolean", "string");
    /** Personalize reads these in epoch seconds ("Formatting your input data"). */
    private static final Set<String> EPOCH_SECONDS = Set.of("TIMESTAMP", "CREATION_TIMESTAMP");
    /** A value longer than this is cut in a reason: enough to recognise it. */
    private static final int SHOWN_CHARACTERS = 80;

    /**
     * One field.
     *
     * @param type an Avro primitive type, or null when the schema gives one this check does not judge
     */
    record Field(String name, String type, boolean nullable) {
    }

    private final List<Field> fields;

    private FieldTypes(List<Field> fields) {
        this.fields = List.copyOf(fields);
    }

    /** The fields of an Avro record schema; a type that is not a primitive, nor a union of one with "null", is not judged. */
    static FieldTypes fromAvro(String avroJson) {
        JsonNode root = Json.tree(avroJson);
        List<Field> fields = new ArrayList<>();
        for (JsonNode field : root.path("fields")) {
            JsonNode type = field.path("type");
            boolean nullable = false;
            String primitive = null;
            if (type.isArray()) {
                List<String> others = new ArrayList<>();
                for (JsonNode member : type) {
                    if ("null".equals(member.asText())) {
                        nullable = true;
                    } else {
                        others.add(member.isObject() ? member.path("type").asText() : member.asText());
                    }
                }
                primitive = others.size() == 1 ? others.getFirst() : null;
            } else {
                primitive = type.isObject() ? type.path("type").asText() : type.asText();
                nullable = "null".equals(primitive);
            }
            fields.add(new Field(field.path("name").asText(), CHECKED.contains(primitive) ? primitive : null, nullable));
        }
        return new FieldTypes(fields);
    }

    List<Field> fields() {
        return fields;
    }

    /** Why the sample's rows cannot be imported, naming the first row, column and value at fault; empty when they can. */
    Optional<String> reject(String location, CsvSample sample) {
        List<Field> columns = sample.header().stream().map(name -> field(name.strip())).toList();
        for (CsvSample.Row row : sample.rows()) {
            String where = "Row " + row.number() + " of " + location;
            if (row.values().size() != columns.size()) {
                return Optional.of(where + " has " + row.values().size() + " values but the header has "
                        + columns.size() + " columns");
            }
            for (int i = 0; i < columns.size(); i++) {
                Field field = columns.get(i);
                String problem = field == null ? null : problem(field, row.values().get(i));
                if (problem != null) {
                    return Optional.of(where + ", column " + field.name() + ": " + problem);
                }
            }
        }
        return Optional.empty();
    }

    /** The field a header column names, ignoring case as Personalize does; null for a column the schema lacks. */
    private Field field(String column) {
        return fields.stream().filter(field -> field.name().equalsIgnoreCase(column)).findFirst().orElse(null);
    }

    /**
     * What is wrong with a value of the field, or null when nothing is. The number rules are the Java parsers' rules, as
     * the local Personalize emulator's import job applies them: a whole number for int and long, any finite decimal
     * for float and double, true or false in any case for boolean.
     */
    static String problem(Field field, String value) {
        if (value.isEmpty()) {
            return field.nullable() ? null
                    : "no value, but the field is not nullable (" + expected(field) + " expected)";
        }
        if (field.type() == null) {
            return null;
        }
        boolean valid = switch (field.type()) {
            case "int" -> parses(() -> Integer.parseInt(value));
            case "long" -> parses(() -> Long.parseLong(value));
            case "float", "double" -> isFiniteNumber(value);
            case "boolean" -> value.equalsIgnoreCase("true") || value.equalsIgnoreCase("false");
            default -> true;
        };
        if (valid) {
            return null;
        }
        String article = field.type().startsWith("i") ? "an " : "a ";
        return "value '" + shown(value) + "' is not " + article + field.type() + " (" + expected(field) + " expected"
                + epochHint(field, value) + ")";
    }

    private static String expected(Field field) {
        if (field.type() == null) {
            return "a value";
        }
        return switch (field.type()) {
            case "int" -> "a whole number from " + Integer.MIN_VALUE + " to " + Integer.MAX_VALUE;
            case "long" -> EPOCH_SECONDS.contains(field.name().toUpperCase(Locale.ROOT)) ? "epoch seconds"
                    : "a whole number";
            case "float", "double" -> "a number such as 9.99";
            case "boolean" -> "true or false";
            default -> "a " + field.type();
        };
    }

    /** For a time written as ISO-8601 where epoch seconds belong, the number that was meant. */
    private static String epochHint(Field field, String value) {
        if (!"long".equals(field.type()) || !EPOCH_SECONDS.contains(field.name().toUpperCase(Locale.ROOT))) {
            return "";
        }
        try {
            return "; this time is " + Instant.parse(value).getEpochSecond();
        } catch (DateTimeParseException e) {
            return "";
        }
    }

    private static String shown(String value) {
        return value.length() <= SHOWN_CHARACTERS ? value : value.substring(0, SHOWN_CHARACTERS) + "...";
    }

    private static boolean parses(Runnable parse) {
        try {
            parse.run();
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static boolean isFiniteNumber(String value) {
        try {
            return Double.isFinite(Double.parseDouble(value));
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
