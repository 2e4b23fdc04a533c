package io.personalizeimport.local.personalize;

import com.fasterxml.jackson.core.type.TypeReference;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Keeps the emulator's state under a data directory: {@code state.json} for the resources, and one file of records per
 * dataset, so INCREMENTAL imports upsert and exports write the same values after a restart.
 *
 * <p>Every file is written to a temporary sibling and moved into place, so a crash never leaves a torn file.
 */
final class StateStore {

    private static final String STATE_FILE = "state.json";
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    private static final ObjectMapper COMPACT = new ObjectMapper();
    private static final TypeReference<LinkedHashMap<String, String>> RECORD = new TypeReference<>() {
    };

    private final Path dir;

    StateStore(Path dir) {
        this.dir = dir;
    }

    Resources.Snapshot load() {
        Path file = dir.resolve(STATE_FILE);
        if (!Files.exists(file)) {
            return new Resources.Snapshot(List.of(), List.of(), List.of(), List.of(), List.of(), List.of());
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

    /**
     * The dataset's records, or an empty set of records when none were saved. A data directory written before records
     * kept their values has only their ids: those come back as records holding just the id.
     */
    DatasetRecords loadRecords(String datasetArn, DatasetType type) {
        DatasetRecords records = DatasetRecords.of(type);
        Path file = recordsFile(datasetArn);
        Path legacyIds = legacyIdsFile(datasetArn);
        if (Files.exists(file)) {
            try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                    records.add(JSON.readValue(line, RECORD));
                }
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read records " + file, e);
            }
        } else if (Files.exists(legacyIds) && type.idField() != null) {
            try (BufferedReader reader = Files.newBufferedReader(legacyIds, StandardCharsets.UTF_8)) {
                for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                    records.add(Map.of(type.idField(), JSON.readValue(line, String.class)));
                }
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read record ids " + legacyIds, e);
            }
        }
        return records;
    }

    void saveRecords(String datasetArn, DatasetRecords records) {
        Path file = recordsFile(datasetArn);
        Path temp = file.resolveSibling(file.getFileName() + ".tmp");
        // One JSON object per line: values may contain commas, quotes or newlines (they come from quoted CSV values).
        try {
            Files.createDirectories(file.getParent());
            try (BufferedWriter writer = Files.newBufferedWriter(temp, StandardCharsets.UTF_8)) {
                for (Map<String, String> record : records.rows()) {
                    writer.write(COMPACT.writeValueAsString(record));
                    writer.newLine();
                }
            }
            move(temp, file);
            Files.deleteIfExists(legacyIdsFile(datasetArn));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write records " + file, e);
        }
    }

    private Path recordsFile(String datasetArn) {
        return dir.resolve("records").resolve(fileName(datasetArn) + ".records.jsonl");
    }

    private Path legacyIdsFile(String datasetArn) {
        return dir.resolve("records").resolve(fileName(datasetArn) + ".ids.jsonl");
    }

    private static String fileName(String datasetArn) {
        return datasetArn.replaceAll("[^A-Za-z0-9._-]", "_");
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
