package io.personalizeimport.tests;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.Test;

/** The deployment jar that both CDK and the local stack ship: every handler, one light HTTP client, no heavy ones. */
class DeploymentJarTest {

    private static final Path JAR = SharedStack.repositoryRoot().resolve("lambdas/target/function.jar");

    @Test
    void functionJar_shouldHoldTheHandlersAndOnlyTheUrlConnectionClient() throws Exception {
        assertTrue(Files.isRegularFile(JAR), JAR + " is built by the lambdas module's package phase");
        try (JarFile jar = new JarFile(JAR.toFile())) {
            List<String> entries = jar.stream().map(ZipEntry::getName).toList();

            for (String handler : List.of("TriggerHandler", "CreateHandler", "DescribeHandler")) {
                assertTrue(entries.contains("io/personalizeimport/lambdas/" + handler + ".class"), handler);
            }
            assertTrue(entries.stream().anyMatch(name -> name.startsWith("software/amazon/awssdk/http/urlconnection/")));
            // FACTS.md: apache-client and netty-nio-client only add cold-start time
            assertTrue(entries.stream().noneMatch(name -> name.startsWith("software/amazon/awssdk/http/apache/")));
            assertTrue(entries.stream().noneMatch(name -> name.startsWith("software/amazon/awssdk/http/nio/netty/")));
            assertTrue(entries.stream().noneMatch(name -> name.startsWith("io/netty/")));
            System.out.printf("function.jar: %d entries, %.1f MB%n", entries.size(), Files.size(JAR) / 1e6);
        }
    }
}
