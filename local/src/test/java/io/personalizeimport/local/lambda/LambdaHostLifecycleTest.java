package io.personalizeimport.local.lambda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Starting and stopping containers: nothing may outlive the host. */
class LambdaHostLifecycleTest {

    private static final String FIXTURE = "io.personalizeimport.local.lambda.fixture.";

    @TempDir
    Path tempDir;

    @Test
    void closeWithWarmContainers_shouldLeaveNoRuntimeJvmBehind() throws Exception {
        // GIVEN a host with two warm containers of two functions
        Path jar = FixtureJar.build(tempDir);
        List<Long> pids = new ArrayList<>();
        try (LambdaHost host = LambdaHost.builder().logSink(line -> { }).build()) {
            host.register(FunctionConfig.of("one", FIXTURE + "EchoHandler::handleRequest", jar));
            host.register(FunctionConfig.of("two", FIXTURE + "SleepingHandler::handleRequest", jar));
            host.start();
            assertFalse(host.invoke("one", "{}").isFunctionError());
            assertFalse(host.invoke("two", "{}").isFunctionError());
            pids.addAll(host.containerPids("one"));
            pids.addAll(host.containerPids("two"));
            assertEquals(2, pids.size());

            // WHEN the host closes (end of try)
        }

        // THEN every container JVM is gone
        for (long pid : pids) {
            assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "pid " + pid + " alive");
        }
        assertTrue(ProcessHandle.current().children()
                .noneMatch(child -> child.info().commandLine().orElse("").contains(ContainerLauncher.RIC_MAIN)));
    }

    @Test
    void initSlowerThanInitTimeout_shouldKillContainerAndFailTheInvocation() throws Exception {
        // GIVEN a handler whose static initialiser takes a minute, and a 2 s init budget
        Path jar = FixtureJar.build(tempDir);
        try (LambdaHost host = LambdaHost.builder().initTimeout(Duration.ofSeconds(2)).logSink(line -> { }).build()) {
            host.register(new FunctionConfig("slow-init", FIXTURE + "SlowInitHandler::handleRequest", jar,
                    Map.of(), 30, 128));
            host.start();

            // WHEN it is invoked
            InvocationResult result = host.invoke("slow-init", "{}");

            // THEN the invocation fails as timed out and no container is left running
            assertEquals(FunctionErrors.TIMED_OUT, result.errorType());
            assertTrue(result.payload().contains("Init timed out after 2.00 seconds"), result.payload());
            assertEquals(0, host.stats("slow-init").containersRunning());
        }
    }
}
