package io.personalizeimport.infra;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.personalizeimport.lambdas.config.DeletionRoute;
import io.personalizeimport.lambdas.config.Route;
import io.personalizeimport.lambdas.config.RouteTable;
import io.personalizeimport.lambdas.errors.ConfigurationException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The {@code datasets} context key: the dataset groups the stack creates, each dataset with its schema file and the
 * routes that feed it, and each group with the deletion routes that forget its users, validated before any construct
 * exists.
 */
final class DatasetsContext {

    static final String KEY = "datasets";
    static final String EXAMPLE = "-c datasets=@infra/examples/two-groups.json, a file holding [{\"name\":\"shop\","
            + "\"domain\":\"ECOMMERCE\",\"datasets\":[{\"type\":\"INTERACTIONS\",\"schema\":\"infra/schemas/"
            + "interactions.avsc\",\"routes\":[{\"name\":\"shop-clicks\",\"prefix\":\"shop/clicks/\"}]}]}]";

    /** Personalize's rule for the name of a dataset group, a schema and a dataset (CreateDatasetGroup's name). */
    private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9\\-_]*");
    private static final int MAX_NAME_LENGTH = 63;
    /** CreateSchema's limit on the schema's JSON. */
    private static final int MAX_SCHEMA_LENGTH = 10_000;
    private static final Set<String> GROUP_FIELDS = Set.of("name", "domain", "datasets", "deletions");
    private static final Set<String> DATASET_FIELDS = Set.of("type", "schema", "routes");
    /** The account and region that stand in for the stack's while a dataset's routes are validated. */
    private static final String VALIDATION_ARN_PREFIX = "arn:aws:personalize:us-east-1:123456789012:dataset/";
    /** Likewise for a group's deletion routes. */
    private static final String VALIDATION_GROUP_ARN_PREFIX =
            "arn:aws:personalize:us-east-1:123456789012:dataset-group/";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /**
     * A dataset group the stack creates.
     *
     * @param domain ECOMMERCE or VIDEO_ON_DEMAND, or empty for a custom group
     * @param deletions its deletion routes, validated with a group ARN of its name in a stand-in account
     */
    record Group(String name, Optional<String> domain, List<Dataset> datasets, List<DeletionRoute> deletions) {

        Group {
            datasets = List.copyOf(datasets);
            deletions = List.copyOf(deletions);
        }
    }

    /**
     * A dataset the stack creates in its group.
     *
     * @param schema the Avro schema's JSON as the file holds it
     * @param routes its routes, validated with a dataset ARN of the group's name and the type in a stand-in account
     */
    record Dataset(DatasetType type, String schema, List<Route> routes) {

        Dataset {
            routes = List.copyOf(routes);
        }
    }

    /** A route of a created dataset with where the context declares it, for messages that span routes. */
    record Declared(Route route, String where) {
    }

    /** A deletion route of a created group with where the context declares it. */
    record DeclaredDeletion(DeletionRoute route, String where) {
    }

    private DatasetsContext() {
    }

    /**
     * Reads the groups from the context value: a JSON array (cdk.json), its text, or {@code @FILE}.
     *
     * @param root the directory that holds cdk.json: FILE and the schema files are relative to it
     */
    static List<Group> read(Object raw, Path root, String validationRole) {
        if (raw == null || (raw instanceof String s && s.isBlank())) {
            return List.of();
        }
        JsonNode groups = json(raw, root);
        if (!groups.isArray() || groups.isEmpty()) {
            throw invalid("", "is not a non-empty JSON array of dataset groups");
        }
        List<Group> read = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < groups.size(); i++) {
            Group group = group(groups.get(i), "[" + i + "]", root, validationRole);
            if (!names.add(group.name())) {
                throw invalid("[" + i + "]", "names group '" + group.name() + "' a second time: expected each dataset"
                        + " group once, with all its datasets");
            }
            read.add(group);
        }
        return read;
    }

    /** Every route of the groups, with where each is declared. */
    static List<Declared> declaredRoutes(List<Group> groups) {
        List<Declared> declared = new ArrayList<>();
        for (Group group : groups) {
            for (Dataset dataset : group.datasets()) {
                for (int i = 0; i < dataset.routes().size(); i++) {
                    declared.add(new Declared(dataset.routes().get(i),
                            KEY + " group '" + group.name() + "' dataset " + dataset.type() + " routes[" + i + "]"));
                }
            }
        }
        return declared;
    }

    /** Every deletion route of the groups, with where each is declared. */
    static List<DeclaredDeletion> declaredDeletions(List<Group> groups) {
        List<DeclaredDeletion> declared = new ArrayList<>();
        for (Group group : groups) {
            for (int i = 0; i < group.deletions().size(); i++) {
                declared.add(new DeclaredDeletion(group.deletions().get(i),
                        KEY + " group '" + group.name() + "' deletions[" + i + "]"));
            }
        }
        return declared;
    }

    /** The name of the schema and the dataset of {@code type} in the group {@code group}. */
    static String resourceName(String group, DatasetType type) {
        return group + "-" + type.nameSuffix();
    }

    private static JsonNode json(Object raw, Path root) {
        try {
            if (raw instanceof String text && text.strip().startsWith("@")) {
                Path file = root.resolve(text.strip().substring(1));
                if (!Files.isReadable(file)) {
                    throw invalid("", "names the file " + file + ", which cannot be read: expected @ and a JSON file's"
                            + " path relative to the folder of cdk.json");
                }
                return MAPPER.readTree(Files.readString(file));
            }
            return raw instanceof String text ? MAPPER.readTree(text) : MAPPER.valueToTree(raw);
        } catch (IOException e) {
            throw invalid("", "cannot be read as JSON (" + e.getMessage().lines().findFirst().orElse("") + ")");
        }
    }

    private static Group group(JsonNode node, String index, Path root, String validationRole) {
        if (!node.isObject()) {
            throw invalid(index, "is not a JSON object: expected a dataset group with name, optional domain and"
                    + " datasets");
        }
        unknownFields(node, GROUP_FIELDS, index);
        String name = node.path("name").asText("");
        if (name.length() > MAX_NAME_LENGTH || !NAME.matcher(name).matches()) {
            throw invalid(index, "name is '" + name + "': expected a dataset group name of 1-" + MAX_NAME_LENGTH
                    + " letters, digits, '-' or '_', starting with a letter or digit");
        }
        String where = "group '" + name + "'";
        Optional<String> domain = node.hasNonNull("domain") ? Optional.of(node.get("domain").asText()) : Optional.empty();
        domain.ifPresent(value -> {
            if (!DatasetType.DOMAINS.containsKey(value)) {
                throw invalid(where, "domain is '" + value + "': expected ECOMMERCE or VIDEO_ON_DEMAND, or no domain"
                        + " for a custom dataset group");
            }
        });
        JsonNode datasets = node.path("datasets");
        if (!datasets.isArray() || datasets.isEmpty()) {
            throw invalid(where, "has no datasets: expected a non-empty JSON array of datasets, each with type,"
                    + " schema and routes");
        }
        List<Dataset> read = new ArrayList<>();
        Set<DatasetType> types = new HashSet<>();
        for (int i = 0; i < datasets.size(); i++) {
            Dataset dataset = dataset(datasets.get(i), name, domain, where + " datasets[" + i + "]", root,
                    validationRole);
            if (!types.add(dataset.type())) {
                throw invalid(where, "has two " + dataset.type() + " datasets: expected at most one dataset of each"
                        + " type in a dataset group (Personalize allows one)");
            }
            read.add(dataset);
        }
        return new Group(name, domain, read, deletions(node.get("deletions"), name, where, validationRole));
    }

    private static Dataset dataset(JsonNode node, String group, Optional<String> domain, String index, Path root,
                                   String validationRole) {
        if (!node.isObject()) {
            throw invalid(index, "is not a JSON object: expected a dataset with type, schema and routes");
        }
        unknownFields(node, DATASET_FIELDS, index);
        String rawType = node.path("type").asText("");
        DatasetType type = DatasetType.named(rawType).orElseThrow(() -> invalid(index, "type is '" + rawType
                + "': expected one of INTERACTIONS, ITEMS, USERS, ACTIONS, ACTION_INTERACTIONS"));
        String where = "group '" + group + "' dataset " + type;
        if (!type.allowedIn(domain)) {
            throw invalid(where, "cannot be in a domain dataset group (" + domain.orElseThrow() + "): expected"
                    + " INTERACTIONS, ITEMS or USERS there, as actions and action interactions exist only in custom"
                    + " dataset groups (no domain)");
        }
        String name = resourceName(group, type);
        if (name.length() > MAX_NAME_LENGTH) {
            throw invalid(where, "would be named '" + name + "', " + name.length() + " characters: expected a group"
                    + " name short enough that its datasets' and schemas' names keep within " + MAX_NAME_LENGTH);
        }
        String schema = schema(node.path("schema").asText(""), type, domain, where, root);
        return new Dataset(type, schema, routes(node.path("routes"), group, type, where, validationRole));
    }

    private static String schema(String file, DatasetType type, Optional<String> domain, String where, Path root) {
        if (file.isEmpty()) {
            throw invalid(where, "has no schema: expected the path of its Avro schema file, relative to the folder"
                    + " of cdk.json");
        }
        Path path = root.resolve(file);
        String text;
        try {
            text = Files.readString(path).strip();
        } catch (IOException e) {
            throw invalid(where, "schema " + file + " cannot be read (" + path + "): expected an Avro schema file,"
                    + " its path relative to the folder of cdk.json");
        }
        if (text.length() > MAX_SCHEMA_LENGTH) {
            throw invalid(where, "schema " + file + " has " + text.length() + " characters: expected at most "
                    + MAX_SCHEMA_LENGTH + " (CreateSchema)");
        }
        JsonNode avro;
        try {
            avro = MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw invalid(where, "schema " + file + " is not JSON: expected an Avro schema in JSON, a record");
        }
        if (avro == null || !avro.isObject() || !"record".equals(avro.path("type").asText())
                || !avro.path("fields").isArray()) {
            throw invalid(where, "schema " + file + " is not an Avro record: expected {\"type\": \"record\", \"name\":"
                    + " ..., \"fields\": [...]}");
        }
        for (DatasetType.Field field : type.requiredFields(domain)) {
            Optional<JsonNode> declared = fieldNamed(avro.get("fields"), field.name());
            if (declared.isEmpty() || !field.type().equals(declared.get().path("type").asText(null))) {
                throw invalid(where, "schema " + file + " has " + (declared.isEmpty() ? "no " + field.name()
                        : field.name() + " of type " + declared.get().path("type")) + ": expected a non-null "
                        + field.type() + " field " + field.name() + ", which " + type + " datasets"
                        + domain.map(name -> " of the " + name + " domain").orElse("") + " require");
            }
        }
        return text;
    }

    private static Optional<JsonNode> fieldNamed(JsonNode fields, String name) {
        for (JsonNode field : fields) {
            if (name.equals(field.path("name").asText())) {
                return Optional.of(field);
            }
        }
        return Optional.empty();
    }

    /**
     * The routes are validated as the functions read them (RouteTable), with the dataset ARN the group's name and the
     * type make, in a stand-in account and region.
     */
    private static List<Route> routes(JsonNode node, String group, DatasetType type, String where,
                                      String validationRole) {
        if (!node.isArray() || node.isEmpty()) {
            throw invalid(where, "has no routes: expected a non-empty JSON array of routes, each with name and prefix"
                    + " and the other fields of the routes context key but datasetArn");
        }
        String datasetArn = VALIDATION_ARN_PREFIX + group + "/" + type;
        ArrayNode routes = MAPPER.createArrayNode();
        for (int i = 0; i < node.size(); i++) {
            JsonNode route = node.get(i);
            for (String field : List.of("datasetArn", "roleArn")) {
                if (route.has(field)) {
                    throw invalid(where + " routes[" + i + "]", "has a " + field + ": the stack creates the dataset"
                            + " and the role Personalize assumes; expected no " + field);
                }
            }
            if (route.isObject()) {
                ObjectNode copy = ((ObjectNode) route).deepCopy();
                copy.put("datasetArn", datasetArn);
                routes.add(copy);
            } else {
                routes.add(route);
            }
        }
        try {
            return RouteTable.parse(routes.toString(), validationRole).routes();
        } catch (ConfigurationException e) {
            throw new InvalidContextException(e.getMessage()
                    .replace("Environment variable " + RouteTable.VARIABLE, "Context key " + KEY + " " + where
                            + " routes")
                    .replace(datasetArn, group + "/" + type)
                    .replaceFirst("\\. Example: .*$", ". Example: " + EXAMPLE));
        }
    }

    /**
     * A group's deletion routes, validated as the functions read them (RouteTable) with the group's ARN in a stand-in
     * account and region; the stack writes the created group's ARN and its own role.
     */
    private static List<DeletionRoute> deletions(JsonNode node, String group, String where, String validationRole) {
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (!node.isArray() || node.isEmpty()) {
            throw invalid(where, "deletions is not a non-empty JSON array: expected deletion routes, each with name"
                    + " and prefix, like [{\"name\":\"forget\",\"prefix\":\"forget/\"}], or no deletions");
        }
        String groupArn = VALIDATION_GROUP_ARN_PREFIX + group;
        ArrayNode routes = MAPPER.createArrayNode();
        for (int i = 0; i < node.size(); i++) {
            JsonNode route = node.get(i);
            String at = where + " deletions[" + i + "]";
            if (!route.isObject()) {
                throw invalid(at, "is not a JSON object: expected a deletion route with name and prefix");
            }
            for (String field : List.of("datasetGroupArn", "roleArn")) {
                if (route.has(field)) {
                    throw invalid(at, "has a " + field + ": the stack deletes from the group it creates, with the role"
                            + " Personalize assumes; expected no " + field);
                }
            }
            if (route.has("action") && !"delete".equals(route.get("action").asText())) {
                throw invalid(at, "has action " + route.get("action") + ": a group's deletions delete; expected no"
                        + " action, or \"delete\"");
            }
            ObjectNode copy = ((ObjectNode) route).deepCopy();
            copy.put("action", "delete");
            copy.put("datasetGroupArn", groupArn);
            routes.add(copy);
        }
        try {
            return RouteTable.parse(routes.toString(), validationRole).deletions();
        } catch (ConfigurationException e) {
            throw new InvalidContextException(e.getMessage()
                    .replace("Environment variable " + RouteTable.VARIABLE, "Context key " + KEY + " " + where
                            + " deletions")
                    .replace(groupArn, group)
                    .replaceFirst("\\. Example: .*$", ". Example: " + EXAMPLE));
        }
    }

    private static void unknownFields(JsonNode node, Set<String> known, String where) {
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String field = names.next();
            if (!known.contains(field)) {
                throw invalid(where, "has unknown field '" + field + "': expected only " + known.stream().sorted()
                        .toList());
            }
        }
    }

    static InvalidContextException invalid(String where, String problem) {
        return new InvalidContextException("Context key " + KEY + (where.isEmpty() || where.startsWith("[") ? ""
                : " ") + where + " " + problem + ". Example: " + EXAMPLE);
    }
}
