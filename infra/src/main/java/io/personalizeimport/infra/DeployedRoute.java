package io.personalizeimport.infra;

import io.personalizeimport.lambdas.config.Route;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A route as deployed: the dataset and schema ARNs are tokens for a dataset the stack creates; a demo route has no
 * validated settings.
 *
 * @param settings the route as the context gave it (for a created dataset, validated with a stand-in dataset ARN), or
 *     null for a demo route
 */
record DeployedRoute(String name, String prefix, String datasetArn, String schemaArn, Route settings) {

    static DeployedRoute of(Route route) {
        return new DeployedRoute(route.name(), route.prefix(), route.datasetArn(), schemaArnsOf(route.datasetArn()),
                route);
    }

    /**
     * The schema of an existing dataset is known only at run time (DescribeDataset), so the grant covers the schemas
     * of the dataset's account and region.
     */
    private static String schemaArnsOf(String datasetArn) {
        String[] parts = datasetArn.split(":", 6);
        return String.join(":", parts[0], parts[1], parts[2], parts[3], parts[4], "schema/*");
    }

    /** Whether the route imports whole folders, each complete when its marker arrives. */
    boolean isFolder() {
        return settings != null && settings.group() == Route.Group.FOLDER;
    }

    /** How often an import is expected to succeed, or null for no expectation. */
    java.time.Duration expectEvery() {
        return settings == null ? null : settings.expectEvery();
    }

    /** The route as one entry of the functions' ROUTES variable (RouteTable reads it back). */
    Map<String, Object> environmentEntry() {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("name", name);
        entry.put("prefix", prefix);
        entry.put("datasetArn", datasetArn);
        entry.put("importMode", settings == null ? "FULL" : settings.importMode().name());
        if (settings == null) {
            return entry;
        }
        if (!settings.tags().isEmpty()) {
            entry.put("tags", settings.tags());
        }
        if (settings.publishAttributionMetricsToS3() != null) {
            entry.put("publishAttributionMetricsToS3", settings.publishAttributionMetricsToS3());
        }
        // Written out as resolved, so the functions batch exactly as the validated context said.
        entry.put("group", settings.group().name().toLowerCase(Locale.ROOT));
        if (settings.group() == Route.Group.FOLDER) {
            entry.put("marker", settings.marker());
            entry.put("markerTimeout", settings.markerTimeout().toString());
        }
        entry.put("coalesce", settings.coalesce());
        if (settings.holdsForRecords() && !settings.longestHold().equals(Route.DEFAULT_LONGEST_HOLD)) {
            entry.put("longestHold", settings.longestHold().toString());
        }
        return entry;
    }
}
