package io.personalizeimport.lambdas.domain;

import io.personalizeimport.lambdas.JsonText;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import software.amazon.awssdk.protocols.jsoncore.JsonNode;

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

    public static DatasetSchema fromAvro(String avroJson) {
        JsonNode root;
        try {
            root = JsonText.parse(avroJson);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("schema is not valid JSON: " + e.getMessage(), e);
        }
        JsonNode fieldNodes = JsonText.node(root, "fields");
        if (!fieldNodes.isArray()) {
            throw new IllegalArgumentException("schema is not an Avro record with fields");
        }
        List<String> fields = new ArrayList<>();
        Set<String> required = new LinkedHashSet<>();
        for (JsonNode field : fieldNodes.asArray()) {
            String name = JsonText.text(field, "name");
            fields.add(name == null ? "" : name);
            if (!nullable(JsonText.node(field, "type"))) {
                required.add(name == null ? "" : name);
            }
        }
        return new DatasetSchema(fields, required);
    }

    /** Whether an Avro type admits null: "null" itself, or a union with it. */
    private static boolean nullable(JsonNode type) {
        if (type.isArray()) {
            return type.asArray().stream().anyMatch(member -> member.isString() && "null".equals(member.asString()));
        }
        return type.isString() && "null".equals(type.asString());
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
