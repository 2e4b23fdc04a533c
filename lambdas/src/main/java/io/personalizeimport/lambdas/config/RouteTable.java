package io.personalizeimport.lambdas.config;

import com.fasterxml.jackson.databind.JsonNode;
import io.personalizeimport.lambdas.errors.ConfigurationException;
import io.personalizeimport.lambdas.json.Json;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The routes of the {@value #VARIABLE} variable: which key prefix goes to which dataset, and which prefix holds the
 * lists of users to delete from which dataset group ({@code "action":"delete"}).
 */
public final class RouteTable {

    public static final String VARIABLE = "ROUTES";

    static final String EXAMPLE = "[{\"name\":\"interactions\",\"prefix\":\"interactions/\","
            + "\"datasetArn\":\"arn:aws:personalize:us-east-1:123456789012:dataset/my-group/INTERACTIONS\","
            + "\"importMode\":\"FULL\"}]";

    static final String DELETION_EXAMPLE = "{\"name\":\"forget\",\"prefix\":\"deletions/\",\"action\":\"delete\","
            + "\"datasetGroupArn\":\"arn:aws:personalize:us-east-1:123456789012:dataset-group/my-group\"}";

    private static final Set<String> FIELDS = Set.of(
            "name", "prefix", "datasetArn", "importMode", "roleArn", "tags", "publishAttributionMetricsToS3", "group",
            "marker", "markerTimeout", "coalesce", "expectEvery", "longestHold", "action");
    private static final Set<String> DELETION_FIELDS = Set.of("name", "prefix", "action", "datasetGroupArn", "roleArn",
            "tags");
    private static final String IMPORT = "import";
    private static final String DELETE = "delete";

    private final List<Route> routes;
    private final List<DeletionRoute> deletions;

    private RouteTable(List<Route> routes, List<DeletionRoute> deletions) {
        this.routes = List.copyOf(routes);
        this.deletions = List.copyOf(deletions);
    }

    /** The import routes. */
    public List<Route> routes() {
        return routes;
    }

    /** The deletion routes. */
    public List<DeletionRoute> deletions() {
        return deletions;
    }

    /** The deletion route whose prefix the key starts with; prefixes never overlap, so there is at most one. */
    public Optional<DeletionRoute> matchDeletion(String key) {
        return deletions.stream().filter(route -> route.matches(key)).findFirst();
    }

    /** The deletion routes of the dataset's group, whose deletions its imports are ordered with. */
    public List<DeletionRoute> deletionsOf(String datasetArn) {
        return deletions.stream().filter(route -> route.covers(datasetArn)).toList();
    }

    /** The route whose prefix the key starts with; prefixes never overlap, so there is at most one. */
    public Optional<Route> match(String key) {
        return routes.stream().filter(route -> route.matches(key)).findFirst();
    }

    public Optional<Route> byName(String name) {
        return routes.stream().filter(route -> route.name().equals(name)).findFirst();
    }

    public Optional<Route> byDataset(String datasetArn) {
        return routes.stream().filter(route -> route.datasetArn().equals(datasetArn)).findFirst();
    }

    /**
     * Parses and validates the routes.
     *
     * @param defaultRoleArn the role of routes that name none (may be null when every route names one)
     */
    public static RouteTable parse(String json, String defaultRoleArn) {
        JsonNode root;
        try {
            root = Json.tree(json);
        } catch (IllegalArgumentException e) {
            throw invalid("is not valid JSON (" + e.getMessage() + ")");
        }
        if (!root.isArray() || root.isEmpty()) {
            throw invalid("must be a non-empty JSON array of routes");
        }
        List<Route> routes = new ArrayList<>();
        List<DeletionRoute> deletions = new ArrayList<>();
        for (int i = 0; i < root.size(); i++) {
            JsonNode node = root.get(i);
            String where = VARIABLE + "[" + i + "]";
            if (!node.isObject()) {
                throw invalid(where, "must be a JSON object");
            }
            String action = text(node, where, "action", null, "\"import\" (the default) or \"delete\"", false);
            if (action == null || action.equals(IMPORT)) {
                routes.add(parseRoute(node, where, defaultRoleArn));
            } else if (action.equals(DELETE)) {
                deletions.add(parseDeletion(node, where, defaultRoleArn));
            } else {
                throw invalid(where, "action is '" + action + "': expected \"import\" (the default) or \"delete\"");
            }
        }
        checkUnique(routes, deletions);
        return new RouteTable(routes, deletions);
    }

    /** A route of {@code "action":"delete"}: a prefix, the dataset group it deletes from, its role and tags. */
    private static DeletionRoute parseDeletion(JsonNode node, String where, String defaultRoleArn) {
        for (String field : (Iterable<String>) node::fieldNames) {
            if (!DELETION_FIELDS.contains(field)) {
                throw invalid(where, "has field '" + field + "', which a deletion route does not take: expected only "
                        + DELETION_FIELDS + ", for example " + DELETION_EXAMPLE);
            }
        }
        String name = text(node, where, "name", Patterns.ROUTE_NAME,
                "1-20 letters, digits, '-' or '_', starting with a letter or digit", true);
        String prefix = prefix(node, where);
        String group = text(node, where, "datasetGroupArn", Patterns.DATASET_GROUP_ARN,
                "a dataset group ARN like arn:aws:personalize:<region>:<account>:dataset-group/<name>", true);
        if (group.length() > Patterns.MAX_ARN_LENGTH) {
            throw invalid(where, "datasetGroupArn is longer than " + Patterns.MAX_ARN_LENGTH + " characters");
        }
        return new DeletionRoute(name, prefix, group, role(node, where, defaultRoleArn), tags(field(node, "tags"),
                where));
    }

    private static String prefix(JsonNode node, String where) {
        String prefix = text(node, where, "prefix", null, "a key prefix such as \"interactions/\"", true);
        if (prefix.startsWith("/")) {
            throw invalid(where, "prefix '" + prefix + "' starts with '/': S3 keys have no leading slash");
        }
        if (prefix.startsWith(Staging.PREFIX) || Staging.PREFIX.startsWith(prefix)) {
            throw invalid(where, "prefix '" + prefix + "' overlaps the staging folder " + Staging.PREFIX
                    + " of coalesced imports: expected a prefix outside it");
        }
        return prefix;
    }

    private static String role(JsonNode node, String where, String defaultRoleArn) {
        String roleArn = text(node, where, "roleArn", Patterns.ROLE_ARN,
                "an IAM role ARN like arn:aws:iam::123456789012:role/PersonalizeImport", false);
        if (roleArn == null) {
            if (defaultRoleArn == null) {
                throw invalid(where, "has no roleArn and " + PipelineConfig.IMPORT_ROLE_ARN
                        + " is not set: expected one of them");
            }
            roleArn = defaultRoleArn;
        }
        return roleArn;
    }

    private static Route parseRoute(JsonNode node, String where, String defaultRoleArn) {
        for (String field : (Iterable<String>) node::fieldNames) {
            if (!FIELDS.contains(field)) {
                throw invalid(where, "has unknown field '" + field + "': expected only " + FIELDS);
            }
        }
        String name = text(node, where, "name", Patterns.ROUTE_NAME,
                "1-20 letters, digits, '-' or '_', starting with a letter or digit", true);
        String prefix = prefix(node, where);
        String datasetArn = text(node, where, "datasetArn", Patterns.DATASET_ARN,
                "a dataset ARN like arn:aws:personalize:<region>:<account>:dataset/<group>/<TYPE>", true);
        if (datasetArn.length() > Patterns.MAX_ARN_LENGTH) {
            throw invalid(where, "datasetArn is longer than " + Patterns.MAX_ARN_LENGTH + " characters");
        }
        String mode = text(node, where, "importMode", null, "FULL or INCREMENTAL", false);
        ImportMode importMode = ImportMode.FULL;
        if (mode != null) {
            try {
                importMode = ImportMode.valueOf(mode);
            } catch (IllegalArgumentException e) {
                throw invalid(where, "importMode is '" + mode + "': expected FULL or INCREMENTAL");
            }
        }
        String roleArn = role(node, where, defaultRoleArn);
        Boolean publish = null;
        JsonNode publishNode = field(node, "publishAttributionMetricsToS3");
        if (publishNode != null) {
            if (!publishNode.isBoolean()) {
                throw invalid(where, "publishAttributionMetricsToS3 must be true or false");
            }
            publish = publishNode.booleanValue();
        }
        Route.Group group = Route.Group.FILE;
        String rawGroup = text(node, where, "group", null, "\"file\" or \"folder\"", false);
        if (rawGroup != null) {
            group = switch (rawGroup) {
                case "file" -> Route.Group.FILE;
                case "folder" -> Route.Group.FOLDER;
                default -> throw invalid(where, "group is '" + rawGroup + "': expected \"file\" or \"folder\"");
            };
        }
        String marker = text(node, where, "marker", MARKER, "an object name without '/', such as _SUCCESS", false);
        String rawTimeout = text(node, where, "markerTimeout", null, "an ISO-8601 duration such as PT1H", false);
        if (group != Route.Group.FOLDER && (marker != null || rawTimeout != null)) {
            throw invalid(where, "has marker or markerTimeout but its group is not \"folder\": expected "
                    + "\"group\":\"folder\" with them, or neither");
        }
        Duration markerTimeout = Route.DEFAULT_MARKER_TIMEOUT;
        if (rawTimeout != null) {
            try {
                markerTimeout = Duration.parse(rawTimeout);
            } catch (DateTimeParseException e) {
                throw invalid(where, "markerTimeout is '" + rawTimeout + "': expected an ISO-8601 duration such as PT1H");
            }
            if (markerTimeout.compareTo(Duration.ofMinutes(1)) < 0 || markerTimeout.compareTo(Duration.ofDays(7)) > 0) {
                throw invalid(where, "markerTimeout is " + rawTimeout + ": expected from PT1M to P7D");
            }
        }
        boolean appendOnly = datasetArn.endsWith("/INTERACTIONS") || datasetArn.endsWith("/ACTION_INTERACTIONS");
        boolean coalesce = importMode == ImportMode.INCREMENTAL && appendOnly;
        JsonNode coalesceNode = field(node, "coalesce");
        if (coalesceNode != null) {
            if (!coalesceNode.isBoolean()) {
                throw invalid(where, "coalesce must be true or false");
            }
            coalesce = coalesceNode.booleanValue();
            if (coalesce && importMode != ImportMode.INCREMENTAL) {
                throw invalid(where, "has coalesce true with importMode " + importMode + ": only INCREMENTAL imports"
                        + " add up, so expected importMode INCREMENTAL or no coalesce");
            }
            if (coalesce && !appendOnly) {
                // One job reads a folder's files in no stated order, so of two files that change one record, either
                // could win.
                throw invalid(where, "has coalesce true for dataset " + datasetArn + ": one import job reads its files"
                        + " in no stated order, so only INTERACTIONS and ACTION_INTERACTIONS datasets, whose rows add"
                        + " up, coalesce; expected no coalesce");
            }
        }
        Route route = new Route(name, prefix, datasetArn, importMode, roleArn, tags(field(node, "tags"), where), publish,
                group, marker == null ? Route.DEFAULT_MARKER : marker, markerTimeout, coalesce, expectEvery(node, where),
                Route.DEFAULT_LONGEST_HOLD);
        return withLongestHold(route, node, where);
    }

    private static Route withLongestHold(Route route, JsonNode node, String where) {
        String raw = text(node, where, "longestHold", null, "an ISO-8601 duration such as PT24H", false);
        if (raw == null) {
            return route;
        }
        if (!route.holdsForRecords()) {
            throw invalid(where, "has longestHold but holds no files: only a coalescing INCREMENTAL route of an"
                    + " INTERACTIONS dataset waits for Personalize's 1,000 records per job; expected no longestHold");
        }
        Duration longest;
        try {
            longest = Duration.parse(raw);
        } catch (DateTimeParseException e) {
            throw invalid(where, "longestHold is '" + raw + "': expected an ISO-8601 duration such as PT24H");
        }
        if (longest.compareTo(Route.MIN_LONGEST_HOLD) < 0 || longest.compareTo(Route.MAX_LONGEST_HOLD) > 0) {
            throw invalid(where, "longestHold is " + raw + ": expected from PT1M to P30D");
        }
        return new Route(route.name(), route.prefix(), route.datasetArn(), route.importMode(), route.roleArn(),
                route.tags(), route.publishAttributionMetricsToS3(), route.group(), route.marker(), route.markerTimeout(),
                route.coalesce(), route.expectEvery(), longest);
    }

    private static Duration expectEvery(JsonNode node, String where) {
        String raw = text(node, where, "expectEvery", null, "an ISO-8601 duration such as PT24H", false);
        if (raw == null) {
            return null;
        }
        Duration every;
        try {
            every = Duration.parse(raw);
        } catch (DateTimeParseException e) {
            throw invalid(where, "expectEvery is '" + raw + "': expected an ISO-8601 duration such as PT24H");
        }
        if (every.compareTo(Route.MIN_EXPECT_EVERY) < 0 || every.compareTo(Route.MAX_EXPECT_EVERY) > 0
                || every.toSeconds() % 3600 != 0) {
            throw invalid(where, "expectEvery is " + raw + ": expected whole hours from PT1H to P7D (PT168H)");
        }
        return every;
    }

    // A marker is an object name inside a folder: no '/', and not a CSV (a CSV is data, not a marker).
    private static final Pattern MARKER = Pattern.compile("(?i)(?!.*\\.csv$)[^/]{1,255}");

    private static Map<String, String> tags(JsonNode node, String where) {
        Map<String, String> tags = new LinkedHashMap<>();
        if (node == null) {
            return tags;
        }
        if (!node.isObject()) {
            throw invalid(where, "tags must be a JSON object of string values, like {\"team\":\"ml\"}");
        }
        if (node.size() > Patterns.MAX_TAGS) {
            throw invalid(where, "has " + node.size() + " tags: expected at most " + Patterns.MAX_TAGS);
        }
        for (Map.Entry<String, JsonNode> tag : node.properties()) {
            String key = tag.getKey();
            JsonNode value = tag.getValue();
            if (key.isEmpty() || key.length() > Patterns.MAX_TAG_KEY_LENGTH || key.toLowerCase(java.util.Locale.ROOT).startsWith("aws:")) {
                throw invalid(where, "tag key '" + key + "': expected 1-" + Patterns.MAX_TAG_KEY_LENGTH
                        + " characters, not starting with aws:");
            }
            if (!value.isTextual() || value.textValue().length() > Patterns.MAX_TAG_VALUE_LENGTH) {
                throw invalid(where, "tag '" + key + "': expected a string value of at most "
                        + Patterns.MAX_TAG_VALUE_LENGTH + " characters");
            }
            tags.put(key, value.textValue());
        }
        return tags;
    }

    private static String text(JsonNode node, String where, String field, Pattern pattern, String expected,
            boolean required) {
        JsonNode value = field(node, field);
        if (value == null) {
            if (required) {
                throw invalid(where, "is missing '" + field + "': expected " + expected);
            }
            return null;
        }
        if (!value.isTextual() || value.textValue().isEmpty()
                || (pattern != null && !pattern.matcher(value.textValue()).matches())) {
            throw invalid(where, field + " is " + value + ": expected " + expected);
        }
        return value.textValue();
    }

    /** The value of a route's field, or null when it is absent or JSON null. */
    private static JsonNode field(JsonNode route, String name) {
        JsonNode value = route.get(name);
        return value == null || value.isNull() ? null : value;
    }

    private static void checkUnique(List<Route> routes, List<DeletionRoute> deletions) {
        List<Map.Entry<String, String>> named = new ArrayList<>();
        routes.forEach(route -> named.add(Map.entry(route.name(), route.prefix())));
        deletions.forEach(route -> named.add(Map.entry(route.name(), route.prefix())));
        for (int i = 0; i < named.size(); i++) {
            for (int j = i + 1; j < named.size(); j++) {
                Map.Entry<String, String> a = named.get(i);
                Map.Entry<String, String> b = named.get(j);
                if (a.getKey().equals(b.getKey())) {
                    throw invalid("has two routes named '" + a.getKey() + "': expected unique names");
                }
                if (a.getValue().startsWith(b.getValue()) || b.getValue().startsWith(a.getValue())) {
                    throw invalid("has overlapping prefixes '" + a.getValue() + "' (" + a.getKey() + ") and '"
                            + b.getValue() + "' (" + b.getKey() + "): expected every key to match at most one route");
                }
            }
        }
    }

    private static ConfigurationException invalid(String where, String problem) {
        return new ConfigurationException("Environment variable " + where + " " + problem + ". Example: " + EXAMPLE);
    }

    private static ConfigurationException invalid(String problem) {
        return invalid(VARIABLE, problem);
    }
}
