package io.personalizeimport.infra;

import io.personalizeimport.lambdas.config.DeletionRoute;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A deletion route as deployed: a prefix whose CSV files of user ids become data deletion jobs on a dataset group,
 * whose ARN is a token for a group the stack creates.
 *
 * @param settings the route as the context gave it (for a created group, validated with a stand-in group ARN)
 */
record DeployedDeletion(String name, String prefix, String datasetGroupArn, DeletionRoute settings) {

    static DeployedDeletion of(DeletionRoute route) {
        return new DeployedDeletion(route.name(), route.prefix(), route.datasetGroupArn(), route);
    }

    /** The route as one entry of the functions' ROUTES variable (RouteTable reads it back as a DeletionRoute). */
    Map<String, Object> environmentEntry() {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("name", name);
        entry.put("prefix", prefix);
        entry.put("action", "delete");
        entry.put("datasetGroupArn", datasetGroupArn);
        if (!settings.tags().isEmpty()) {
            entry.put("tags", settings.tags());
        }
        return entry;
    }
}
