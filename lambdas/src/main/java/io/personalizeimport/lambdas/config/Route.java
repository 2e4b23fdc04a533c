package io.personalizeimport.lambdas.config;

import java.util.Map;

/**
 * One routing rule: objects whose key starts with {@code prefix} are imported into {@code datasetArn}.
 *
 * @param publishAttributionMetricsToS3 null when the route leaves it to Personalize's default
 */
public record Route(
        String name,
        String prefix,
        String datasetArn,
        ImportMode importMode,
        String roleArn,
        Map<String, String> tags,
        Boolean publishAttributionMetricsToS3) {

    public Route {
        tags = Map.copyOf(tags);
    }

    public boolean matches(String key) {
        return key.startsWith(prefix);
    }
}
