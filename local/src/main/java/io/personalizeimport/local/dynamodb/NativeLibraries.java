package io.personalizeimport.local.dynamodb;

import com.almworks.sqlite4java.SQLite;
import com.almworks.sqlite4java.SQLiteException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * sqlite4java's native library, which DynamoDB Local's table store loads: a folder holding it under the name sqlite4java
 * looks for ({@code libsqlite4java-linux-amd64.so}, ...). The build copies the libraries of the Maven dependencies into
 * the resource folder {@value #RESOURCE_FOLDER} ({@code local/pom.xml}, execution {@code sqlite4java-native}); from
 * classes on disk that folder is used in place, from a jar the libraries are extracted once per JVM to a private
 * temporary folder.
 */
final class NativeLibraries {

    static final String RESOURCE_FOLDER = "sqlite4java";

    /** The libraries sqlite4java 1.0.392 publishes on Maven Central; each platform loads its own. */
    static final List<String> FILES = List.of("libsqlite4java-linux-amd64.so", "libsqlite4java-linux-i386.so",
            "libsqlite4java-osx.dylib", "sqlite4java-win32-x64.dll", "sqlite4java-win32-x86.dll");

    private static boolean loaded;

    private NativeLibraries() {
    }

    /**
     * Loads the library for this platform, from {@code -Dsqlite4java.library.path} when it is set, else from the
     * resources; a platform without one fails here, at start, instead of at the first request.
     */
    static synchronized void load() {
        if (loaded) {
            return;
        }
        if (System.getProperty(SQLite.LIBRARY_PATH_PROPERTY) == null) {
            SQLite.setLibraryPath(folder().toString());
        }
        try {
            SQLite.loadLibrary();
        } catch (SQLiteException e) {
            throw new IllegalStateException("DynamoDB Local cannot load sqlite4java's native library for "
                    + System.getProperty("os.name") + "/" + System.getProperty("os.arch") + " from "
                    + System.getProperty(SQLite.LIBRARY_PATH_PROPERTY, "the resources") + "; sqlite4java ships " + FILES
                    + ": " + e.getMessage(), e);
        }
        loaded = true;
    }

    private static Path folder() {
        URL first = NativeLibraries.class.getClassLoader().getResource(RESOURCE_FOLDER + "/" + FILES.get(0));
        if (first == null) {
            throw new IllegalStateException("No " + RESOURCE_FOLDER + "/" + FILES.get(0) + " on the class path: build"
                    + " the local module with 'mvn -pl local -am package' (execution sqlite4java-native)");
        }
        if ("file".equals(first.getProtocol())) {
            try {
                return Path.of(first.toURI()).getParent();
            } catch (URISyntaxException e) {
                throw new IllegalStateException("Cannot locate " + first, e);
            }
        }
        return extracted();
    }

    private static Path extracted() {
        try {
            Path folder = Files.createTempDirectory("personalize-import-sqlite4java-");
            folder.toFile().deleteOnExit();
            for (String name : FILES) {
                try (InputStream in = NativeLibraries.class.getClassLoader()
                        .getResourceAsStream(RESOURCE_FOLDER + "/" + name)) {
                    if (in != null) {
                        Path file = folder.resolve(name);
                        Files.copy(in, file);
                        file.toFile().deleteOnExit();
                    }
                }
            }
            return folder;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot extract sqlite4java's native libraries", e);
        }
    }
}
