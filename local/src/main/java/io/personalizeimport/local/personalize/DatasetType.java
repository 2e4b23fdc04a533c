package io.personalizeimport.local.personalize;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The five dataset types, with Personalize's schema rules for each (Developer Guide, "Custom datasets and schemas" and
 * the page of each type; "Endpoints and quotas" for the metadata limits) and the record id field.
 */
enum DatasetType {
    INTERACTIONS(null,
            List.of(field("USER_ID", "string"), field("ITEM_ID", "string"), field("TIMESTAMP", "long")),
            List.of(field("EVENT_TYPE", "string"), field("EVENT_VALUE", "float"), field("IMPRESSION", "string"),
                    field("RECOMMENDATION_ID", "string"), field("EVENT_ATTRIBUTION_SOURCE", "string")),
            new Limits(0, 5, Limits.NONE)),
    ITEMS("ITEM_ID", List.of(field("ITEM_ID", "string")), List.of(), new Limits(1, 100, Limits.NONE)),
    USERS("USER_ID", List.of(field("USER_ID", "string")), List.of(), new Limits(1, 25, Limits.NONE)),
    ACTIONS("ACTION_ID", List.of(field("ACTION_ID", "string")), List.of(), new Limits(1, Limits.NONE, 10)),
    ACTION_INTERACTIONS(null, List.of(field("USER_ID", "string"), field("ACTION_ID", "string"),
            field("TIMESTAMP", "long"), field("EVENT_TYPE", "string")), List.of(), new Limits(0, Limits.NONE, Limits.NONE));

    /** Personalize needs at least this many interactions per import into an interactions dataset. */
    static final int MIN_INTERACTIONS = 1000;

    /**
     * How many metadata fields (those neither required nor reserved) a schema needs and may have, and how many fields
     * in all; {@link #NONE} where the guide sets no bound.
     */
    record Limits(int minMetadata, int maxMetadata, int maxColumns) {
        static final int NONE = Integer.MAX_VALUE;
    }

    private final String idField;
    private final List<AvroSchema.Field> requiredFields;
    private final List<AvroSchema.Field> reservedFields;
    private final Limits limits;

    DatasetType(String idField, List<AvroSchema.Field> requiredFields, List<AvroSchema.Field> reservedFields,
                Limits limits) {
        this.idField = idField;
        this.requiredFields = requiredFields;
        this.reservedFields = reservedFields;
        this.limits = limits;
    }

    /** A required or reserved field: non-null when required, of this type when present. */
    static AvroSchema.Field field(String name, String type) {
        return new AvroSchema.Field(name, type, false, false);
    }

    /** The type named by CreateDataset's {@code datasetType}, which the API takes case-insensitively. */
    static Optional<DatasetType> fromApi(String value) {
        return Arrays.stream(values()).filter(t -> t.name().equals(value.toUpperCase(Locale.ROOT))).findFirst();
    }

    /** The field INCREMENTAL imports upsert by, or null for interaction types, whose records are only appended. */
    String idField() {
        return idField;
    }

    List<AvroSchema.Field> requiredFields() {
        return requiredFields;
    }

    /** Why {@code schema} cannot back a dataset of this type in a dataset group of {@code domain}, or null when it can. */
    String incompatibility(AvroSchema schema, Domain domain) {
        if (!domain.allows(this)) {
            return name() + " datasets cannot be in a domain dataset group (" + domain + "): only "
                    + domain.datasetTypes() + " can";
        }
        String whose = name() + " datasets" + (domain == Domain.CUSTOM ? "" : " of the " + domain + " domain");
        List<AvroSchema.Field> required = new ArrayList<>(requiredFields);
        required.addAll(domain.requiredFields(this));
        for (AvroSchema.Field expected : required) {
            Optional<AvroSchema.Field> field = schema.field(expected.name());
            if (field.isEmpty()) {
                return "the schema has no " + expected.name() + " field, which " + whose + " require";
            }
            if (!field.get().type().equals(expected.type()) || field.get().nullable()) {
                return "field " + expected.name() + " must be a non-null " + expected.type() + " in " + whose;
            }
            if (expected.categorical() && !field.get().categorical()) {
                return "field " + expected.name() + " must be categorical (\"categorical\": true) in " + whose;
            }
        }
        for (AvroSchema.Field reserved : reservedFields) {
            Optional<AvroSchema.Field> field = schema.field(reserved.name());
            if (field.isPresent() && !field.get().type().equals(reserved.type())) {
                return "field " + reserved.name() + " is reserved in " + name() + " datasets and must be a "
                        + reserved.type() + " (or a union of " + reserved.type() + " with null), not "
                        + field.get().type();
            }
        }
        long metadata = schema.fields().stream().filter(f -> !named(requiredFields, f) && !named(reservedFields, f))
                .count();
        if (metadata < limits.minMetadata()) {
            return "the schema has no metadata field besides " + requiredNames() + ": " + name()
                    + " datasets need at least " + limits.minMetadata();
        }
        if (metadata > limits.maxMetadata()) {
            return "the schema has " + metadata + " metadata fields: " + name() + " datasets allow at most "
                    + limits.maxMetadata() + (reservedFields.isEmpty() ? ""
                    : " besides the required and reserved fields " + requiredNames() + " and " + reservedNames());
        }
        if (schema.fields().size() > limits.maxColumns()) {
            return "the schema has " + schema.fields().size() + " fields: " + name() + " datasets allow at most "
                    + limits.maxColumns() + " columns";
        }
        return null;
    }

    private static boolean named(List<AvroSchema.Field> fields, AvroSchema.Field field) {
        return fields.stream().anyMatch(f -> f.name().equalsIgnoreCase(field.name()));
    }

    private List<String> requiredNames() {
        return requiredFields.stream().map(AvroSchema.Field::name).toList();
    }

    private List<String> reservedNames() {
        return reservedFields.stream().map(AvroSchema.Field::name).toList();
    }
}
