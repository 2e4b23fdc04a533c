package io.personalizeimport.local.lambda;

import io.personalizeimport.local.lambda.fixture.EchoHandler;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;

/**
 * Packs the compiled test handlers of package {@code fixture} into a function jar, as the real build packs
 * {@code function.jar}; the Lambda runtime, not the jar, supplies aws-lambda-java-core.
 */
final class FixtureJar {

    private static final String PACKAGE_DIR = "io/personalizeimport/local/lambda/fixture/";

    private FixtureJar() {
    }

    static Path build(Path directory) throws IOException {
        Path classes;
        try {
            classes = Path.of(EchoHandler.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IOException("Cannot locate the test classes", e);
        }
        Path jar = directory.resolve("fixture-function.jar");
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        List<Path> files;
        try (Stream<Path> walk = Files.walk(classes.resolve(PACKAGE_DIR))) {
            files = walk.filter(Files::isRegularFile).sorted().toList();
        }
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream jarOut = new JarOutputStream(out, manifest)) {
            for (Path file : files) {
                jarOut.putNextEntry(new JarEntry(classes.relativize(file).toString().replace('\\', '/')));
                Files.copy(file, jarOut);
                jarOut.closeEntry();
            }
        }
        return jar;
    }
}
