package io.personalizeimport.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pinned CLI synthesizes the app through cdk.json, exactly as {@code npx cdk synth} does for a user. */
class CdkCliSynthTest {

    private static final long TIMEOUT_MINUTES = 5;

    @Test
    void npxCdkSynthFromTheRepositoryRoot_shouldSucceedAndWriteTheTemplate(@TempDir Path out) throws Exception {
        Path root = RepositoryPaths.locate().root();
        Path cli = root.resolve("node_modules/aws-cdk/bin/cdk");
        assertTrue(Files.isRegularFile(cli), "The pinned CDK CLI is missing: run 'npm ci' at " + root);
        Path log = out.resolve("synth.log");
        Process process = new ProcessBuilder(List.of("node", cli.toString(), "synth", "--quiet", "--no-notices",
                "--output", out.resolve("cdk.out").toString()))
                .directory(root.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        if (!process.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError("cdk synth did not finish within " + TIMEOUT_MINUTES + " minutes:\n" + tail(log));
        }
        assertEquals(0, process.exitValue(), () -> "cdk synth failed:\n" + tail(log));
        Path template = out.resolve("cdk.out").resolve(PipelineStack.STACK_NAME + ".template.json");
        assertTrue(Files.isRegularFile(template) && Files.size(template) > 0, "no template at " + template);
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }
}
