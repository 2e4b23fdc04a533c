package io.personalizeimport.local.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.personalizeimport.lambdas.config.Route;
import io.personalizeimport.local.RepositoryRoot;
import io.personalizeimport.local.notifications.NotificationFilter;
import io.personalizeimport.local.personalize.SchemaCheck;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The routes of the local stack: checked as the functions check them, and followed by the S3 notifications. */
class LocalStackRoutesTest {

    @Test
    void folderRoute_shouldAlsoNotifyItsMarkerInsideAFolder() throws IOException {
        // GIVEN a file route and a folder route whose marker is _DONE
        List<NotificationFilter> filters = LocalStack.notificationFilters(LocalStack.parseRoutes(
                Files.readString(Path.of("src/test/resources/routes/folder-and-two-routes-one-dataset.json"))));

        // WHEN their notifications are made
        NotificationFilter clicks = filters.get(0);
        NotificationFilter exports = filters.get(1);

        // THEN each notifies its CSVs, and the folder route also the marker of a folder under its prefix
        assertEquals(List.of("clicks", "exports", "users"), filters.stream().map(NotificationFilter::id).toList());
        assertTrue(clicks.matches("clicks/a.csv"));
        assertFalse(clicks.matches("clicks/2026/_DONE"));
        assertTrue(exports.matches("exports/2026-11-24/part-00000.csv"));
        assertTrue(exports.matches("exports/2026-11-24/_DONE"));
        assertFalse(exports.matches("exports/_DONE"), "a marker directly under the prefix closes no folder");
        assertFalse(exports.matches("exports/2026-11-24/NOT_DONE"));
        assertFalse(exports.matches("exports/2026-11-24/_SUCCESS"));
    }

    @Test
    void demoRoutes_shouldNotifyOnlyCsvFiles() {
        List<NotificationFilter> filters = LocalStack.notificationFilters(
                LocalStack.parseRoutes(LocalStack.builder().dataDir(Path.of("unused")).build().routesJson()));

        assertEquals(List.of("interactions", "users", "items"), filters.stream().map(NotificationFilter::id).toList());
        filters.forEach(filter -> assertEquals(Route.CSV_SUFFIXES, filter.suffixes()));
    }

    @Test
    void deletionRoute_shouldNotifyItsListsOfUsers() {
        List<NotificationFilter> filters = LocalStack.notificationFilters(LocalStack.parseRoutes("[{\"name\":\"users\","
                + "\"prefix\":\"users/\",\"datasetArn\":\"" + LocalStack.demoDatasetArn("USERS") + "\"},"
                + "{\"name\":\"forget\",\"prefix\":\"forget/\",\"action\":\"delete\",\"datasetGroupArn\":\""
                + LocalStack.datasetGroupArn(LocalStack.DATASET_GROUP) + "\"}]"));

        assertEquals(List.of("users", "forget"), filters.stream().map(NotificationFilter::id).toList());
        assertTrue(filters.get(1).matches("forget/2026-12-07.csv"));
        assertFalse(filters.get(1).matches("users/a.csv"));
    }

    @Test
    void routesBuilderOption_shouldFailTheBuildLikeParseRoutes() {
        // GIVEN routes naming a dataset of another account
        String routes = "[{\"name\":\"x\",\"prefix\":\"x/\","
                + "\"datasetArn\":\"arn:aws:personalize:us-east-1:123456789012:dataset/other/ITEMS\"}]";

        // WHEN a stack is built with them THEN it fails, saying which datasets it can have
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> LocalStack.builder().dataDir(Path.of("unused")).routes(routes).build());
        assertTrue(error.getMessage().contains("expected arn:aws:personalize:us-east-1:000000000000:dataset/GROUP/TYPE"),
                error.getMessage());
    }

    @Test
    void everyDefaultSchema_shouldFollowItsTypesRulesInACustomGroup() {
        // The stack checks a default schema only in a domain group, so each must pass in a custom one.
        for (String type : SchemaCheck.DATASET_TYPES) {
            assertEquals(Optional.empty(), SchemaCheck.problem(type, LocalStack.defaultSchema(
                    RepositoryRoot.find(), type)), type);
        }
    }

    @Test
    void routesIntoAnyGroupOfTheLocalAccount_shouldEachBeADatasetToCreate() {
        // GIVEN routes into two groups of the local account, one of them a group the demo does not have
        String routes = "[{\"name\":\"a\",\"prefix\":\"a/\","
                + "\"datasetArn\":\"arn:aws:personalize:us-east-1:000000000000:dataset/other/ACTIONS\"},"
                + "{\"name\":\"b\",\"prefix\":\"b/\",\"datasetArn\":\"" + LocalStack.demoDatasetArn("USERS")
                + "\"}]";

        // WHEN a stack is built with them THEN it will create both datasets, each with its type's default schema
        LocalStack stack = LocalStack.builder().dataDir(Path.of("unused")).routes(routes).build();
        assertEquals(List.of("other/ACTIONS", "personalize-import-demo/USERS"),
                stack.datasets().stream().map(DatasetPlan.Dataset::key).toList());
    }
}
