package io.personalizeimport.local.personalize;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The five dataset types, with the fields Personalize requires in each one's schema and the record id field. */
enum DatasetType {
    INTERACTIONS(null, List.of(
            new AvroSchema.Field("USER_ID", "string", false),
            new AvroSchema.Field("ITEM_ID", "string", false),
            new AvroSchema.Field("TIMESTAMP", "long", false))),
    ITEMS("ITEM_ID", List.of(new AvroSchema.Field("ITEM_ID", "string", false))),
    USERS("USER_ID", List.of(new AvroSchema.Field("USER_ID", "string", false))),
    ACTIONS("ACTION_ID", List.of(new AvroSchema.Field("ACTION_ID", "string", false))),
    ACTION_INTERACTIONS(null, List.of(
            new AvroSchema.Field("USER_ID", "string", false),
            new AvroSchema.Field("ACTION_ID", "string", false),
            new AvroSchema.Field("TIMESTAMP", "long", false),
            new AvroSchema.Field("EVENT_TYPE", "string", false)));

    /** Personalize needs at least this many interactions per import into an interactions dataset. */
    static final int MIN_INTERACTIONS = 1000;

    private final String idField;
    private final List<AvroSchema.Field> requiredFields;

    DatasetType(String idField, List<AvroSchema.Field> requiredFields) {
        this.idField = idField;
        this.requiredFields = requiredFields;
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

    /** Why {@code schema} cannot back a dataset of this type, or null when it can. */
    String incompatibility(AvroSchema schema) {
        for (AvroSchema.Field required : requiredFields) {
            Optional<AvroSchema.Field> field = schema.field(required.name());
            if (field.isEmpty()) {
                return "the schema has no " + required.name() + " field, which " + name() + " datasets require";
            }
            if (!field.get().type().equals(required.type()) || field.get().nullable()) {
                return "field " + required.name() + " must be a non-null " + required.type() + " in "
                        + name() + " datasets";
            }
        }
        return null;
    }
}
