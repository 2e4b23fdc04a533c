package io.personalizeimport.infra;

import io.personalizeimport.lambdas.FunctionSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Files of the repository the stack is built from, found from the directory that holds {@code cdk.json}. */
public record RepositoryPaths(Path root) {

    /**
     * The repository around the working directory: the CLI runs the app from the root, Maven runs the tests from
     * {@code infra/}.
     */
    public static RepositoryPaths locate() {
        Path dir = Path.of("").toAbsolutePath();
        for (Path candidate = dir; candidate != null; candidate = candidate.getParent()) {
            if (Files.isRegularFile(candidate.resolve("cdk.json"))
                    && Files.isDirectory(candidate.resolve("statemachine"))) {
                return new RepositoryPaths(candidate);
            }
        }
        throw new IllegalStateException("No cdk.json with a statemachine/ folder next to it in " + dir
                + " or its parents: run the CDK app from the repository root (npx cdk synth)");
    }

    /**
     * The function's own deployment package ({@link FunctionSettings#packagePath}); it must be built before synthesis,
     * which only references it.
     */
    public Path functionPackage(FunctionSettings function) {
        Path jar = root.resolve(function.packagePath());
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("The deployment package " + jar + " does not exist: build it first with"
                    + " 'mvn -pl lambdas package' (npx cdk synth does so through cdk.json)");
        }
        return jar;
    }

    public Path stateMachineDefinition() {
        return root.resolve("statemachine/import-monitor.asl.json");
    }

    public Path schema(String fileName) {
        return root.resolve("infra/schemas").resolve(fileName);
    }

    /** The JSON of a schema in {@code infra/schemas/}, as the demo dataset group's CfnSchema holds it. */
    String demoSchema(String fileName) {
        Path schema = schema(fileName);
        try {
            return Files.readString(schema).strip();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the demo schema " + schema, e);
        }
    }
}
