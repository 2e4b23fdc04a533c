package io.personalizeimport.local.personalize;

import io.personalizeimport.local.personalize.errors.InvalidInputException;
import java.util.Optional;

/** Whether an Avro schema can back a dataset of a given type, judged as the emulator's CreateSchema and CreateDataset do. */
public final class SchemaCheck {

    private SchemaCheck() {
    }

    /**
     * What is wrong with {@code schema} for a dataset of {@code datasetType} (INTERACTIONS, USERS, ITEMS, ...), or
     * empty when the emulator would accept it.
     */
    public static Optional<String> problem(String datasetType, String schema) {
        DatasetType type = DatasetType.fromApi(datasetType)
                .orElseThrow(() -> new IllegalArgumentException("No dataset type " + datasetType));
        try {
            return Optional.ofNullable(type.incompatibility(AvroSchema.parse(schema)));
        } catch (InvalidInputException e) {
            return Optional.of(e.getMessage());
        }
    }
}
