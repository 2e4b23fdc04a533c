package io.personalizeimport.local.bench;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The command line of a function's JVM under {@link Harness}, unprimed as the Lambda host starts its containers or
 * primed as Lambda's Java runtimes start a SnapStart function's.
 *
 * @param harness the folder of the harness's classes ({@link #writeHarness})
 * @param runtimeClasspath the jars of the runtime interface client and its libraries, as the Lambda host runs them
 * @param nativeClient the runtime interface client's native library ({@link #unpackNativeClient})
 */
record HarnessCommand(Path java, Path harness, List<Path> runtimeClasspath, Path nativeClient) {

    static final String SERIALIZATION_JAR_PREFIX = "aws-lambda-java-serialization-";
    static final String RUNTIME_CLIENT_JAR_PREFIX = "aws-lambda-java-runtime-interface-client-";
    /** Where the runtime interface client loads its native library from, instead of unpacking it to a shared file. */
    static final String NATIVE_CLIENT_PROPERTY =
            "com.amazonaws.services.lambda.runtime.api.client.runtimeapi.NativeClient.JNI";
    /**
     * Lambda's Java runtimes start the JVM with this option, so that org.crac hands the resources registered with it to
     * the runtime interface client's CRaC context, whose hooks SnapStart runs before the snapshot.
     */
    static final String CRAC_COMPAT_OPTION = "-Dorg.crac.Core.Compat=" + Harness.CRAC_PACKAGE;

    HarnessCommand {
        Objects.requireNonNull(java, "java");
        Objects.requireNonNull(harness, "harness");
        runtimeClasspath = List.copyOf(runtimeClasspath);
        Objects.requireNonNull(nativeClient, "nativeClient");
    }

    /**
     * {@code java <options> -cp <classpath> Harness <handler class> [primed]}. The classpath: the function's jar, the
     * harness, for a POJO handler the serialization library the runtime interface client would use, and primed the
     * runtime interface client itself, whose CRaC context the hooks are registered with. Primed, the options end with
     * {@link #primingOptions}.
     */
    List<String> command(Path codeJar, String handlerClass, boolean pojo, List<String> jvmOptions, boolean primed) {
        List<Path> classpath = new ArrayList<>(List.of(codeJar, harness));
        if (pojo) {
            classpath.add(runtimeJar(runtimeClasspath, SERIALIZATION_JAR_PREFIX));
        }
        List<String> command = new ArrayList<>();
        command.add(java.toString());
        command.addAll(jvmOptions);
        if (primed) {
            classpath.add(runtimeJar(runtimeClasspath, RUNTIME_CLIENT_JAR_PREFIX));
            command.addAll(primingOptions());
        }
        command.add("-cp");
        command.add(classpath.stream().map(Path::toString).collect(Collectors.joining(File.pathSeparator)));
        command.add(Harness.class.getName());
        command.add(handlerClass);
        if (primed) {
            command.add(Harness.PRIMED);
        }
        return command;
    }

    /** The options a primed JVM gets beyond the function's own. */
    List<String> primingOptions() {
        return List.of(CRAC_COMPAT_OPTION, "-D" + NATIVE_CLIENT_PROPERTY + "=" + nativeClient);
    }

    private static Path runtimeJar(List<Path> runtimeClasspath, String prefix) {
        return runtimeClasspath.stream()
                .filter(jar -> jar.getFileName().toString().startsWith(prefix))
                .findFirst()
                .orElseThrow(() -> new BenchFailedException("No " + prefix + "*.jar in the runtime interface client's"
                        + " classpath " + runtimeClasspath));
    }

    /**
     * Copies the runtime interface client's native library for this machine out of its jar into {@code dir}, as the
     * Lambda host does for its containers: its CRaC context clears the JDK's DNS cache there after the hooks.
     */
    static Path unpackNativeClient(List<Path> runtimeClasspath, Path dir) {
        String arch = switch (System.getProperty("os.arch")) {
            case "amd64", "x86_64" -> "x86_64";
            case "aarch64", "arm64" -> "aarch_64";
            default -> null;
        };
        if (arch == null || !System.getProperty("os.name").toLowerCase(Locale.ROOT).contains("linux")) {
            throw new BenchFailedException("The primed runs need the runtime interface client's native library, which"
                    + " it ships for Linux on x86_64 and arm64 only, not " + System.getProperty("os.name") + " "
                    + System.getProperty("os.arch"));
        }
        Path ricJar = runtimeJar(runtimeClasspath, RUNTIME_CLIENT_JAR_PREFIX);
        String entryName = "jni/libaws-lambda-jni.linux-" + arch + ".so";
        try (JarFile jar = new JarFile(ricJar.toFile())) {
            JarEntry entry = jar.getJarEntry(entryName);
            if (entry == null) {
                throw new BenchFailedException("No " + entryName + " in " + ricJar);
            }
            Path target = Files.createDirectories(dir).resolve("libaws-lambda-jni.so");
            try (InputStream in = jar.getInputStream(entry)) {
                Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
            }
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot unpack " + entryName + " from " + ricJar, e);
        }
    }

    /** The harness's classes, copied from this module into a folder of their own: the JVMs get nothing else of it. */
    static Path writeHarness(Path dir) throws IOException {
        for (Class<?> type : Stream.concat(Stream.of(Harness.class.getNestMembers()), Stream.of(BareJvm.class))
                .toList()) {
            String resource = type.getName().replace('.', '/') + ".class";
            Path target = dir.resolve(resource);
            Files.createDirectories(target.getParent());
            try (InputStream in = Objects.requireNonNull(HarnessCommand.class.getClassLoader()
                    .getResourceAsStream(resource), resource)) {
                Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
            }
        }
        return dir;
    }
}
