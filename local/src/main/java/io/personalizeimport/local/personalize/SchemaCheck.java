package io.personalizeimport.local.personalize;

import io.personalizeimport.local.personalize.errors.InvalidInputException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** Whether an Avro schema can back a dataset of a given type, judged as the emulator's CreateSchema and CreateDataset do. */
public final class SchemaCheck {

    /** The dataset types, as CreateDataset's {@code datasetType} and dataset ARNs name them. */
    public static final List<String> DATASET_TYPES = Arrays.stream(DatasetType.values()).map(Enum::name).toList();

    private SchemaCheck() {
    }

    /** What is wrong with {@code schema} for a dataset of {@code datasetType} in a custom dataset group. */
    public static Optional<String> problem(String datasetType, String schema) {
        return problem(datasetType, Domain.CUSTOM, schema);
    }

    /**
     * What is wrong with {@code schema} for a dataset of {@code datasetType} (one of {@link #DATASET_TYPES}) in a
     * dataset group of {@code domain}, or empty when the emulator would accept it.
     */
    public static Optional<String> problem(String datasetType, Domain domain, String schema) {
        DatasetType type = DatasetType.fromApi(datasetType)
                .orElseThrow(() -> new IllegalArgumentException("No dataset type " + datasetType));
        try {
            return Optional.ofNullable(type.incompatibility(AvroSchema.parse(schema), domain));
        } catch (InvalidInputException e) {
            return Optional.of(e.getMessage());
        }
    }
}
