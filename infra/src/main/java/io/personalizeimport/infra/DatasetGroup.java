package io.personalizeimport.infra;

import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.personalize.CfnDataset;
import software.amazon.awscdk.services.personalize.CfnDatasetGroup;
import software.amazon.awscdk.services.personalize.CfnSchema;
import software.constructs.Construct;

/** A dataset group the stack creates, with a schema and a dataset for each of its dataset types. */
final class DatasetGroup extends Construct {

    /** A created dataset's ARN and its schema's, each one token however often it is read. */
    record Dataset(String datasetArn, String schemaArn) {
    }

    /**
     * @param domain ECOMMERCE or VIDEO_ON_DEMAND, or empty for a custom group
     * @param schemas each dataset type's Avro schema JSON, in the order the datasets are created
     */
    record Props(String name, Optional<String> domain, Map<DatasetType, String> schemas,
                 RemovalPolicy removalPolicy) {

        Props {
            PropsCheck.present(name, "DatasetGroup.Props.name", "the dataset group's name");
            PropsCheck.present(domain, "DatasetGroup.Props.domain", "the group's domain, or Optional.empty()");
            PropsCheck.present(schemas, "DatasetGroup.Props.schemas", "the schema of each dataset type");
            PropsCheck.require(!schemas.isEmpty(), "DatasetGroup.Props.schemas", "empty", "at least one dataset");
            PropsCheck.present(removalPolicy, "DatasetGroup.Props.removalPolicy", "RETAIN or DESTROY");
            schemas = new LinkedHashMap<>(schemas);
        }
    }

    private final CfnDatasetGroup group;
    private final Map<DatasetType, Dataset> datasets = new EnumMap<>(DatasetType.class);

    DatasetGroup(Construct scope, String id, Props props) {
        super(scope, id);
        CfnDatasetGroup.Builder builder = CfnDatasetGroup.Builder.create(this, "Group").name(props.name());
        props.domain().ifPresent(builder::domain);
        group = builder.build();
        group.applyRemovalPolicy(props.removalPolicy());
        props.schemas().forEach((type, schema) -> add(type, schema, props));
    }

    private void add(DatasetType type, String schemaJson, Props props) {
        String name = DatasetsContext.resourceName(props.name(), type);
        CfnSchema.Builder builder = CfnSchema.Builder.create(this, type.constructId() + "Schema")
                .name(name)
                .schema(schemaJson);
        // A domain group's datasets take schemas made for its domain (CreateSchema's domain).
        props.domain().ifPresent(builder::domain);
        CfnSchema schema = builder.build();
        schema.applyRemovalPolicy(props.removalPolicy());
        CfnDataset dataset = CfnDataset.Builder.create(this, type.constructId() + "Dataset")
                .name(name)
                .datasetGroupArn(group.getAttrDatasetGroupArn())
                .datasetType(type.cfnType())
                .schemaArn(schema.getAttrSchemaArn())
                .build();
        dataset.applyRemovalPolicy(props.removalPolicy());
        datasets.put(type, new Dataset(dataset.getAttrDatasetArn(), schema.getAttrSchemaArn()));
    }

    Dataset dataset(DatasetType type) {
        return datasets.get(type);
    }

    String datasetGroupArn() {
        return group.getAttrDatasetGroupArn();
    }
}
