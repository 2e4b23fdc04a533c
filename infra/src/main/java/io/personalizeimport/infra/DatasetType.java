package io.personalizeimport.infra;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The five Personalize dataset types, as the {@code datasets} context names them, with the fields each type's schema
 * requires (Personalize Developer Guide, "Custom datasets and schemas" and "Domain dataset groups").
 */
enum DatasetType {
    INTERACTIONS("Interactions", List.of(field("USER_ID", "string"), field("ITEM_ID", "string"),
            field("TIMESTAMP", "long"))),
    ITEMS("Items", List.of(field("ITEM_ID", "string"))),
    USERS("Users", List.of(field("USER_ID", "string"))),
    ACTIONS("Actions", List.of(field("ACTION_ID", "string"))),
    ACTION_INTERACTIONS("Action_Interactions", List.of(field("USER_ID", "string"), field("ACTION_ID", "string"),
            field("TIMESTAMP", "long"), field("EVENT_TYPE", "string")));

    /** The domains a dataset group may have, and what each requires beyond a custom group's fields. */
    static final Map<String, Map<DatasetType, List<Field>>> DOMAINS = Map.of(
            "ECOMMERCE", Map.of(
                    INTERACTIONS, List.of(field("EVENT_TYPE", "string")),
                    ITEMS, List.of(field("PRICE", "float"), field("CATEGORY_L1", "string")),
                    USERS, List.of()),
            "VIDEO_ON_DEMAND", Map.of(
                    INTERACTIONS, List.of(field("EVENT_TYPE", "string")),
                    ITEMS, List.of(field("GENRES", "string"), field("CREATION_TIMESTAMP", "long")),
                    USERS, List.of()));

    /** A field a schema must have, non-null, of this Avro type. */
    record Field(String name, String type) {
    }

    private final String cfnType;
    private final List<Field> required;

    DatasetType(String cfnType, List<Field> required) {
        this.cfnType = cfnType;
        this.required = required;
    }

    private static Field field(String name, String type) {
        return new Field(name, type);
    }

    static Optional<DatasetType> named(String name) {
        return Arrays.stream(values()).filter(type -> type.name().equals(name)).findFirst();
    }

    /** AWS::Personalize::Dataset's DatasetType value. */
    String cfnType() {
        return cfnType;
    }

    /** The part of construct IDs that names the type: Interactions, ActionInteractions. */
    String constructId() {
        return cfnType.replace("_", "");
    }

    /** The suffix of the schema and dataset names, and of the demo's route names: interactions, action-interactions. */
    String nameSuffix() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The fields a schema of this type needs in a group of {@code domain} (empty for a custom group). */
    List<Field> requiredFields(Optional<String> domain) {
        List<Field> fields = new ArrayList<>(required);
        domain.ifPresent(name -> fields.addAll(DOMAINS.get(name).getOrDefault(this, List.of())));
        return fields;
    }

    /** Whether a group of {@code domain} may hold a dataset of this type: a domain group holds no actions. */
    boolean allowedIn(Optional<String> domain) {
        return domain.map(name -> DOMAINS.get(name).containsKey(this)).orElse(true);
    }
}
