package io.personalizeimport.lambdas.config;

import java.util.Map;

/**
 * One deletion rule: a CSV of user ids under {@code prefix} becomes one data deletion job on the dataset group
 * {@code datasetGroupArn}, ordered with the imports of the group's datasets (docs/forgetting-users.md).
 *
 * @param roleArn the role Personalize assumes to read the file
 * @param tags the tags of each data deletion job
 */
public record DeletionRoute(String name, String prefix, String datasetGroupArn, String roleArn,
                            Map<String, String> tags) {

    public DeletionRoute {
        tags = Map.copyOf(tags);
    }

    public boolean matches(String key) {
        return key.startsWith(prefix);
    }

    /**
     * Whether the dataset belongs to this route's group: a dataset's ARN is its group's, with {@code dataset/} for
     * {@code dataset-group/}, followed by its type (arn:aws:personalize:us-east-1:123456789012:dataset/shop/USERS).
     */
    public boolean covers(String datasetArn) {
        return datasetArn.startsWith(datasetGroupArn.replace(":dataset-group/", ":dataset/") + "/");
    }
}
