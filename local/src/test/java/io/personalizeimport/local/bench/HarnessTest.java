package io.personalizeimport.local.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import io.personalizeimport.local.bench.fixture.PrimingProbeHandler;
import io.personalizeimport.local.lambda.LambdaHost;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import org.crac.Core;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The harness in JVMs of its own, on a function built like the real packages (its handler with aws-lambda-java-core and
 * org.crac) whose handler registers a CRaC resource as the functions register their priming. Needs
 * {@code local/target/lambda-runtime}, which the build fills before the tests.
 */
class HarnessTest {

    @TempDir
    Path dir;

    private HarnessCommand harness;
    private Path function;

    @BeforeEach
    void harnessAndFunction() throws IOException, URISyntaxException {
        List<Path> runtime;
        try (LambdaHost host = LambdaHost.builder().build()) {
            runtime = host.runtimeClasspath();
        }
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        harness = new HarnessCommand(java, HarnessCommand.writeHarness(dir.resolve("harness")), runtime,
                HarnessCommand.unpackNativeClient(runtime, dir.resolve("runtime")));
        function = Files.createDirectories(dir.resolve("function"));
        for (Class<?> library : List.of(RequestStreamHandler.class, Core.class)) {
            unpack(Path.of(library.getProtectionDomain().getCodeSource().getLocation().toURI()), function);
        }
        String probe = PrimingProbeHandler.class.getName().replace('.', '/') + ".class";
        Path target = function.resolve(probe);
        Files.createDirectories(target.getParent());
        try (InputStream in = PrimingProbeHandler.class.getClassLoader().getResourceAsStream(probe)) {
            Files.copy(in, target);
        }
    }

    @Test
    void primedJvm_shouldRunTheRegisteredHooksAsSnapStartDoesBeforeTheFirstInvocation() {
        // GIVEN a JVM started as Lambda's Java runtimes start a SnapStart function
        try (JvmProcess jvm = start(true)) {
            // WHEN the handler is built, primed and invoked once
            jvm.sendLast("{}");
            long init = jvm.initNanos();
            JvmProcess.Primed primed = jvm.primed();
            JvmProcess.Invocation first = jvm.nextInvocation();

            // THEN the hooks ran in the runtime's order before the invocation, which the harness timed apart
            assertEquals("beforeCheckpoint,afterRestore", first.output());
            assertTrue(init > 0 && primed.nanos() > 0 && first.nanos() > 0, primed + " " + first);
            jvm.finish();
        }
    }

    @Test
    void unprimedJvm_shouldInvokeWithoutRunningTheHooks() {
        // GIVEN a JVM started as the Lambda host starts its containers
        try (JvmProcess jvm = start(false)) {
            // WHEN the handler is built and invoked once
            jvm.sendLast("{}");
            jvm.initNanos();
            JvmProcess.Invocation first = jvm.nextInvocation();

            // THEN no hook ran: org.crac on a JVM without CRaC drops what is registered
            assertEquals("", first.output());
            jvm.finish();
        }
    }

    @Test
    void primedCommand_shouldAddLambdasCracOptionsAndTheRuntimeClientOnlyWhenPrimed() {
        List<String> primed = command(true);
        List<String> unprimed = command(false);

        assertTrue(primed.containsAll(harness.primingOptions()), primed::toString);
        assertTrue(primed.contains("-Dorg.crac.Core.Compat=com.amazonaws.services.lambda.crac"), primed::toString);
        assertEquals(Harness.PRIMED, primed.getLast());
        assertTrue(classpath(primed).contains("aws-lambda-java-runtime-interface-client-"), primed::toString);
        assertFalse(unprimed.stream().anyMatch(option -> option.startsWith("-Dorg.crac")), unprimed::toString);
        assertFalse(classpath(unprimed).contains("aws-lambda-java-runtime-interface-client-"), unprimed::toString);
        assertEquals(PrimingProbeHandler.class.getName(), unprimed.getLast());
    }

    @Test
    void primedAnswer_shouldGiveTheHooksTimeAndClasses() {
        assertEquals(new JvmProcess.Primed(1_500_000, 42), JvmProcess.Primed.parse("primed 1500000 42", "lane"));
    }

    @Test
    void malformedPrimedAnswer_shouldFailNamingTheAnswerAndTheExpectedForm() {
        BenchFailedException failure = assertThrows(BenchFailedException.class,
                () -> JvmProcess.Primed.parse("primed 1500000", "lane"));

        assertTrue(failure.getMessage().contains("'primed 1500000'"), failure.getMessage());
        assertTrue(failure.getMessage().contains("<nanoseconds> <classes loaded>"), failure.getMessage());
    }

    private List<String> command(boolean primed) {
        return harness.command(function, PrimingProbeHandler.class.getName(), false, List.of("-Xmx64m"), primed);
    }

    private JvmProcess start(boolean primed) {
        String name = primed ? "primed" : "unprimed";
        return JvmProcess.start(name, command(primed), Map.of("PATH", System.getenv("PATH")),
                dir.resolve(name + ".log"));
    }

    private static String classpath(List<String> command) {
        return command.get(command.indexOf("-cp") + 1);
    }

    /** The classes of a library jar, as the shade plugin puts them into a function's package. */
    private static void unpack(Path jar, Path target) throws IOException {
        try (JarFile file = new JarFile(jar.toFile())) {
            for (JarEntry entry : file.stream().filter(entry -> entry.getName().endsWith(".class")).toList()) {
                Path to = target.resolve(entry.getName());
                Files.createDirectories(to.getParent());
                try (InputStream in = file.getInputStream(entry)) {
                    Files.copy(in, to);
                }
            }
        }
    }
}
