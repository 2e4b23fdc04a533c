package io.personalizeimport.infra;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.personalizeimport.lambdas.config.DeletionRoute;
import io.personalizeimport.lambdas.config.Environment;
import io.personalizeimport.lambdas.config.PipelineConfig;
import io.personalizeimport.lambdas.config.Route;
import io.personalizeimport.lambdas.config.RouteTable;
import io.personalizeimport.lambdas.domain.PollPolicy;
import io.personalizeimport.lambdas.errors.ConfigurationException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.logs.RetentionDays;

/**
 * The deployment's settings, read from the CDK context ({@code cdk.json}, overridden with {@code -c key=value}) and
 * validated before any construct exists, so a wrong value stops synthesis with nothing written.
 *
 * @param routes the user's routes to existing datasets
 * @param deletions the user's deletion routes ({@code "action":"delete"} in the routes key), each to a dataset group
 * @param datasets the dataset groups the stack creates, with their routes; with no routes either, the demo's
 * @param existingBucketName the user's bucket to watch instead of a bucket the stack creates
 * @param kmsKeyArn the user's key that encrypts the bucket's objects
 * @param createKmsKey whether the stack creates a customer managed key for the bucket it creates
 */
public record StackConfig(
        List<Route> routes,
        List<DeletionRoute> deletions,
        Optional<String> existingBucketName,
        Optional<String> kmsKeyArn,
        boolean createKmsKey,
        PollPolicy pollPolicy,
        Optional<String> alarmEmail,
        RetentionDays logRetention,
        RemovalPolicy removalPolicy,
        boolean preflight,
        boolean defaultEventBus,
        List<DatasetsContext.Group> datasets,
        int maxImportJobs) {

    public static final String ROUTES = "routes";
    public static final String EXISTING_BUCKET_NAME = "existingBucketName";
    public static final String KMS_KEY_ARN = "kmsKeyArn";
    public static final String CREATE_KMS_KEY = "createKmsKey";
    public static final String POLL_INITIAL_SECONDS = "pollInitialSeconds";
    public static final String POLL_MAX_SECONDS = "pollMaxSeconds";
    public static final String MONITOR_DEADLINE = "monitorDeadline";
    public static final String ALARM_EMAIL = "alarmEmail";
    public static final String LOG_RETENTION_DAYS = "logRetentionDays";
    public static final String REMOVAL_POLICY = "removalPolicy";
    public static final String PREFLIGHT = "preflight";
    public static final String EVENT_BUS = "eventBus";
    public static final String DATASETS = DatasetsContext.KEY;
    public static final String MAX_IMPORT_JOBS = "maxImportJobs";

    static final String ROUTES_EXAMPLE = "-c 'routes=[{\"name\":\"interactions\",\"prefix\":\"interactions/\","
            + "\"datasetArn\":\"arn:aws:personalize:us-east-1:123456789012:dataset/my-group/INTERACTIONS\","
            + "\"importMode\":\"FULL\",\"tags\":{\"team\":\"ml\"}}]'";

    /** The role the stack creates stands in for every route while the routes are validated. */
    private static final String VALIDATION_ROLE = "arn:aws:iam::123456789012:role/PipelineImportRole";
    private static final Pattern BUCKET_NAME = Pattern.compile("(?!xn--)[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
    private static final Pattern KMS_KEY = Pattern.compile("arn:aws[a-z-]*:kms:[a-z0-9-]+:\\d{12}:key/[a-zA-Z0-9-]+");
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s]+");
    /** Characters that S3 leaves as they are when it URL-encodes a key: a marker has no '/', a prefix may. */
    /** CloudWatch Logs accepts only these retention periods. */
    private static final List<Integer> RETENTION_DAYS = List.of(1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400,
            545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653);
    /** The lambdas' variable names, so their validation messages can name the context key instead. */
    private static final Map<String, String> POLL_KEYS = Map.of(
            PollPolicy.POLL_INITIAL_SECONDS, POLL_INITIAL_SECONDS,
            PollPolicy.POLL_MAX_SECONDS, POLL_MAX_SECONDS,
            PollPolicy.MONITOR_DEADLINE, MONITOR_DEADLINE);
    private static final Map<String, String> POLL_EXAMPLES = Map.of(
            POLL_INITIAL_SECONDS, "15", POLL_MAX_SECONDS, "300", MONITOR_DEADLINE, "PT48H");
    private static final ObjectMapper MAPPER = new ObjectMapper();

    public StackConfig {
        routes = List.copyOf(routes);
        deletions = List.copyOf(deletions);
        datasets = List.copyOf(datasets);
    }

    /** True when the stack creates the demo dataset group and routes to it: no routes and no datasets are given. */
    public boolean demoDatasets() {
        return routes.isEmpty() && datasets.isEmpty();
    }

    /**
     * Reads and validates every setting; the files the {@code datasets} key names are relative to the repository
     * around the working directory.
     */
    public static StackConfig fromContext(Function<String, Object> context) {
        return fromContext(context, RepositoryPaths.locate().root());
    }

    /**
     * Reads and validates every setting.
     *
     * @param context the context value of a key, or null when it is not set
     * @param root the folder of cdk.json, which the files the {@code datasets} key names are relative to
     * @throws InvalidContextException naming the first key whose value is wrong, with a valid example
     */
    public static StackConfig fromContext(Function<String, Object> context, Path root) {
        Optional<String> bucket = text(context, EXISTING_BUCKET_NAME);
        bucket.ifPresent(name -> require(BUCKET_NAME.matcher(name).matches(), EXISTING_BUCKET_NAME, name,
                "an S3 bucket name: 3-63 lowercase letters, digits, '.' or '-'", "-c existingBucketName=my-data-bucket"));
        Optional<String> keyArn = text(context, KMS_KEY_ARN);
        keyArn.ifPresent(arn -> require(KMS_KEY.matcher(arn).matches(), KMS_KEY_ARN, arn, "a KMS key ARN",
                "-c kmsKeyArn=arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"));
        boolean createKey = flag(context, CREATE_KMS_KEY, false);
        if (createKey && keyArn.isPresent()) {
            throw new InvalidContextException("Context keys " + CREATE_KMS_KEY + " and " + KMS_KEY_ARN
                    + " are both set: expected at most one of them (-c createKmsKey=true to let the stack create the"
                    + " key, or -c kmsKeyArn=arn:aws:kms:... to use yours)");
        }
        if (createKey && bucket.isPresent()) {
            throw new InvalidContextException("Context key " + CREATE_KMS_KEY + " is true while "
                    + EXISTING_BUCKET_NAME + " is set: the stack cannot change the encryption of a bucket it does not"
                    + " own; expected -c kmsKeyArn=<the key of that bucket>, or no key for an SSE-S3 bucket");
        }
        Optional<String> email = text(context, ALARM_EMAIL);
        email.ifPresent(address -> require(EMAIL.matcher(address).matches(), ALARM_EMAIL, address,
                "an email address", "-c alarmEmail=ops@example.com"));
        Optional<String> eventBus = text(context, EVENT_BUS);
        eventBus.ifPresent(value -> require(value.equals("stack") || value.equals("default"), EVENT_BUS, value,
                "\"stack\" (a bus the stack creates, the default) or \"default\" (the account's default bus)",
                "-c eventBus=default"));
        ContextRoutes routes = routes(context);
        List<DatasetsContext.Group> datasets = DatasetsContext.read(context.apply(DATASETS), root, VALIDATION_ROLE);
        if (routes.imports().isEmpty() && datasets.isEmpty() && !routes.deletions().isEmpty()) {
            throw new InvalidContextException("Context key " + ROUTES + " has only deletion routes ("
                    + routes.deletions().stream().map(DeletionRoute::name).toList() + "): expected at least one import"
                    + " route beside them, or the " + DATASETS + " key, as a deletion is ordered with the imports of"
                    + " its dataset group. Example: " + ROUTES_EXAMPLE);
        }
        checkAcrossRoutes(routes, datasets);
        return new StackConfig(routes.imports(), routes.deletions(), bucket, keyArn, createKey, pollPolicy(context), email,
                retention(context), removalPolicy(context), flag(context, PREFLIGHT, true),
                eventBus.map("default"::equals).orElse(false), datasets, maxImportJobs(context));
    }

    /** The routes key as read: its import and deletion routes, and where it declares each, by route name. */
    private record ContextRoutes(List<Route> imports, List<DeletionRoute> deletions, Map<String, String> where) {

        static final ContextRoutes NONE = new ContextRoutes(List.of(), List.of(), Map.of());
    }

    /** A route of either action, with where the context declares it, for the checks that span all routes. */
    private record Named(String name, String prefix, String where) {
    }

    /**
     * The routes of both keys, imports and deletions alike, become one ROUTES variable, which the functions refuse with
     * two routes of one name or a key that two prefixes match; each key's own routes are checked as they are read.
     */
    private static void checkAcrossRoutes(ContextRoutes routes, List<DatasetsContext.Group> datasets) {
        List<DatasetsContext.Declared> created = DatasetsContext.declaredRoutes(datasets);
        List<DatasetsContext.DeclaredDeletion> createdDeletions = DatasetsContext.declaredDeletions(datasets);
        List<Named> all = new ArrayList<>();
        routes.imports().forEach(route -> all.add(new Named(route.name(), route.prefix(),
                routes.where().get(route.name()))));
        routes.deletions().forEach(route -> all.add(new Named(route.name(), route.prefix(),
                routes.where().get(route.name()))));
        for (DatasetsContext.Declared declared : created) {
            requireFilterValue(declared.where(), "prefix", declared.route().prefix(), DatasetsContext.EXAMPLE);
            if (declared.route().group() == Route.Group.FOLDER) {
                requireFilterValue(declared.where(), "marker", declared.route().marker(), DatasetsContext.EXAMPLE);
            }
            all.add(new Named(declared.route().name(), declared.route().prefix(), declared.where()));
        }
        for (DatasetsContext.DeclaredDeletion declared : createdDeletions) {
            requireFilterValue(declared.where(), "prefix", declared.route().prefix(), DatasetsContext.EXAMPLE);
            all.add(new Named(declared.route().name(), declared.route().prefix(), declared.where()));
        }
        for (int i = 0; i < all.size(); i++) {
            for (int j = i + 1; j < all.size(); j++) {
                Named a = all.get(i);
                Named b = all.get(j);
                if (a.name().equals(b.name())) {
                    throw new InvalidContextException("Context key " + DATASETS + " has two routes named '" + a.name()
                            + "' (" + a.where() + " and " + b.where() + "): expected unique route names across "
                            + ROUTES + " and " + DATASETS + ". Example: " + DatasetsContext.EXAMPLE);
                }
                if (a.prefix().startsWith(b.prefix()) || b.prefix().startsWith(a.prefix())) {
                    throw new InvalidContextException("Context key " + DATASETS + " has overlapping prefixes '"
                            + a.prefix() + "' (" + a.where() + ") and '" + b.prefix() + "' (" + b.where() + "):"
                            + " expected prefixes of which none starts another, across " + ROUTES + " and " + DATASETS
                            + ", so each file has one route. Example: " + DatasetsContext.EXAMPLE);
                }
            }
        }
    }

    /** The most import jobs the pipeline runs at once in its region: Personalize's five, or fewer to leave room. */
    private static int maxImportJobs(Function<String, Object> context) {
        Optional<String> raw = text(context, MAX_IMPORT_JOBS);
        if (raw.isEmpty()) {
            return PipelineConfig.REGION_IMPORT_JOBS;
        }
        int value;
        try {
            value = Integer.parseInt(raw.get());
        } catch (NumberFormatException e) {
            value = 0;
        }
        require(value >= 1 && value <= PipelineConfig.REGION_IMPORT_JOBS, MAX_IMPORT_JOBS, raw.get(),
                "a whole number from 1 to " + PipelineConfig.REGION_IMPORT_JOBS + " (default "
                        + PipelineConfig.REGION_IMPORT_JOBS + ", the import jobs Personalize runs at once per region;"
                        + " fewer leaves room for jobs started outside the pipeline)", "-c maxImportJobs=3");
        return value;
    }

    private static ContextRoutes routes(Function<String, Object> context) {
        Object raw = context.apply(ROUTES);
        if (raw == null || (raw instanceof String s && s.isBlank())) {
            return ContextRoutes.NONE;
        }
        String json;
        try {
            json = raw instanceof String s ? s : MAPPER.writeValueAsString(raw);
        } catch (JsonProcessingException e) {
            throw new InvalidContextException("Context key " + ROUTES + " cannot be read as JSON: expected a JSON"
                    + " array of routes, for example " + ROUTES_EXAMPLE);
        }
        rejectRoleArns(json);
        RouteTable table;
        try {
            table = RouteTable.parse(json, VALIDATION_ROLE);
        } catch (ConfigurationException e) {
            throw new InvalidContextException(e.getMessage()
                    .replace("Environment variable " + RouteTable.VARIABLE, "Context key " + ROUTES)
                    .replaceFirst("\\. Example: .*$", ". Example: " + ROUTES_EXAMPLE));
        }
        // RouteTable keeps imports and deletions apart: a route's place in the key is found again by its unique name.
        Map<String, String> where = new HashMap<>();
        JsonNode declared = tree(json);
        for (int i = 0; i < declared.size(); i++) {
            where.put(declared.get(i).path("name").asText(), ROUTES + "[" + i + "]");
        }
        for (Route route : table.routes()) {
            requireFilterValue(where.get(route.name()), "prefix", route.prefix(), ROUTES_EXAMPLE);
            if (route.group() == Route.Group.FOLDER) {
                requireFilterValue(where.get(route.name()), "marker", route.marker(), ROUTES_EXAMPLE);
            }
        }
        for (DeletionRoute route : table.deletions()) {
            requireFilterValue(where.get(route.name()), "prefix", route.prefix(), ROUTES_EXAMPLE);
        }
        return new ContextRoutes(table.routes(), table.deletions(), where);
    }

    /** The routes key's JSON, which RouteTable has read already. */
    private static JsonNode tree(String json) {
        try {
            return MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("RouteTable accepted routes that Jackson cannot read", e);
        }
    }

    /**
     * A prefix or marker becomes an S3 notification filter value, written URL-encoded ({@link KeyFilters}); the few
     * characters whose encoding in S3's event keys is not settled are refused, instead of a notification that silently
     * never fires.
     */
    private static void requireFilterValue(String where, String field, String value, String example) {
        if (!KeyFilters.isEncodable(value)) {
            throw new InvalidContextException("Context key " + where + " " + field + " '" + value
                    + "' has a character that S3 notification filters cannot match reliably: expected none of"
                    + " ~ * ' ( ) ! or control characters. Example: " + example);
        }
    }

    /** The stack creates the one role Personalize assumes; a route naming another could not be granted safely. */
    private static void rejectRoleArns(String json) {
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            return;
        }
        if (root == null || !root.isArray()) {
            return;
        }
        for (int i = 0; i < root.size(); i++) {
            if (root.get(i).has("roleArn")) {
                throw new InvalidContextException("Context key " + ROUTES + "[" + i + "] has a roleArn: the stack"
                        + " creates the role Personalize assumes and grants it the routed prefixes; expected no"
                        + " roleArn. Example: " + ROUTES_EXAMPLE);
            }
        }
    }

    /** The describe function's own validation (PollPolicy.from), so a policy it would refuse is never deployed. */
    private static PollPolicy pollPolicy(Function<String, Object> context) {
        Map<String, String> variables = new HashMap<>();
        POLL_KEYS.forEach((variable, key) -> text(context, key).ifPresent(value -> variables.put(variable, value)));
        try {
            return PollPolicy.from(new Environment(variables));
        } catch (ConfigurationException e) {
            String message = e.getMessage().replace("Environment variables ", "Context keys ")
                    .replace("Environment variable ", "Context key ");
            for (Map.Entry<String, String> name : POLL_KEYS.entrySet()) {
                message = message.replace(name.getKey(), name.getValue());
            }
            String text = message;
            String example = POLL_EXAMPLES.keySet().stream()
                    .filter(key -> text.contains(key))
                    .sorted(java.util.Comparator.comparingInt(text::indexOf))
                    .map(key -> "-c " + key + "=" + POLL_EXAMPLES.get(key))
                    .collect(java.util.stream.Collectors.joining(" "));
            throw new InvalidContextException(message + ". Example: " + example);
        }
    }

    private static RetentionDays retention(Function<String, Object> context) {
        Optional<String> raw = text(context, LOG_RETENTION_DAYS);
        if (raw.isEmpty()) {
            return RetentionDays.THREE_MONTHS;
        }
        int days;
        try {
            days = Integer.parseInt(raw.get());
        } catch (NumberFormatException e) {
            days = -1;
        }
        int value = days;
        require(RETENTION_DAYS.contains(days), LOG_RETENTION_DAYS, raw.get(),
                "one of CloudWatch Logs' retention periods " + RETENTION_DAYS, "-c logRetentionDays=90");
        return Arrays.stream(RetentionDays.values())
                .filter(retention -> retention != RetentionDays.INFINITE && days(retention) == value)
                .findFirst().orElseThrow();
    }

    private static int days(RetentionDays retention) {
        return switch (retention) {
            case ONE_DAY -> 1;
            case THREE_DAYS -> 3;
            case FIVE_DAYS -> 5;
            case ONE_WEEK -> 7;
            case TWO_WEEKS -> 14;
            case ONE_MONTH -> 30;
            case TWO_MONTHS -> 60;
            case THREE_MONTHS -> 90;
            case FOUR_MONTHS -> 120;
            case FIVE_MONTHS -> 150;
            case SIX_MONTHS -> 180;
            case ONE_YEAR -> 365;
            case THIRTEEN_MONTHS -> 400;
            case EIGHTEEN_MONTHS -> 545;
            case TWO_YEARS -> 731;
            case THREE_YEARS -> 1096;
            case FIVE_YEARS -> 1827;
            case SIX_YEARS -> 2192;
            case SEVEN_YEARS -> 2557;
            case EIGHT_YEARS -> 2922;
            case NINE_YEARS -> 3288;
            case TEN_YEARS -> 3653;
            default -> -1;
        };
    }

    private static RemovalPolicy removalPolicy(Function<String, Object> context) {
        String raw = text(context, REMOVAL_POLICY).orElse("RETAIN");
        return switch (raw.toUpperCase(Locale.ROOT)) {
            case "RETAIN" -> RemovalPolicy.RETAIN;
            case "DESTROY" -> RemovalPolicy.DESTROY;
            default -> throw new InvalidContextException("Context key " + REMOVAL_POLICY + " is '" + raw
                    + "': expected RETAIN (the default: the bucket, its key and the datasets outlive the stack) or"
                    + " DESTROY (cdk destroy deletes them with their data). Example: -c removalPolicy=RETAIN");
        };
    }

    private static boolean flag(Function<String, Object> context, String key, boolean defaultValue) {
        Optional<String> raw = text(context, key);
        if (raw.isEmpty()) {
            return defaultValue;
        }
        return switch (raw.get().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new InvalidContextException("Context key " + key + " is '" + raw.get()
                    + "': expected true or false (default " + defaultValue + "). Example: -c " + key + "="
                    + defaultValue);
        };
    }

    /** A context value as text: {@code -c} gives strings, cdk.json may give numbers and booleans. */
    private static Optional<String> text(Function<String, Object> context, String key) {
        Object raw = context.apply(key);
        if (raw == null) {
            return Optional.empty();
        }
        if (raw instanceof Number number && number.doubleValue() == Math.rint(number.doubleValue())) {
            // cdk.json numbers may arrive as doubles: 15 must read as "15", not "15.0".
            return Optional.of(Long.toString(number.longValue()));
        }
        if (raw instanceof String || raw instanceof Number || raw instanceof Boolean) {
            String value = raw.toString().trim();
            return value.isEmpty() ? Optional.empty() : Optional.of(value);
        }
        throw new InvalidContextException("Context key " + key + " is " + raw + ": expected a single value, not "
                + (raw instanceof List<?> ? "a list" : "an object") + ". Example: -c " + key + "=<value>");
    }

    private static void require(boolean valid, String key, String value, String expected, String example) {
        if (!valid) {
            throw new InvalidContextException("Context key " + key + " is '" + value + "': expected " + expected
                    + ". Example: " + example);
        }
    }
}
