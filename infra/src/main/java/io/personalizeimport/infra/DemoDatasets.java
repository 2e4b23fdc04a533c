package io.personalizeimport.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.personalize.CfnDataset;
import software.amazon.awscdk.services.personalize.CfnDatasetGroup;
import software.amazon.awscdk.services.personalize.CfnSchema;
import software.constructs.Construct;

/**
 * A dataset group with interactions, users and items datasets from the Avro schemas in {@code infra/schemas/},
 * for a first deploy without Personalize resources of one's own.
 */
public final class DemoDatasets extends Construct {

    /** One demo dataset and the prefix routed to it. */
    public record Dataset(String routeName, String prefix, String datasetArn, String schemaArn) {
    }

    private final CfnDatasetGroup group;
    private final List<Dataset> datasets = new ArrayList<>();

    public DemoDatasets(Construct scope, String id, String namePrefix, RepositoryPaths paths,
            RemovalPolicy removalPolicy) {
        super(scope, id);
        group = CfnDatasetGroup.Builder.create(this, "Group").name(namePrefix + "-demo").build();
        group.applyRemovalPolicy(removalPolicy);
        add("interactions", "Interactions", "Interactions", namePrefix, paths, removalPolicy);
        add("users", "Users", "Users", namePrefix, paths, removalPolicy);
        add("items", "Items", "Items", namePrefix, paths, removalPolicy);
    }

    private void add(String route, String id, String datasetType, String namePrefix, RepositoryPaths paths,
            RemovalPolicy removalPolicy) {
        CfnSchema schema = CfnSchema.Builder.create(this, id + "Schema")
                .name(namePrefix + "-demo-" + route)
                .schema(read(paths.schema(route + ".avsc")))
                .build();
        schema.applyRemovalPolicy(removalPolicy);
        CfnDataset dataset = CfnDataset.Builder.create(this, id + "Dataset")
                .name(namePrefix + "-demo-" + route)
                .datasetGroupArn(group.getAttrDatasetGroupArn())
                .datasetType(datasetType)
                .schemaArn(schema.getAttrSchemaArn())
                .build();
        dataset.applyRemovalPolicy(removalPolicy);
        datasets.add(new Dataset(route, route + "/", dataset.getAttrDatasetArn(), schema.getAttrSchemaArn()));
    }

    private static String read(Path schema) {
        try {
            return Files.readString(schema).strip();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the demo schema " + schema, e);
        }
    }

    public List<Dataset> datasets() {
        return List.copyOf(datasets);
    }

    public String datasetGroupArn() {
        return group.getAttrDatasetGroupArn();
    }
}
