package io.personalizeimport.local.stepfunctions;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.personalizeimport.local.RepositoryRoot;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * Runs the local Step Functions endpoint ({@code local/stepfunctions/server.mjs}) as a Node.js child process.
 *
 * <p>The endpoint speaks the Step Functions API, so an {@code SfnClient} with {@link #endpoint()} as endpoint
 * override drives it; see the header of server.mjs for time scaling and persistence.
 */
public final class StepFunctionsLocal implements AutoCloseable {

    private static final Path SERVER_SCRIPT = Path.of("local", "stepfunctions", "server.mjs");
    private static final Path ENGINE_PACKAGE = Path.of("node_modules", "aws-local-stepfunctions");
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);
    // Enough of the child's stderr to explain a failed start.
    private static final int STDERR_LINES_KEPT = 40;
    private static final Duration STDERR_DRAIN_TIMEOUT = Duration.ofSeconds(2);

    private final String nodeExecutable;
    private final Path repositoryRoot;
    private final Path serverScript;
    private final Path definition;
    private final Map<String, String> substitutions;
    private final URI lambdaEndpoint;
    private final int port;
    private final double timeScale;
    private final Path dataDir;
    private final String onStatusChange;
    private final String stateMachineName;
    private final String region;
    private final String accountId;
    private final Duration startTimeout;
    private final Consumer<String> logSink;
    private final Deque<String> recentStderr = new ArrayDeque<>();
    private Process process;
    private Thread stderrPump;
    private URI endpoint;

    private StepFunctionsLocal(Builder builder) {
        this.nodeExecutable = builder.nodeExecutable;
        this.repositoryRoot = builder.repositoryRoot != null
                ? builder.repositoryRoot.toAbsolutePath() : findRepositoryRoot();
        this.serverScript = builder.serverScript != null
                ? builder.serverScript.toAbsolutePath() : repositoryRoot.resolve(SERVER_SCRIPT);
        this.definition = Objects.requireNonNull(builder.definition, "definition").toAbsolutePath();
        this.substitutions = Map.copyOf(builder.substitutions);
        this.lambdaEndpoint = Objects.requireNonNull(builder.lambdaEndpoint, "lambdaEndpoint");
        this.port = builder.port;
        this.timeScale = builder.timeScale;
        this.dataDir = builder.dataDir == null ? null : builder.dataDir.toAbsolutePath();
        this.onStatusChange = builder.onStatusChange;
        this.stateMachineName = builder.stateMachineName;
        this.region = builder.region;
        this.accountId = builder.accountId;
        this.startTimeout = builder.startTimeout;
        this.logSink = builder.logSink;
    }

    /** Starts configuring an endpoint; {@link Builder#definition(Path)} and {@link Builder#lambdaEndpoint(URI)} are required. */
    public static Builder builder() {
        return new Builder();
    }

    /** Launches the server and waits until it has printed its endpoint. */
    public synchronized StepFunctionsLocal start() {
        if (process != null) {
            throw new IllegalStateException("StepFunctionsLocal is already started");
        }
        requireInstalledPackages();
        try {
            process = new ProcessBuilder(command()).directory(repositoryRoot.toFile()).start();
        } catch (IOException e) {
            throw new StepFunctionsLocalException("Cannot run '" + nodeExecutable + "' (is Node.js installed?)", e);
        }
        stderrPump = pump(reader(process.getErrorStream()), "stderr", this::onStderrLine);
        endpoint = URI.create(awaitEndpointLine());
        return this;
    }

    private void requireInstalledPackages() {
        if (!Files.isDirectory(repositoryRoot.resolve(ENGINE_PACKAGE))) {
            throw new StepFunctionsLocalException(repositoryRoot.resolve(ENGINE_PACKAGE)
                    + " is missing: run npm ci at the repository root");
        }
        if (!Files.isRegularFile(serverScript)) {
            throw new StepFunctionsLocalException("The server script " + serverScript + " does not exist");
        }
    }

    private List<String> command() {
        List<String> command = new ArrayList<>(List.of(nodeExecutable, serverScript.toString(),
                "--port", Integer.toString(port),
                "--definition", definition.toString(),
                "--substitutions", toJson(substitutions),
                "--lambda-endpoint", lambdaEndpoint.toString(),
                "--state-machine-name", stateMachineName,
                "--region", region,
                "--account-id", accountId,
                "--time-scale", Double.toString(timeScale)));
        if (dataDir != null) {
            command.addAll(List.of("--data-dir", dataDir.toString()));
        }
        if (onStatusChange != null) {
            command.addAll(List.of("--on-status-change", onStatusChange));
        }
        return command;
    }

    private String awaitEndpointLine() {
        BufferedReader stdout = reader(process.getInputStream());
        CompletableFuture<String> firstLine = CompletableFuture.supplyAsync(() -> readLine(stdout));
        try {
            String line = firstLine.get(startTimeout.toMillis(), TimeUnit.MILLISECONDS);
            if (line == null) {
                throw startFailure("exited with code " + process.waitFor() + " before printing its endpoint");
            }
            // The server prints nothing else on stdout; draining it keeps a chatty future version from blocking.
            pump(stdout, "stdout", logSink);
            return line.strip();
        } catch (TimeoutException e) {
            throw startFailure("printed no endpoint within " + startTimeout.toSeconds() + " s");
        } catch (ExecutionException e) {
            throw startFailure("could not be read: " + e.getCause().getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw startFailure("start was interrupted");
        }
    }

    private StepFunctionsLocalException startFailure(String what) {
        // Through the handle, unlike Process.destroyForcibly, the pipes stay open until stderr is drained.
        process.toHandle().destroyForcibly();
        awaitStderrDrained();
        String stderr;
        synchronized (recentStderr) {
            stderr = String.join(System.lineSeparator(), recentStderr);
        }
        process = null;
        return new StepFunctionsLocalException("The local Step Functions server " + what
                + ". Its stderr:" + System.lineSeparator() + stderr);
    }

    private void awaitStderrDrained() {
        try {
            stderrPump.join(STDERR_DRAIN_TIMEOUT);
        } catch (InterruptedException e) {
            // The start has failed either way; keep the interrupt and report what stderr gave so far.
            Thread.currentThread().interrupt();
        }
    }

    private void onStderrLine(String line) {
        synchronized (recentStderr) {
            if (recentStderr.size() == STDERR_LINES_KEPT) {
                recentStderr.removeFirst();
            }
            recentStderr.addLast(line);
        }
        logSink.accept(line);
    }

    private static BufferedReader reader(InputStream stream) {
        return new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8));
    }

    private static Thread pump(BufferedReader reader, String name, Consumer<String> sink) {
        return Thread.ofPlatform().daemon().name("stepfunctions-local-" + name).start(() -> {
            try (reader) {
                for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                    sink.accept(line);
                }
            } catch (IOException e) {
                sink.accept("(the server's " + name + " became unreadable: " + e.getMessage() + ")");
            }
        });
    }

    private static String readLine(BufferedReader reader) {
        try {
            return reader.readLine();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the output of the Step Functions server", e);
        }
    }

    private static String toJson(Map<String, String> substitutions) {
        try {
            return new ObjectMapper().writeValueAsString(new LinkedHashMap<>(substitutions));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("Cannot write the substitutions as JSON", e);
        }
    }

    /** Walks up from the working directory to the folder that holds local/stepfunctions/server.mjs. */
    private static Path findRepositoryRoot() {
        return RepositoryRoot.above(SERVER_SCRIPT).orElseThrow(() -> new StepFunctionsLocalException("No "
                + SERVER_SCRIPT + " above " + Path.of("").toAbsolutePath() + ": set Builder.repositoryRoot"));
    }

    /** The base URL to give an SfnClient as endpoint override. */
    public synchronized URI endpoint() {
        if (endpoint == null) {
            throw new IllegalStateException("StepFunctionsLocal is not started");
        }
        return endpoint;
    }

    /** The ARN of the one state machine this endpoint serves. */
    public String stateMachineArn() {
        return "arn:aws:states:" + region + ":" + accountId + ":stateMachine:" + stateMachineName;
    }

    /** Stops the server (SIGTERM, so it saves its records), forcibly if it does not exit within 10 s. */
    @Override
    public synchronized void close() {
        if (process == null) {
            return;
        }
        // SIGTERM through the handle: Process.destroy would also close the pipes under the threads reading them.
        process.toHandle().destroy();
        try {
            if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        } finally {
            process = null;
            endpoint = null;
        }
    }

    /** Configuration of a {@link StepFunctionsLocal}. */
    public static final class Builder {

        private String nodeExecutable = "node";
        private Path repositoryRoot;
        private Path serverScript;
        private Path definition;
        private final Map<String, String> substitutions = new LinkedHashMap<>();
        private URI lambdaEndpoint;
        private int port;
        private double timeScale = 1.0;
        private Path dataDir;
        private String onStatusChange;
        private String stateMachineName = "personalize-import-monitor";
        private String region = "us-east-1";
        private String accountId = "000000000000";
        private Duration startTimeout = Duration.ofSeconds(30);
        private Consumer<String> logSink = line -> System.err.println("[stepfunctions] " + line);

        private Builder() {
        }

        /** The Node.js executable; default {@code node} from the PATH. */
        public Builder nodeExecutable(String nodeExecutable) {
            this.nodeExecutable = Objects.requireNonNull(nodeExecutable, "nodeExecutable");
            return this;
        }

        /** The repository root holding node_modules; default: found above the working directory. */
        public Builder repositoryRoot(Path repositoryRoot) {
            this.repositoryRoot = repositoryRoot;
            return this;
        }

        /** The server script; default {@code <repositoryRoot>/local/stepfunctions/server.mjs}. */
        public Builder serverScript(Path serverScript) {
            this.serverScript = serverScript;
            return this;
        }

        /** The ASL file, with {@code ${Name}} placeholders. */
        public Builder definition(Path definition) {
            this.definition = definition;
            return this;
        }

        /** Fills {@code ${name}} in the definition with {@code value}, as CDK definitionSubstitutions does. */
        public Builder substitution(String name, String value) {
            substitutions.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /** Adds every entry as a {@link #substitution(String, String)}. */
        public Builder substitutions(Map<String, String> entries) {
            entries.forEach(this::substitution);
            return this;
        }

        /** The Lambda Invoke API that Task states call. */
        public Builder lambdaEndpoint(URI lambdaEndpoint) {
            this.lambdaEndpoint = lambdaEndpoint;
            return this;
        }

        /**
         * The function that receives, as EventBridge would deliver it, the status change event of each execution that
         * ends FAILED, TIMED_OUT or ABORTED; default none.
         */
        public Builder onStatusChange(String functionNameOrArn) {
            this.onStatusChange = functionNameOrArn;
            return this;
        }

        /** The port on 127.0.0.1; default 0, a free port. */
        public Builder port(int port) {
            if (port < 0 || port > 65_535) {
                throw new IllegalArgumentException("port must be 0..65535, got " + port);
            }
            this.port = port;
            return this;
        }

        /** Multiplies every Wait duration and Retry interval; default 1 (real time). */
        public Builder timeScale(double timeScale) {
            if (!(timeScale >= 0) || Double.isInfinite(timeScale)) {
                throw new IllegalArgumentException("timeScale must be a finite number >= 0, got " + timeScale);
            }
            this.timeScale = timeScale;
            return this;
        }

        /** Where executions are saved to survive a restart; default none (in memory). */
        public Builder dataDir(Path dataDir) {
            this.dataDir = dataDir;
            return this;
        }

        /** Default {@code personalize-import-monitor}. */
        public Builder stateMachineName(String stateMachineName) {
            this.stateMachineName = Objects.requireNonNull(stateMachineName, "stateMachineName");
            return this;
        }

        /** Default {@code us-east-1}. */
        public Builder region(String region) {
            this.region = Objects.requireNonNull(region, "region");
            return this;
        }

        /** Default {@code 000000000000}. */
        public Builder accountId(String accountId) {
            this.accountId = Objects.requireNonNull(accountId, "accountId");
            return this;
        }

        /** How long {@link StepFunctionsLocal#start()} waits for the endpoint; default 30 s. */
        public Builder startTimeout(Duration startTimeout) {
            this.startTimeout = Objects.requireNonNull(startTimeout, "startTimeout");
            return this;
        }

        /** Receives each line the server logs; default System.err with a prefix. */
        public Builder logSink(Consumer<String> logSink) {
            this.logSink = Objects.requireNonNull(logSink, "logSink");
            return this;
        }

        /** The configured endpoint, not yet started. */
        public StepFunctionsLocal build() {
            return new StepFunctionsLocal(this);
        }
    }
}
