package io.personalizeimport.local;

import java.nio.file.Files;
import java.nio.file.Path;

/** The checkout the local stack and its tests run from: the folder that holds the state machine's ASL file. */
public final class RepositoryRoot {

    private static final String MARKER = "statemachine/import-monitor.asl.json";

    private RepositoryRoot() {
    }

    /** Walks up from the working directory to the repository root. */
    public static Path find() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve(MARKER))) {
                return dir;
            }
        }
        throw new IllegalStateException("No " + MARKER + " above " + Path.of("").toAbsolutePath()
                + ": run inside the repository checkout");
    }
}
