package io.personalizeimport.local.personalize;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Keeps the emulator's state under a data directory: {@code state.json} for the resources, and one file of record
 * ids per keyed dataset (users, items, actions) so INCREMENTAL imports can upsert after a restart.
 *
 * <p>Every file is written to a temporary sibling and moved into place, so a crash never leaves a torn file.
 */
final class StateStore {

    private static final String STATE_FILE = "state.json";
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private final Path dir;

    StateStore(Path dir) {
        this.dir = dir;
    }

    Resources.Snapshot load() {
        Path file = dir.resolve(STATE_FILE);
        if (!Files.exists(file)) {
            return new Resources.Snapshot(List.of(), List.of(), List.of(), List.of());
        }
        try {
            return JSON.readValue(file.toFile(), Resources.Snapshot.class);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read emulator state " + file, e);
        }
    }

    void save(Resources.Snapshot snapshot) {
        try {
            writeAtomically(dir.resolve(STATE_FILE), JSON.writeValueAsBytes(snapshot));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write emulator state under " + dir, e);
        }
    }

    Set<String> loadIds(String datasetArn) {
        Path file = idsFile(datasetArn);
        Set<String> ids = new HashSet<>();
        if (!Files.exists(file)) {
            return ids;
        }
        // One JSON string per line: ids may contain commas, quotes or newlines (they come from quoted CSV values).
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                ids.add(JSON.readValue(line, String.class));
            }
            return ids;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read record ids " + file, e);
        }
    }

    void saveIds(String datasetArn, Set<String> ids) {
        Path file = idsFile(datasetArn);
        Path temp = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            Files.createDirectories(file.getParent());
            try (BufferedWriter writer = Files.newBufferedWriter(temp, StandardCharsets.UTF_8)) {
                for (String id : ids) {
                    writer.write(JSON.writeValueAsString(id));
                    writer.newLine();
                }
            }
            move(temp, file);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write record ids " + file, e);
        }
    }

    private Path idsFile(String datasetArn) {
        return dir.resolve("records").resolve(datasetArn.replaceAll("[^A-Za-z0-9._-]", "_") + ".ids.jsonl");
    }

    private static void writeAtomically(Path file, byte[] content) throws IOException {
        Files.createDirectories(file.getParent());
        Path temp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.write(temp, content);
        move(temp, file);
    }

    private static void move(Path temp, Path target) throws IOException {
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            // Some filesystems (e.g. certain network mounts) cannot rename atomically; a plain replace is the best left.
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
