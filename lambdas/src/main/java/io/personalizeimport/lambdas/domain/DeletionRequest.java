package io.personalizeimport.lambdas.domain;

import java.util.Map;

/**
 * A data deletion job to create: the users listed at {@code dataLocation} removed from the dataset group's datasets
 * (Amazon Personalize API Reference, CreateDataDeletionJob).
 */
public record DeletionRequest(String jobName, String datasetGroupArn, String dataLocation, String roleArn,
                              Map<String, String> tags) {

    public DeletionRequest {
        tags = Map.copyOf(tags);
    }

    /** The job's ARN, known before it exists: the group's account and region, {@code data-deletion-job/<name>}. */
    public String jobArn() {
        String[] parts = datasetGroupArn.split(":", 6);
        return String.join(":", parts[0], parts[1], parts[2], parts[3], parts[4], "data-deletion-job/" + jobName);
    }
}
