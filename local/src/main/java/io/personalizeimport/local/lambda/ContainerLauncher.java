package io.personalizeimport.local.lambda;

import com.sun.net.httpserver.HttpServer;
import io.personalizeimport.local.http.LoopbackOnly;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Starts containers: copies the function's jar into a fresh task root, opens its Runtime API port and launches
 * {@code java ... com.amazonaws.services.lambda.runtime.api.client.AWSLambda <handler>} there.
 */
final class ContainerLauncher {

    static final String RIC_MAIN = "com.amazonaws.services.lambda.runtime.api.client.AWSLambda";
    static final String JNI_PROPERTY = "com.amazonaws.services.lambda.runtime.api.client.runtimeapi.NativeClient.JNI";

    private static final DateTimeFormatter LOG_STREAM_DATE = DateTimeFormatter.ofPattern("yyyy/MM/dd");

    private final Path javaExecutable;
    private final List<Path> runtimeClasspath;
    private final Path runtimeDir;
    private final Path jniLibrary;
    private final Path workRoot;
    private final String region;
    private final Credentials credentials;
    private final Consumer<String> logSink;
    private final ExecutorService httpExecutor;
    private final AtomicLong sequence = new AtomicLong();

    /** The credentials every function receives, as Lambda passes its execution role's session. */
    record Credentials(String accessKeyId, String secretAccessKey, String sessionToken) {
    }

    ContainerLauncher(Path javaExecutable, Path runtimeDir, List<Path> runtimeClasspath, Path jniLibrary,
                      Path workRoot, String region, Credentials credentials, Consumer<String> logSink,
                      ExecutorService httpExecutor) {
        this.javaExecutable = javaExecutable;
        this.runtimeDir = runtimeDir;
        this.runtimeClasspath = List.copyOf(runtimeClasspath);
        this.jniLibrary = jniLibrary;
        this.workRoot = workRoot;
        this.region = region;
        this.credentials = credentials;
        this.logSink = logSink;
        this.httpExecutor = httpExecutor;
    }

    Container launch(FunctionPool pool, FunctionConfig config, String functionArn) {
        String id = config.name() + "-" + sequence.incrementAndGet();
        Path taskRoot = workRoot.resolve(id);
        HttpServer server = null;
        try {
            // The runtime's class loader reads the task root and task-root/lib/*.jar, the layout Lambda unpacks
            // code into; a copy keeps a running container safe from a rebuild of the jar.
            Path lib = Files.createDirectories(taskRoot.resolve("lib"));
            Files.copy(config.codeJar(), lib.resolve(config.codeJar().getFileName()),
                    StandardCopyOption.REPLACE_EXISTING);

            RuntimeApi runtimeApi = new RuntimeApi(pool);
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.createContext(RuntimeApi.PREFIX, runtimeApi).getFilters()
                    .add(LoopbackOnly.taking("a function's result or error as JSON").filter());
            server.setExecutor(httpExecutor);
            server.start();
            Container container = new Container(id, taskRoot, server);
            runtimeApi.bind(container);

            List<String> command = command(config);
            ProcessBuilder builder = new ProcessBuilder(command)
                    .directory(taskRoot.toFile())
                    .redirectErrorStream(true);
            Map<String, String> env = builder.environment();
            env.clear();
            env.putAll(environment(config, taskRoot));
            env.put("AWS_LAMBDA_RUNTIME_API", "127.0.0.1:" + server.getAddress().getPort());
            logSink.accept("[" + config.name() + "] starting container " + id + ": " + String.join(" ", command));
            Process process = builder.start();
            forwardOutput(config.name(), id, process);
            container.attach(process, process.onExit().thenAccept(exited -> pool.exited(container, exited.exitValue())));
            return container;
        } catch (IOException e) {
            if (server != null) {
                server.stop(0);
            }
            throw new LambdaHostException("Cannot start a container for " + config.name(), e);
        }
    }

    List<String> command(FunctionConfig config) {
        List<String> command = new ArrayList<>();
        command.add(javaExecutable.toString());
        command.addAll(jvmOptions(config));
        if (jniLibrary != null) {
            // Otherwise every runtime unpacks its native client to the same /tmp file, racing parallel starts.
            command.add("-D" + JNI_PROPERTY + "=" + jniLibrary);
        }
        command.add("-cp");
        command.add(runtimeClasspath.stream().map(Path::toString).collect(Collectors.joining(File.pathSeparator)));
        command.add(RIC_MAIN);
        command.add(config.handler());
        return command;
    }

    /** The JVM options of the function's containers, before the classpath and the runtime client's main class. */
    static List<String> jvmOptions(FunctionConfig config) {
        return List.of(
                // The heap must leave room for metaspace, code and thread stacks inside the function's memory.
                "-Xmx" + Math.max(64, config.memoryMb() * 85 / 100) + "m",
                // Favour start-up over peak throughput: containers are short-lived and mostly cold here.
                "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1",
                // The runtime client loads a JNI library; say so, or JDK 22+ warns on every start.
                "--enable-native-access=ALL-UNNAMED");
    }

    /** The environment of a container of the function, but for the Runtime API's address, which each one gets. */
    Map<String, String> environment(FunctionConfig config, Path taskRoot) {
        Map<String, String> env = new HashMap<>();
        String hostPath = System.getenv("PATH");
        env.put("PATH", hostPath == null ? "/usr/local/bin:/usr/bin:/bin" : hostPath);
        env.put("LANG", "en_US.UTF-8");
        env.put("TZ", ":UTC");
        env.put("LAMBDA_TASK_ROOT", taskRoot.toString());
        env.put("LAMBDA_RUNTIME_DIR", runtimeDir.toString());
        env.put("_HANDLER", config.handler());
        env.put("AWS_EXECUTION_ENV", "AWS_Lambda_java21");
        env.put("AWS_LAMBDA_INITIALIZATION_TYPE", "on-demand");
        env.put("AWS_REGION", region);
        env.put("AWS_DEFAULT_REGION", region);
        env.put("AWS_LAMBDA_FUNCTION_NAME", config.name());
        env.put("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST");
        env.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", Integer.toString(config.memoryMb()));
        env.put("AWS_LAMBDA_LOG_GROUP_NAME", "/aws/lambda/" + config.name());
        env.put("AWS_LAMBDA_LOG_STREAM_NAME", LocalDate.now(ZoneOffset.UTC).format(LOG_STREAM_DATE)
                + "/[$LATEST]" + HexFormat.of().formatHex(randomBytes(16)));
        env.put("AWS_ACCESS_KEY_ID", credentials.accessKeyId());
        env.put("AWS_SECRET_ACCESS_KEY", credentials.secretAccessKey());
        if (credentials.sessionToken() != null) {
            env.put("AWS_SESSION_TOKEN", credentials.sessionToken());
        }
        // A Lambda sandbox has no ~/.aws: keep the developer's profiles out unless the function sets them itself.
        env.put("AWS_CONFIG_FILE", taskRoot.resolve(".aws-config-absent").toString());
        env.put("AWS_SHARED_CREDENTIALS_FILE", taskRoot.resolve(".aws-credentials-absent").toString());
        env.putAll(config.environment());
        return env;
    }

    private void forwardOutput(String function, String containerId, Process process) {
        Thread.ofPlatform().daemon().name("lambda-log-" + containerId).start(() -> {
            try (BufferedReader lines = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null) {
                    logSink.accept("[" + function + "] " + line);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("Lost the output of container " + containerId, e);
            }
        });
    }

    private static byte[] randomBytes(int count) {
        byte[] bytes = new byte[count];
        ThreadLocalRandom.current().nextBytes(bytes);
        return bytes;
    }
}
