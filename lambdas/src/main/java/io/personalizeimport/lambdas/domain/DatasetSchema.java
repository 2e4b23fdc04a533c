package io.personalizeimport.lambdas.domain;

import com.fasterxml.jackson.databind.JsonNode;
import io.personalizeimport.lambdas.json.Json;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The fields of a dataset's Avro schema, and whether a CSV header can satisfy them.
 *
 * <p>A field is required unless its type is a union with "null". Column names are compared without regard to
 * case; a header must hold every required field and nothing the schema lacks.
 */
public record DatasetSchema(List<String> fields, Set<String> required) {

    public DatasetSchema {
        fields = List.copyOf(fields);
        required = Set.copyOf(required);
    }

    /** The part of an Avro schema that names the fields; a field's type is a name, a union (array) or a schema. */
    record Avro(List<Field> fields) {

        record Field(String name, JsonNode type) {
        }
    }

    public static DatasetSchema fromAvro(String avroJson) {
        Avro avro;
        try {
            avro = Json.read(avroJson, Avro.class);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("schema is not an Avro record with fields: " + e.getMessage(), e);
        }
        if (avro == null || avro.fields() == null) {
            throw new IllegalArgumentException("schema is not an Avro record with fields");
        }
        List<String> fields = new ArrayList<>();
        Set<String> required = new LinkedHashSet<>();
        for (Avro.Field field : avro.fields()) {
            String name = field == null || field.name() == null ? "" : field.name();
            fields.add(name);
            if (field == null || !nullable(field.type())) {
                required.add(name);
            }
        }
        return new DatasetSchema(fields, required);
    }

    /** Whether an Avro type admits null: "null" itself, or a union with it. */
    private static boolean nullable(JsonNode type) {
        if (type == null) {
            return false;
        }
        if (type.isArray()) {
            for (JsonNode member : type) {
                if (member.isTextual() && "null".equals(member.asText())) {
                    return true;
                }
            }
            return false;
        }
        return type.isTextual() && "null".equals(type.asText());
    }

    /** Why a file with this header cannot be imported, or empty when it can. */
    public Optional<String> rejectHeader(String location, List<String> header) {
        Set<String> present = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        Set<String> duplicates = new TreeSet<>();
        for (String column : header) {
            if (!present.add(column)) {
                duplicates.add(column);
            }
        }
        Set<String> known = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        known.addAll(fields);
        List<String> missing = required.stream().filter(field -> !present.contains(field)).sorted().toList();
        List<String> unknown = header.stream().filter(column -> !known.contains(column)).distinct().toList();
        List<String> problems = new ArrayList<>();
        if (!missing.isEmpty()) {
            problems.add("is missing the following columns: " + missing);
        }
        if (!unknown.isEmpty()) {
            problems.add("has columns that are not in the dataset's schema: " + unknown);
        }
        if (!duplicates.isEmpty()) {
            problems.add("repeats the columns: " + duplicates);
        }
        if (problems.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of("Input CSV " + location + " " + String.join("; ", problems)
                + " (expected a header with the schema's fields " + fields + ", required: "
                + required.stream().sorted().toList() + ")");
    }
}
