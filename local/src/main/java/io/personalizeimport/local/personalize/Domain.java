package io.personalizeimport.local.personalize;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The domain of a dataset group, and the fields its schemas require beyond a custom group's. CUSTOM is a group created
 * without one. The rules are Personalize's (Developer Guide, "ECOMMERCE datasets and schemas",
 * https://docs.aws.amazon.com/personalize/latest/dg/ECOMMERCE-datasets-and-schemas.html, and "VIDEO_ON_DEMAND datasets
 * and schemas", https://docs.aws.amazon.com/personalize/latest/dg/VIDEO-ON-DEMAND-datasets-and-schemas.html): required
 * fields per type; Actions and Action interactions datasets exist only in custom groups.
 */
public enum Domain {
    CUSTOM(Map.of()),
    ECOMMERCE(Map.of(
            DatasetType.INTERACTIONS, List.of(DatasetType.field("EVENT_TYPE", "string")),
            DatasetType.ITEMS, List.of(DatasetType.field("PRICE", "float"), categorical("CATEGORY_L1")),
            DatasetType.USERS, List.of())),
    VIDEO_ON_DEMAND(Map.of(
            DatasetType.INTERACTIONS, List.of(DatasetType.field("EVENT_TYPE", "string")),
            DatasetType.ITEMS, List.of(categorical("GENRES"), DatasetType.field("CREATION_TIMESTAMP", "long")),
            DatasetType.USERS, List.of()));

    private final Map<DatasetType, List<AvroSchema.Field>> required;

    Domain(Map<DatasetType, List<AvroSchema.Field>> required) {
        this.required = required;
    }

    private static AvroSchema.Field categorical(String name) {
        return new AvroSchema.Field(name, "string", false, true);
    }

    /** The domain of CreateDatasetGroup's {@code domain}; absent is CUSTOM. */
    static Domain fromApi(String value) {
        return value == null ? CUSTOM : valueOf(value);
    }

    /** The domain named {@code value} (CUSTOM, ECOMMERCE or VIDEO_ON_DEMAND, as written), if there is one. */
    public static Optional<Domain> named(String value) {
        return Arrays.stream(values()).filter(domain -> domain.name().equals(value)).findFirst();
    }

    /** CreateDatasetGroup's {@code domain} for this domain, or empty for CUSTOM, which the API does not name. */
    public Optional<String> apiValue() {
        return this == CUSTOM ? Optional.empty() : Optional.of(name());
    }

    boolean allows(DatasetType type) {
        return this == CUSTOM || required.containsKey(type);
    }

    List<String> datasetTypes() {
        return Arrays.stream(DatasetType.values()).filter(this::allows).map(Enum::name).toList();
    }

    List<AvroSchema.Field> requiredFields(DatasetType type) {
        return required.getOrDefault(type, List.of());
    }
}
