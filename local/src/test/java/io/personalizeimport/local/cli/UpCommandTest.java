package io.personalizeimport.local.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.personalizeimport.lambdas.config.Route;
import io.personalizeimport.local.stack.LocalStack;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
        "routes/unknown-dataset.json      | names dataset arn:aws:personalize:eu-west-1:123456789012:dataset/shop/USERS,"
                + " which the local stack does not have"})
    void badRoutesFile_shouldBeAUsageErrorNamingTheFileAndTheProblem(String name, String problem) throws Exception {
        // GIVEN a routes file that the functions would refuse, or that names a dataset the stack lacks
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
        // GIVEN a routes file naming a dataset the stack lacks
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
    @CsvSource({"USERS", "ACTIONS=x.avsc", "=x.avsc", "USERS="})
    void malformedSchemaOption_shouldBeAUsageError(String spec) {
        UsageException error = assertThrows(UsageException.class,
                () -> UpCommand.configure(args("--schema", spec), dataDir));

        assertTrue(error.getMessage().contains("--schema expects TYPE=FILE.avsc with TYPE one of [INTERACTIONS, USERS,"
                + " ITEMS], got '" + spec + "'"), error.getMessage());
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

        LocalStack.Builder builder = UpCommand.configure(args("--schema", "USERS=" + file), dataDir);

        assertFalse(LocalStack.schemaProblem("USERS", Files.readString(file)).isPresent());
        assertEquals(LocalStack.DEMO_ROUTES.size(), builder.build().routes().size());
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
        return Args.parse("up", argv, Set.of("--routes", "--schema", "--port-base", "--console-port"), Set.of());
    }

    private static Path resource(String name) throws URISyntaxException {
        return Path.of(UpCommandTest.class.getClassLoader().getResource(name).toURI());
    }
}
