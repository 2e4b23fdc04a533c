package io.personalizeimport.local.personalize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.personalizeimport.local.RepositoryRoot;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.personalize.model.ImportMode;

/**
 * The AWS SDK for JavaScript, a client independent of the Java SDK the other tests use, runs a data deletion job on the
 * emulator (local/src/test/resources/personalize/data-deletion-jobs.mjs under Node.js, as the local stack runs
 * aws-local-stepfunctions): it parses every answer by the service model, so its success proves the wire format.
 */
class JsSdkDataDeletionTest {

    private static final Path SCRIPT = Path.of("local/src/test/resources/personalize/data-deletion-jobs.mjs");
    private static final Path SDK_PACKAGE = Path.of("node_modules/@aws-sdk/client-personalize");

    @TempDir
    Path root;
    private EmulatorHarness harness;

    @BeforeEach
    void start() {
        harness = new EmulatorHarness(root, null, DataDeletionJobTest.STEP_MILLIS);
    }

    @AfterEach
    void stop() {
        harness.close();
    }

    @Test
    void javaScriptSdk_shouldCreateDescribeAndListADataDeletionJob() throws Exception {
        // GIVEN a group whose users dataset holds u0..u19, and a file naming three of them
        String groupArn = harness.personalize.createDatasetGroup(b -> b.name("js")).datasetGroupArn();
        String schemaArn = harness.personalize.createSchema(b -> b.name("js-users")
                .schema(EmulatorHarness.USERS_SCHEMA)).schemaArn();
        String usersArn = harness.personalize.createDataset(b -> b.name("js-users").datasetGroupArn(groupArn)
                .schemaArn(schemaArn).datasetType("Users")).datasetArn();
        StringBuilder users = new StringBuilder("USER_ID,AGE,MEMBER\n");
        IntStream.range(0, 20).forEach(i -> users.append('u').append(i).append(",30,false\n"));
        String usersLocation = harness.put("js/users.csv", users.toString());
        assertEquals("ACTIVE", harness.finalState(harness.startImport("js-users", usersArn, usersLocation,
                ImportMode.FULL)).status());
        String location = harness.put("js/forget.csv", "USER_ID\nu2\nu5\nu11\nnever-imported\n");

        // WHEN the JavaScript SDK creates the job, describes it until it ends and lists the group's jobs
        JsonNode out = runScript(harness.emulator.endpoint().toString(), groupArn, location, "js-forget",
                EmulatorHarness.ROLE_ARN);

        // THEN it read every answer: the ARN, each status, the job's members with numDeleted and the list
        String jobArn = "arn:aws:personalize:us-east-1:000000000000:data-deletion-job/js-forget";
        assertEquals(jobArn, out.path("created").path("dataDeletionJobArn").asText());
        assertEquals(List.of("PENDING", "IN_PROGRESS", "COMPLETED"), texts(out.path("statuses")));
        JsonNode job = out.path("described").path("dataDeletionJob");
        assertEquals("js-forget", job.path("jobName").asText());
        assertEquals(jobArn, job.path("dataDeletionJobArn").asText());
        assertEquals(groupArn, job.path("datasetGroupArn").asText());
        assertEquals(location, job.path("dataSource").path("dataLocation").asText());
        assertEquals(EmulatorHarness.ROLE_ARN, job.path("roleArn").asText());
        assertEquals("COMPLETED", job.path("status").asText());
        assertEquals(3, job.path("numDeleted").asInt(-1));
        assertFalse(job.has("failureReason"));
        assertTrue(out.path("timestampsAreDates").asBoolean());
        JsonNode listed = out.path("listed").path("dataDeletionJobs");
        assertEquals(1, listed.size());
        assertEquals(jobArn, listed.get(0).path("dataDeletionJobArn").asText());
        assertEquals("COMPLETED", listed.get(0).path("status").asText());
        assertFalse(out.path("listed").has("nextToken"));
        assertEquals(17, harness.emulator.recordCount(usersArn));
    }

    private static JsonNode runScript(String... args) throws IOException, InterruptedException {
        Path repository = RepositoryRoot.find();
        assertTrue(Files.isDirectory(repository.resolve(SDK_PACKAGE)),
                repository.resolve(SDK_PACKAGE) + " is missing: run npm ci at the repository root");
        List<String> command = new ArrayList<>(List.of("node", repository.resolve(SCRIPT).toString()));
        command.addAll(List.of(args));
        Path stderr = Files.createTempFile("data-deletion-jobs", ".stderr");
        Process node = new ProcessBuilder(command).directory(repository.toFile())
                .redirectError(stderr.toFile()).start();
        byte[] stdout = node.getInputStream().readAllBytes();
        if (!node.waitFor(60, TimeUnit.SECONDS)) {
            node.destroyForcibly();
            throw new AssertionError("node " + SCRIPT + " did not end within 60 s");
        }
        String errors = Files.readString(stderr, StandardCharsets.UTF_8);
        Files.delete(stderr);
        assertEquals(0, node.exitValue(), "node " + SCRIPT + " failed: " + errors);
        return new ObjectMapper().readTree(stdout);
    }

    private static List<String> texts(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false).map(JsonNode::asText).toList();
    }
}
