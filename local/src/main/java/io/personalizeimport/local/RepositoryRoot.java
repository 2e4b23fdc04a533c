package io.personalizeimport.local;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** The checkout the local stack and its tests run from: the folder that holds the state machine's ASL file. */
public final class RepositoryRoot {

    private static final String MARKER = "statemachine/import-monitor.asl.json";

    private RepositoryRoot() {
    }

    /** Walks up from the working directory to the repository root. */
    public static Path find() {
        return above(Path.of(MARKER)).orElseThrow(() -> new IllegalStateException("No " + MARKER + " above "
                + Path.of("").toAbsolutePath() + ": run inside the repository checkout"));
    }

    /** The nearest folder at or above the working directory that holds the file {@code relative}, if any. */
    public static Optional<Path> above(Path relative) {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve(relative))) {
                return Optional.of(dir);
            }
        }
        return Optional.empty();
    }
}
