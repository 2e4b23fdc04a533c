package io.personalizeimport.lambdas.domain;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.personalizeimport.lambdas.config.ImportMode;
import io.personalizeimport.lambdas.config.Route;
import java.util.Map;

/** Everything CreateDatasetImportJob needs; carried in the execution's input so a queued import can be created. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record ImportRequest(
        String jobName,
        String datasetArn,
        String dataLocation,
        String roleArn,
        ImportMode importMode,
        Map<String, String> tags,
        Boolean publishAttributionMetricsToS3) {

    public ImportRequest {
        tags = tags == null ? Map.of() : Map.copyOf(tags);
    }

    public static ImportRequest forObject(Route route, S3Object object) {
        return new ImportRequest(JobNames.forObject(route.name(), object), route.datasetArn(), object.location(),
                route.roleArn(), route.importMode(), route.tags(), route.publishAttributionMetricsToS3());
    }

    /**
     * The job's ARN, derived from the dataset's: a job lives in its dataset's partition, region and account, so the
     * ARN is known before the job exists, and an execution's input never depends on whether creation succeeded yet.
     */
    public String jobArn() {
        String[] parts = datasetArn.split(":", 6);
        return String.join(":", parts[0], parts[1], parts[2], parts[3], parts[4], "dataset-import-job/" + jobName);
    }
}
