package io.personalizeimport.local.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.personalizeimport.lambdas.config.Route;
import io.personalizeimport.local.personalize.Domain;
import io.personalizeimport.local.stack.DatasetPlan;
import io.personalizeimport.local.stack.LocalStack;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code local/run up --routes FILE --schema TYPE=FILE}: the files are read and checked before anything starts. */
class UpCommandTest {

    @TempDir
    Path dataDir;

    @Test
    void validRoutesFile_shouldGiveTheFunctionsThoseRoutes() throws Exception {
        // GIVEN a routes file with two routes into one dataset, one of them by folder
        Path file = resource("routes/folder-and-two-routes-one-dataset.json");

        // WHEN up is configured with it
        LocalStack stack = UpCommand.configure(args("--routes", file.toString()), dataDir).build();

        // THEN the stack routes as the file says
        assertEquals(List.of("clicks", "exports", "users"), stack.routes().stream().map(Route::name).toList());
        assertEquals(Route.Group.FOLDER, stack.routes().get(1).group());
        assertEquals(LocalStack.demoDatasetArn("INTERACTIONS"), stack.datasetArn("exports"));
        assertEquals(stack.routes(), LocalStack.parseRoutes(stack.routesJson()).routes());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "routes/not-json.json             | is not valid JSON",
        "routes/missing-dataset.json      | ROUTES[0] is missing 'datasetArn'",
        "routes/overlapping-prefixes.json | overlapping prefixes 'data/' (a) and 'data/users/' (b)",
        "routes/unknown-dataset.json      | Route 'shop': dataset arn:aws:personalize:eu-west-1:123456789012:dataset/"
                + "shop/USERS is of region 'eu-west-1' and account '123456789012', not of the local stack's region"
                + " us-east-1 and account 000000000000",
        "routes/unknown-type.json         | Route 'shop': dataset arn:aws:personalize:us-east-1:000000000000:dataset/"
                + "shop/EVENTS has the unknown type 'EVENTS': expected arn:aws:personalize:us-east-1:000000000000:"
                + "dataset/GROUP/TYPE with TYPE one of [INTERACTIONS, ITEMS, USERS, ACTIONS, ACTION_INTERACTIONS]",
        "routes/malformed-dataset.json    | Route 'shop': dataset arn:aws:personalize:us-east-1:000000000000:dataset/"
                + "shop does not name a dataset group and a type"})
    void badRoutesFile_shouldBeAUsageErrorNamingTheFileAndTheProblem(String name, String problem) throws Exception {
        // GIVEN a routes file that the functions would refuse, or that names a dataset the stack cannot have
        Path file = resource(name);

        // WHEN up is configured with it
        UsageException error = assertThrows(UsageException.class,
                () -> UpCommand.configure(args("--routes", file.toString()), dataDir));

        // THEN the message names the file and what is wrong
        assertTrue(error.getMessage().startsWith("up: --routes " + file + " is not a valid routes file: "),
                error.getMessage());
        assertTrue(error.getMessage().contains(problem), error.getMessage());
    }

    @Test
    void badRoutesFile_shouldExitTwoBeforeStartingAnything() throws Exception {
        // GIVEN a routes file naming a dataset of another region and account
        Path file = resource("routes/unknown-dataset.json");

        // WHEN up runs with it
        int exit = Commands.run(new String[] {"up", "--routes", file.toString(), "--data-dir", dataDir.toString()});

        // THEN it is a usage error, and the data directory was never touched
        assertEquals(Cli.USAGE, exit);
        try (var entries = Files.list(dataDir)) {
            assertEquals(0, entries.count());
        }
    }

    @Test
    void missingRoutesFile_shouldExitOne() {
        // GIVEN a routes path with no file
        Path missing = dataDir.resolve("nowhere.json");

        // WHEN up runs with it
        int exit = Commands.run(new String[] {"up", "--routes", missing.toString(), "--data-dir", dataDir.toString()});

        // THEN it fails as for any missing file
        assertEquals(Cli.FAILED, exit);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "USERS=schemas/users-without-id.avsc | the schema has no USER_ID field, which USERS datasets require",
        "users=schemas/users-map-field.avsc  | field TAGS has type {\"type\":\"map\",\"values\":\"string\"}",
        "ITEMS=schemas/users-with-age.avsc   | the schema has no ITEM_ID field, which ITEMS datasets require"})
    void unusableSchema_shouldBeAUsageErrorNamingTheFileAndTheProblem(String spec, String problem) throws Exception {
        // GIVEN a schema the emulator would refuse for that dataset type
        int equals = spec.indexOf('=');
        Path file = resource(spec.substring(equals + 1));
        String type = spec.substring(0, equals).toUpperCase(java.util.Locale.ROOT);

        // WHEN up is configured with it
        UsageException error = assertThrows(UsageException.class, () -> UpCommand.configure(
                args("--schema", spec.substring(0, equals) + "=" + file), dataDir));

        // THEN the message names the type, the file and the problem
        assertTrue(error.getMessage().startsWith("up: --schema " + type + "=" + file + " cannot be the " + type
                + " schema: "), error.getMessage());
        assertTrue(error.getMessage().contains(problem), error.getMessage());
    }

    @ParameterizedTest
    @CsvSource({"USERS", "=x.avsc", "USERS="})
    void malformedSchemaOption_shouldBeAUsageError(String spec) {
        UsageException error = assertThrows(UsageException.class,
                () -> UpCommand.configure(args("--schema", spec), dataDir));

        assertTrue(error.getMessage().contains("--schema expects [GROUP/]TYPE=FILE.avsc, got '" + spec + "'"),
                error.getMessage());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "EVENTS=x.avsc      | 'EVENTS' is not a dataset type: expected one of [INTERACTIONS, ITEMS, USERS, ACTIONS,"
                + " ACTION_INTERACTIONS]",
        "shop!/USERS=x.avsc | 'shop!' is not a dataset group name",
        "ACTIONS=x.avsc     | no route names dataset personalize-import-demo/ACTIONS; the routes name"
                + " [personalize-import-demo/INTERACTIONS, personalize-import-demo/USERS, personalize-import-demo/ITEMS]",
        "shop/USERS=x.avsc  | no route names dataset shop/USERS"})
    void schemaForNoRoutedDataset_shouldBeAUsageErrorBeforeTheFileIsRead(String spec, String problem) {
        // GIVEN the demo routes and a --schema for a dataset they cannot or do not name, its file missing
        // WHEN up is configured THEN it is a usage error naming the dataset, not a missing file
        UsageException error = assertThrows(UsageException.class,
                () -> UpCommand.configure(args("--schema", spec), dataDir));

        assertTrue(error.getMessage().contains(problem), error.getMessage());
    }

    @Test
    void schemaGivenTwiceForOneDataset_shouldBeAUsageError() throws Exception {
        Path file = resource("schemas/users-with-age.avsc");

        UsageException error = assertThrows(UsageException.class, () -> UpCommand.configure(
                args("--schema", "USERS=" + file, "--schema", "users=" + file), dataDir));

        assertTrue(error.getMessage().contains("--schema names USERS twice"), error.getMessage());
    }

    @Test
    void usableSchema_shouldBeAccepted() throws Exception {
        Path file = resource("schemas/users-with-age.avsc");

        LocalStack stack = UpCommand.configure(args("--schema", "USERS=" + file), dataDir).build();

        assertEquals(LocalStack.DEMO_ROUTES.size(), stack.routes().size());
        assertEquals(Optional.of(Files.readString(file)), stack.datasets().stream()
                .filter(dataset -> dataset.key().equals("personalize-import-demo/USERS")).findFirst().orElseThrow()
                .schema());
    }

    @Test
    void routesIntoTwoGroups_shouldCreateEveryDatasetTheyNameWithItsDomainAndSchema() throws Exception {
        // GIVEN routes into an ECOMMERCE shop (interactions, items) and a custom app (actions, action interactions)
        Path routes = resource("routes/two-groups.json");
        Path items = resource("schemas/shop-items-ecommerce.avsc");

        // WHEN up is configured with them, the shop's domain and its items' schema
        LocalStack stack = UpCommand.configure(args("--routes", routes.toString(), "--domain", "shop=ECOMMERCE",
                "--schema", "shop/items=" + items), dataDir).build();

        // THEN the stack creates the four datasets: the given schema for shop/ITEMS, the defaults for the others
        assertEquals(List.of("shop/INTERACTIONS", "shop/ITEMS", "app/ACTIONS", "app/ACTION_INTERACTIONS"),
                stack.datasets().stream().map(DatasetPlan.Dataset::key).toList());
        assertEquals(List.of(Domain.ECOMMERCE, Domain.ECOMMERCE, Domain.CUSTOM, Domain.CUSTOM),
                stack.datasets().stream().map(DatasetPlan.Dataset::domain).toList());
        assertEquals(Optional.of(Files.readString(items)), stack.datasets().get(1).schema());
        assertEquals(Optional.empty(), stack.datasets().get(2).schema(), "the default, read when the stack starts");
        assertEquals("arn:aws:personalize:us-east-1:000000000000:dataset/app/ACTION_INTERACTIONS",
                stack.datasets().get(3).arn());
    }

    @Test
    void readmesTwoGroupExample_shouldConfigureEightDatasets() {
        // GIVEN docs/local-stack.md's command for the example in local/examples/two-groups
        Path example = Cli.root().resolve("local/examples/two-groups");

        // WHEN up is configured with it
        LocalStack stack = UpCommand.configure(args("--routes", example.resolve("routes.json").toString(),
                "--domain", "shop=ECOMMERCE", "--schema", "shop/ITEMS=" + example.resolve("shop-items.avsc")), dataDir)
                .build();

        // THEN it hosts the shop's three datasets and the app's five
        assertEquals(List.of("shop/INTERACTIONS", "shop/ITEMS", "shop/USERS", "app/INTERACTIONS", "app/ITEMS",
                "app/USERS", "app/ACTIONS", "app/ACTION_INTERACTIONS"),
                stack.datasets().stream().map(DatasetPlan.Dataset::key).toList());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "--domain shop=ECOMMERCE                                 | the default schema for dataset shop/ITEMS (in a"
                + " group of the ECOMMERCE domain) cannot be used: the schema has no CATEGORY_L1 field, which ITEMS datasets of"
                + " the ECOMMERCE domain require; give the dataset a schema of its own",
        "--domain app=VIDEO_ON_DEMAND                            | ACTIONS datasets cannot be in a domain dataset"
                + " group (VIDEO_ON_DEMAND)",
        "--domain shop=RETAIL                                    | --domain expects GROUP=DOMAIN with DOMAIN"
                + " ECOMMERCE or VIDEO_ON_DEMAND, got 'shop=RETAIL'",
        "--domain other=ECOMMERCE                                | --domain other=ECOMMERCE: no route names a dataset"
                + " of group other; the routes name the groups [shop, app]",
        "--domain shop=ECOMMERCE --domain shop=VIDEO_ON_DEMAND   | --domain names group shop twice",
        "--schema app/ACTIONS=@ELEVEN@                           | cannot be the app/ACTIONS schema: the schema has 11"
                + " fields: ACTIONS datasets allow at most 10 columns",
        "--schema shop/ITEMS=@ITEMS@ --schema shop/items=@ITEMS@ | --schema names shop/ITEMS twice"})
    void badDomainOrSchemaForTwoGroups_shouldBeAUsageErrorNamingTheProblem(String options, String problem)
            throws Exception {
        // GIVEN the two groups' routes and options that break a type's or domain's rules, or name nothing routed
        List<String> argv = new java.util.ArrayList<>(List.of("--routes", resource("routes/two-groups.json").toString()));
        for (String option : options.split(" ")) {
            argv.add(option.replace("@ELEVEN@", resource("schemas/actions-eleven-columns.avsc").toString())
                    .replace("@ITEMS@", resource("schemas/shop-items-ecommerce.avsc").toString()));
        }

        // WHEN up is configured with them THEN it is a usage error saying what is wrong
        UsageException error = assertThrows(UsageException.class,
                () -> UpCommand.configure(args(argv.toArray(String[]::new)), dataDir));
        assertTrue(error.getMessage().contains(problem), error.getMessage());
    }

    @Test
    void schemaBreakingItsDomain_shouldExitTwoNamingTheFile() throws Exception {
        // GIVEN an ECOMMERCE shop whose items schema lacks the domain's CATEGORY_L1
        Path items = resource("schemas/users-with-age.avsc");

        // WHEN up runs with it
        int exit = Commands.run(new String[] {"up", "--routes", resource("routes/two-groups.json").toString(),
            "--domain", "shop=ECOMMERCE", "--schema", "shop/ITEMS=" + items, "--data-dir", dataDir.toString()});

        // THEN it is a usage error, before anything starts
        assertEquals(Cli.USAGE, exit);
        try (var entries = Files.list(dataDir)) {
            assertEquals(0, entries.count());
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "                                      | 0",
        "--port-base 21000                     | 21006",
        "--port-base 21000 --console-port 8080 | 8080",
        "--console-port 0                      | 0"})
    void consolePort_shouldFollowPortBaseUnlessGiven(String options, int expected) {
        // GIVEN up's options; WHEN the console's port is chosen; THEN it is N+6 of --port-base N unless given
        String[] argv = options == null ? new String[0] : options.split(" ");

        assertEquals(expected, UpCommand.consolePort("up", args(argv)));
    }

    @Test
    void consolePortOutOfRange_shouldBeAUsageError() {
        assertThrows(UsageException.class, () -> UpCommand.consolePort("up", args("--console-port", "70000")));
    }

    private static Args args(String... argv) {
        return Args.parse("up", argv, Set.of("--routes", "--schema", "--domain", "--port-base", "--console-port",
                "--max-import-jobs"),
                Set.of());
    }

    private static Path resource(String name) throws URISyntaxException {
        return Path.of(UpCommandTest.class.getClassLoader().getResource(name).toURI());
    }

    @Test
    void maxImportJobs_shouldBeAWholeNumberFromOneToFive() {
        assertEquals(5, UpCommand.maxImportJobs(args()));
        assertEquals(2, UpCommand.maxImportJobs(args("--max-import-jobs", "2")));
        for (String bad : List.of("0", "6", "2.5", "two")) {
            UsageException error = assertThrows(UsageException.class,
                    () -> UpCommand.maxImportJobs(args("--max-import-jobs", bad)));
            assertTrue(error.getMessage().startsWith("up: --max-import-jobs expects a"), error.getMessage());
        }
    }
}
