package io.personalizeimport.local.stack;

import io.personalizeimport.lambdas.config.Route;
import io.personalizeimport.lambdas.config.RouteTable;
import io.personalizeimport.local.personalize.Domain;
import io.personalizeimport.local.personalize.SchemaCheck;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The dataset groups and datasets a local stack's routes name, each group with its domain, each dataset its schema. */
public final class DatasetPlan {

    /** Dataset group names, as Personalize's CreateDatasetGroup takes them. */
    private static final Pattern GROUP = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9\\-_]{0,62}");
    private static final Pattern DATASET_ARN = Pattern.compile("arn:([^:]*):personalize:([^:]*):([^:]*):dataset/(.*)");

    /**
     * One dataset to create: its group, type, the group's domain, and the Avro text of the schema given for it, or
     * empty for its type's default (read when the stack starts; every default follows its type's custom rules).
     */
    public record Dataset(String group, String type, Domain domain, Optional<String> schema) {

        /** The dataset's key, {@code GROUP/TYPE}, as {@code --schema} names it. */
        public String key() {
            return group + "/" + type;
        }

        public String arn() {
            return LocalStack.datasetArn(group, type);
        }
    }

    private DatasetPlan() {
    }

    /**
     * The group and type of a route's dataset ARN, which must be a dataset of the local account and region.
     *
     * @throws IllegalArgumentException saying what is wrong with the ARN and what was expected
     */
    static String[] groupAndType(String datasetArn) {
        String expected = "expected arn:aws:personalize:" + LocalStack.REGION + ":" + LocalStack.ACCOUNT_ID
                + ":dataset/GROUP/TYPE with TYPE one of " + SchemaCheck.DATASET_TYPES;
        Matcher arn = DATASET_ARN.matcher(datasetArn);
        if (!arn.matches()) {
            throw new IllegalArgumentException("dataset " + datasetArn + " is not a dataset ARN: " + expected);
        }
        if (!arn.group(2).equals(LocalStack.REGION) || !arn.group(3).equals(LocalStack.ACCOUNT_ID)
                || !arn.group(1).equals("aws")) {
            throw new IllegalArgumentException("dataset " + datasetArn + " is of region '" + arn.group(2)
                    + "' and account '" + arn.group(3) + "', not of the local stack's region " + LocalStack.REGION
                    + " and account " + LocalStack.ACCOUNT_ID + ": " + expected);
        }
        String[] parts = arn.group(4).split("/", -1);
        if (parts.length != 2 || !GROUP.matcher(parts[0]).matches()) {
            throw new IllegalArgumentException("dataset " + datasetArn + " does not name a dataset group and a type"
                    + " (a group is 1-63 letters, digits, '-' or '_'): " + expected);
        }
        if (!SchemaCheck.DATASET_TYPES.contains(parts[1])) {
            throw new IllegalArgumentException("dataset " + datasetArn + " has the unknown type '" + parts[1] + "': "
                    + expected);
        }
        return parts;
    }

    /**
     * The {@code GROUP/TYPE} key of the dataset {@code spec} names: {@code GROUP/TYPE}, or {@code TYPE} alone for the
     * demo group's dataset; the type in any case.
     *
     * @throws IllegalArgumentException when the group or type is not one a dataset can have
     */
    public static String datasetKey(String spec) {
        int slash = spec.lastIndexOf('/');
        String group = slash < 0 ? LocalStack.DATASET_GROUP : spec.substring(0, slash);
        String type = spec.substring(slash + 1).toUpperCase(Locale.ROOT);
        if (!GROUP.matcher(group).matches()) {
            throw new IllegalArgumentException("'" + group + "' is not a dataset group name: expected 1-63 letters,"
                    + " digits, '-' or '_'");
        }
        if (!SchemaCheck.DATASET_TYPES.contains(type)) {
            throw new IllegalArgumentException("'" + type + "' is not a dataset type: expected one of "
                    + SchemaCheck.DATASET_TYPES);
        }
        return group + "/" + type;
    }

    /** The datasets the routes name, as {@code GROUP/TYPE} keys in the routes' order. */
    public static Set<String> datasetKeys(RouteTable routes) {
        Set<String> keys = new LinkedHashSet<>();
        for (Route route : routes.routes()) {
            String[] groupAndType = groupAndType(route.datasetArn());
            keys.add(groupAndType[0] + "/" + groupAndType[1]);
        }
        return keys;
    }

    /** The dataset groups the routes name, in the routes' order. */
    public static Set<String> groups(RouteTable routes) {
        Set<String> groups = new LinkedHashSet<>();
        datasetKeys(routes).forEach(key -> groups.add(key.substring(0, key.indexOf('/'))));
        return groups;
    }

    /**
     * Why {@code schema} cannot be the schema of the dataset {@code key} ({@code GROUP/TYPE}): no route names it, or
     * it breaks its type's rules or its group's domain's; empty when it can be.
     */
    public static Optional<String> schemaProblem(RouteTable routes, Map<String, Domain> domains, String key,
                                                 String schema) {
        Set<String> named = datasetKeys(routes);
        if (!named.contains(key)) {
            return Optional.of("no route names dataset " + key + ": the routes name " + named);
        }
        String group = key.substring(0, key.indexOf('/'));
        return SchemaCheck.problem(key.substring(key.indexOf('/') + 1), domains.getOrDefault(group, Domain.CUSTOM),
                schema);
    }

    /**
     * Every dataset the routes name, with the schema {@code schemas} gives it by {@code GROUP/TYPE}, if any. A dataset
     * given none takes its type's default, which is checked here only in a domain group, whose rules it may break.
     *
     * @throws IllegalArgumentException naming the first problem: a domain or schema for something no route names, or a
     *     schema that breaks its type's or domain's rules
     */
    static List<Dataset> resolve(RouteTable routes, Map<String, Domain> domains, Map<String, String> schemas,
                                 Function<String, String> defaultSchema) {
        Set<String> groups = groups(routes);
        for (String group : domains.keySet()) {
            if (!groups.contains(group)) {
                throw new IllegalArgumentException("the domain of dataset group " + group + " is given, but no route"
                        + " names a dataset of it: the routes name the groups " + groups);
            }
        }
        Map<String, String> remaining = new LinkedHashMap<>(schemas);
        List<Dataset> datasets = new ArrayList<>();
        for (String key : datasetKeys(routes)) {
            String given = remaining.remove(key);
            String group = key.substring(0, key.indexOf('/'));
            Domain domain = domains.getOrDefault(group, Domain.CUSTOM);
            String type = key.substring(key.indexOf('/') + 1);
            if (given == null && domain == Domain.CUSTOM) {
                datasets.add(new Dataset(group, type, domain, Optional.empty()));
                continue;
            }
            String schema = given != null ? given : defaultSchema.apply(type);
            Optional<String> problem = schemaProblem(routes, domains, key, schema);
            if (problem.isPresent()) {
                throw new IllegalArgumentException((given != null ? "the schema given" : "the default schema")
                        + " for dataset " + key + (domain == Domain.CUSTOM ? "" : " (in a group of the " + domain + " domain)")
                        + " cannot be used: " + problem.get()
                        + (given != null ? "" : "; give the dataset a schema of its own"));
            }
            datasets.add(new Dataset(group, type, domain, Optional.ofNullable(given)));
        }
        if (!remaining.isEmpty()) {
            String key = remaining.keySet().iterator().next();
            throw new IllegalArgumentException("a schema is given for dataset " + key + ", but no route names it: the"
                    + " routes name " + datasetKeys(routes));
        }
        return List.copyOf(datasets);
    }
}
