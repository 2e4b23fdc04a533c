package io.personalizeimport.local.lambda;

import com.sun.net.httpserver.HttpServer;
import io.personalizeimport.local.FileTrees;
import io.personalizeimport.local.http.LoopbackOnly;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * Runs Java Lambda handlers as AWS Lambda does, each function in its own JVMs driven by the AWS runtime interface
 * client, and serves the Lambda Invoke API on 127.0.0.1 for any client.
 */
public final class LambdaHost implements AutoCloseable {

    /** Where the build copies the runtime interface client (see the {@code lambda-runtime-client} execution). */
    public static final String RUNTIME_DIR_PROPERTY = "lambdahost.runtimeDir";

    private static final String RIC_JAR_PREFIX = "aws-lambda-java-runtime-interface-client-";

    private final Settings settings;
    private final Map<String, FunctionPool> functions = new ConcurrentHashMap<>();
    private final ExecutorService httpExecutor = Executors.newVirtualThreadPerTaskExecutor();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            runnable -> Thread.ofPlatform().daemon().name("lambda-host-timer").unstarted(runnable));
    private final Path workRoot;
    private final List<Path> runtimeClasspath;
    private final ContainerLauncher launcher;
    private final Thread shutdownHook = Thread.ofPlatform().unstarted(this::stopAtExit);
    private HttpServer server;
    private volatile boolean closed;

    private LambdaHost(Settings settings) {
        this.settings = settings;
        Path runtimeDir = settings.runtimeDir() != null ? settings.runtimeDir() : defaultRuntimeDir();
        List<Path> classpath = runtimeClasspath(runtimeDir);
        this.runtimeClasspath = classpath;
        try {
            this.workRoot = Files.createTempDirectory("lambda-host-");
        } catch (IOException e) {
            throw new LambdaHostException("Cannot create the host's work directory", e);
        }
        Path jni = extractNativeClient(classpath, workRoot);
        this.launcher = new ContainerLauncher(settings.javaExecutable(), runtimeDir, classpath, jni, workRoot,
                settings.region(),
                new ContainerLauncher.Credentials(settings.accessKeyId(), settings.secretAccessKey(), settings.sessionToken()),
                settings.logSink(), httpExecutor);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Makes a function invocable; its first container starts on its first invocation. */
    public LambdaHost register(FunctionConfig config) {
        Objects.requireNonNull(config, "config");
        if (!Files.isRegularFile(config.codeJar())) {
            throw new InvalidFunctionConfigurationException(
                    "Code of " + config.name() + " not found: " + config.codeJar() + " (build it first)");
        }
        FunctionPool pool = new FunctionPool(config, functionArn(config.name()), launcher, timer,
                settings.maxContainersPerFunction(), settings.initTimeout(), settings.logSink());
        if (functions.putIfAbsent(config.name(), pool) != null) {
            throw new InvalidFunctionConfigurationException("Function already registered: " + config.name());
        }
        return this;
    }

    /** Opens the Invoke API port. */
    public synchronized LambdaHost start() {
        if (server != null) {
            return this;
        }
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), settings.port()), 0);
        } catch (IOException e) {
            throw new LambdaHostException("Cannot listen on 127.0.0.1:" + settings.port(), e);
        }
        server.createContext(InvokeApi.FUNCTIONS_PREFIX, new InvokeApi(this)).getFilters()
                .add(LoopbackOnly.taking("an event as application/json, or with no Content-Type").filter());
        // The fault endpoint is fed with curl -d, which sends application/x-www-form-urlencoded.
        server.createContext(AdminApi.PREFIX, new AdminApi(this)).getFilters().add(LoopbackOnly.anyType().filter());
        server.setExecutor(httpExecutor);
        server.start();
        Runtime.getRuntime().addShutdownHook(shutdownHook);
        return this;
    }

    /** The base URL to give a Lambda client as its endpoint override. */
    public URI endpoint() {
        if (server == null) {
            throw new IllegalStateException("The Lambda host is not started");
        }
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    public String functionArn(String name) {
        return "arn:aws:lambda:" + settings.region() + ":" + settings.accountId() + ":function:" + name;
    }

    public String region() {
        return settings.region();
    }

    /**
     * Invokes synchronously, like {@code RequestResponse}, by name, {@code name:qualifier} or ARN; injected service
     * faults do not apply here, they belong to the HTTP API, but injected crashes do: they are the function's.
     */
    public InvocationResult invoke(String functionName, String payloadJson) {
        FunctionAddress address = FunctionAddress.parse(functionName, null);
        FunctionPool pool = pool(address.name())
                .orElseThrow(() -> new FunctionNotFoundException(address.invokedArn(functionArn(address.name()))));
        pool.acceptRequestIgnoringFaults();
        Invocation invocation = newInvocation(pool, address, payloadJson.getBytes(StandardCharsets.UTF_8));
        return await(pool.submit(invocation));
    }

    /** The next {@code fault.count()} Invoke API calls of the function fail as the Lambda service would. */
    public void injectFault(ServiceFault fault) {
        pool(fault.function())
                .orElseThrow(() -> new FunctionNotFoundException(functionArn(fault.function())))
                .injectFault(fault);
    }

    /**
     * The function's process crashes during each of its next {@code count} invocations, however they are made: the
     * host kills the container with SIGKILL right after handing it the invocation, so the caller gets the function
     * error {@code Runtime.ExitError} ("signal: killed"), as when the JVM dies; the next invocation starts a fresh
     * container. The handler may have started, or even finished, its work before the kill, as in a real crash.
     * Replaces any crash count injected before; {@link #clearFaults()} removes it.
     */
    public void injectCrash(String function, int count) {
        if (count < 1) {
            throw new IllegalArgumentException("A crash fault needs a count of at least 1, was " + count);
        }
        pool(function).orElseThrow(() -> new FunctionNotFoundException(functionArn(function))).injectCrash(count);
    }

    /** Removes every injected service fault and crash. */
    public void clearFaults() {
        functions.values().forEach(FunctionPool::clearFault);
    }

    public FunctionStats stats(String name) {
        return pool(name).orElseThrow(() -> new FunctionNotFoundException(functionArn(name))).stats();
    }

    public List<FunctionStats> stats() {
        return functions.values().stream()
                .map(FunctionPool::stats)
                .sorted(Comparator.comparing(FunctionStats::name))
                .toList();
    }

    /**
     * How the host starts a container of the function, for tools that run its handler in a JVM of their own (local/run
     * bench): its code, handler, JVM options and environment, all as its containers get them, but for the Runtime API's
     * address.
     *
     * @param taskRoot the folder to name as the container's {@code LAMBDA_TASK_ROOT}
     */
    public ContainerSpec containerSpec(String name, Path taskRoot) {
        FunctionConfig config = pool(name).orElseThrow(() -> new FunctionNotFoundException(functionArn(name))).config();
        return new ContainerSpec(config.codeJar(), config.handler(), ContainerLauncher.jvmOptions(config),
                launcher.environment(config, taskRoot));
    }

    /** The jars of the AWS Lambda Java runtime interface client that the containers run, and its libraries. */
    public List<Path> runtimeClasspath() {
        return runtimeClasspath;
    }

    /** Results of the function's {@code Event} invocations, in the order they finished. */
    public List<InvocationResult> asyncResults(String name) {
        return pool(name).orElseThrow(() -> new FunctionNotFoundException(functionArn(name))).asyncResults();
    }

    /** Process ids of the function's running containers. */
    public List<Long> containerPids(String name) {
        return pool(name).orElseThrow(() -> new FunctionNotFoundException(functionArn(name))).containerPids();
    }

    /** Stops the Invoke API and kills every container, waiting until their JVMs are gone. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // Called from the shutdown hook itself: the JVM is already exiting, which is why we are here.
            settings.logSink().accept("[lambda-host] closing during JVM shutdown");
        }
        stopEverything();
    }

    // ---- used by InvokeApi and AdminApi ----

    Optional<FunctionPool> pool(String name) {
        return Optional.ofNullable(functions.get(name));
    }

    Invocation newInvocation(FunctionPool pool, FunctionAddress address, byte[] payload) {
        return Invocation.of(UUID.randomUUID().toString(), payload, address.invokedArn(pool.arn()), newTraceId());
    }

    void runAsync(FunctionPool pool, Invocation invocation) {
        pool.submit(invocation).whenComplete((result, failure) -> {
            if (result != null) {
                pool.recordAsync(result);
                settings.logSink().accept("[" + pool.config().name() + "] async invocation " + invocation.requestId()
                        + (result.isFunctionError() ? " failed: " + result.payload() : " succeeded"));
            } else {
                settings.logSink().accept("[" + pool.config().name() + "] async invocation " + invocation.requestId()
                        + " was not run: " + failure.getMessage());
            }
        });
    }

    static InvocationResult await(CompletableFuture<InvocationResult> outcome) {
        try {
            return outcome.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LambdaHostException("Interrupted while waiting for an invocation", e);
        } catch (ExecutionException e) {
            throw new LambdaHostException("Invocation not run: " + e.getCause().getMessage(), e.getCause());
        }
    }

    // ---- internals ----

    private void stopAtExit() {
        closed = true;
        stopEverything();
    }

    private void stopEverything() {
        synchronized (this) {
            if (server != null) {
                server.stop(0);
            }
        }
        List<RuntimeException> failures = new ArrayList<>();
        for (FunctionPool pool : functions.values()) {
            try {
                pool.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failures.add(new LambdaHostException("Interrupted while stopping containers", e));
                break;
            } catch (LambdaHostException e) {
                failures.add(e);
            }
        }
        timer.shutdownNow();
        httpExecutor.shutdownNow();
        FileTrees.delete(workRoot);
        if (!failures.isEmpty()) {
            LambdaHostException failure = new LambdaHostException("Some containers did not stop cleanly");
            failures.forEach(failure::addSuppressed);
            throw failure;
        }
    }

    private static String newTraceId() {
        HexFormat hex = HexFormat.of();
        byte[] root = new byte[12];
        byte[] parent = new byte[8];
        ThreadLocalRandom.current().nextBytes(root);
        ThreadLocalRandom.current().nextBytes(parent);
        long epochSeconds = System.currentTimeMillis() / 1000;
        return String.format(Locale.ROOT, "Root=1-%08x-%s;Parent=%s;Sampled=0",
                epochSeconds, hex.formatHex(root), hex.formatHex(parent));
    }

    private static Path defaultRuntimeDir() {
        String configured = System.getProperty(RUNTIME_DIR_PROPERTY);
        if (configured != null) {
            return Path.of(configured);
        }
        List<Path> candidates = new ArrayList<>();
        // The build puts the client next to this module's classes or jar, in local/target.
        var codeSource = LambdaHost.class.getProtectionDomain().getCodeSource();
        if (codeSource != null && "file".equals(codeSource.getLocation().getProtocol())) {
            try {
                Path code = Path.of(codeSource.getLocation().toURI());
                candidates.add(code.toAbsolutePath().getParent().resolve("lambda-runtime"));
            } catch (URISyntaxException malformed) {
                throw new LambdaHostException("Cannot locate the host's own classes", malformed);
            }
        }
        // Then relative to the working directory: local/ (its tests), the repository root, a sibling module.
        candidates.add(Path.of("target", "lambda-runtime"));
        candidates.add(Path.of("local", "target", "lambda-runtime"));
        candidates.add(Path.of("..", "local", "target", "lambda-runtime"));
        for (Path candidate : candidates) {
            if (Files.isDirectory(candidate)) {
                return candidate.toAbsolutePath().normalize();
            }
        }
        return candidates.get(0);
    }

    private static List<Path> runtimeClasspath(Path runtimeDir) {
        if (!Files.isDirectory(runtimeDir)) {
            throw new LambdaHostException("Runtime interface client not found in " + runtimeDir
                    + ": run `mvn -pl local -am package` (execution lambda-runtime-client) first");
        }
        try (Stream<Path> files = Files.list(runtimeDir)) {
            List<Path> jars = files.filter(p -> p.getFileName().toString().endsWith(".jar")).sorted().toList();
            if (jars.stream().noneMatch(p -> p.getFileName().toString().startsWith(RIC_JAR_PREFIX))) {
                throw new LambdaHostException("No " + RIC_JAR_PREFIX + "*.jar in " + runtimeDir);
            }
            return jars.stream().map(Path::toAbsolutePath).toList();
        } catch (IOException e) {
            throw new LambdaHostException("Cannot list " + runtimeDir, e);
        }
    }

    /** Unpacks the runtime client's native library once per host; null where the platform has none. */
    private static Path extractNativeClient(List<Path> classpath, Path workRoot) {
        String arch = switch (System.getProperty("os.arch")) {
            case "amd64", "x86_64" -> "x86_64";
            case "aarch64", "arm64" -> "aarch_64";
            default -> null;
        };
        if (arch == null || !System.getProperty("os.name").toLowerCase(Locale.ROOT).contains("linux")) {
            return null;
        }
        Path ricJar = classpath.stream()
                .filter(p -> p.getFileName().toString().startsWith(RIC_JAR_PREFIX))
                .findFirst()
                .orElseThrow();
        String entry = "jni/libaws-lambda-jni.linux-" + arch + ".so";
        try (JarFile jar = new JarFile(ricJar.toFile())) {
            var jarEntry = jar.getJarEntry(entry);
            if (jarEntry == null) {
                return null;
            }
            Path target = workRoot.resolve("libaws-lambda-jni.so");
            try (InputStream in = jar.getInputStream(jarEntry)) {
                Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
            }
            return target;
        } catch (IOException e) {
            throw new LambdaHostException("Cannot unpack " + entry + " from " + ricJar, e);
        }
    }

    private record Settings(int port, String region, String accountId, String accessKeyId, String secretAccessKey,
                            String sessionToken, Consumer<String> logSink, Path runtimeDir, Path javaExecutable,
                            int maxContainersPerFunction, Duration initTimeout) {
    }

    /** Settings of a {@link LambdaHost}; every one has a default fit for tests. */
    public static final class Builder {
        private int port;
        private String region = "us-east-1";
        private String accountId = "000000000000";
        private String accessKeyId = "test";
        private String secretAccessKey = "test";
        private String sessionToken;
        private Consumer<String> logSink = System.err::println;
        private Path runtimeDir;
        private Path javaExecutable = Path.of(System.getProperty("java.home"), "bin", "java");
        private int maxContainersPerFunction = 2;
        private Duration initTimeout = Duration.ofSeconds(30);

        private Builder() {
        }

        /** The Invoke API port on 127.0.0.1; 0 picks a free one. */
        public Builder port(int value) {
            this.port = value;
            return this;
        }

        public Builder region(String value) {
            this.region = Objects.requireNonNull(value);
            return this;
        }

        public Builder accountId(String value) {
            if (!value.matches("\\d{12}")) {
                throw new IllegalArgumentException("An account id has 12 digits: " + value);
            }
            this.accountId = value;
            return this;
        }

        /** The credentials every function finds in its environment, as Lambda provides its role's session. */
        public Builder credentials(String accessKey, String secretKey) {
            return credentials(accessKey, secretKey, null);
        }

        public Builder credentials(String accessKey, String secretKey, String token) {
            this.accessKeyId = Objects.requireNonNull(accessKey);
            this.secretAccessKey = Objects.requireNonNull(secretKey);
            this.sessionToken = token;
            return this;
        }

        /** Receives every line the containers print, prefixed with the function name, and the host's own notes. */
        public Builder logSink(Consumer<String> value) {
            this.logSink = Objects.requireNonNull(value);
            return this;
        }

        /** The folder holding the runtime interface client jars; default {@code [local/]target/lambda-runtime}. */
        public Builder runtimeDir(Path value) {
            this.runtimeDir = value;
            return this;
        }

        /** The {@code java} that runs containers; default: the host's own. */
        public Builder javaExecutable(Path value) {
            this.javaExecutable = Objects.requireNonNull(value);
            return this;
        }

        /** How many containers one function may run at once before invocations queue; default 2. */
        public Builder maxContainersPerFunction(int value) {
            if (value < 1) {
                throw new IllegalArgumentException("At least one container per function, was " + value);
            }
            this.maxContainersPerFunction = value;
            return this;
        }

        /** How long a container may take from launch to its first poll for work; default 30 s. */
        public Builder initTimeout(Duration value) {
            this.initTimeout = Objects.requireNonNull(value);
            return this;
        }

        public LambdaHost build() {
            return new LambdaHost(new Settings(port, region, accountId, accessKeyId, secretAccessKey, sessionToken,
                    logSink, runtimeDir, javaExecutable, maxContainersPerFunction, initTimeout));
        }
    }
}
