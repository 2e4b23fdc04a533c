package io.personalizeimport.local.personalize;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The records successful imports left in one dataset, each a map from schema field name to its CSV value. Keyed
 * datasets (users, items, actions) hold one record per id, as Personalize keys them; interaction datasets hold every
 * row in import order. Guarded by the {@link EmulatorState} that owns it.
 */
final class DatasetRecords {

    private final String idField;
    private final Map<String, Map<String, String>> byId = new LinkedHashMap<>();
    private final List<Map<String, String>> appended = new ArrayList<>();

    /** Records of a dataset keyed by {@code idField}, or append-only rows when it is null. */
    DatasetRecords(String idField) {
        this.idField = idField;
    }

    static DatasetRecords of(DatasetType type) {
        return new DatasetRecords(type.idField());
    }

    /** The field records are keyed by, or null for append-only interaction rows. */
    String idField() {
        return idField;
    }

    /**
     * Applies one successful import (Personalize API reference, CreateDatasetImportJob {@code importMode}): FULL
     * replaces every record; INCREMENTAL replaces records with the same id and adds the others, or for interactions
     * appends. Within one import a later row with the same id replaces the earlier one.
     */
    void apply(boolean full, List<Map<String, String>> rows) {
        if (full) {
            byId.clear();
            appended.clear();
        }
        for (Map<String, String> row : rows) {
            add(row);
        }
    }

    /** Adds one record as an INCREMENTAL import would: replacing the one with its id, or appended. */
    void add(Map<String, String> row) {
        if (idField == null) {
            appended.add(Map.copyOf(row));
        } else {
            String id = row.get(idField);
            if (id == null) {
                throw new IllegalArgumentException("A record of a dataset keyed by " + idField + " has no "
                        + idField + ": " + row);
            }
            byId.put(id, Map.copyOf(row));
        }
    }

    /** Removes every record whose {@code field} is one of {@code values}; returns how many were removed. */
    long removeWhere(String field, Set<String> values) {
        long before = count();
        byId.values().removeIf(record -> values.contains(record.get(field)));
        appended.removeIf(record -> values.contains(record.get(field)));
        return before - count();
    }

    long count() {
        return idField == null ? appended.size() : byId.size();
    }

    /** The records in order: by first import of their id for keyed datasets, by import for interactions. */
    List<Map<String, String>> rows() {
        Collection<Map<String, String>> rows = idField == null ? appended : byId.values();
        return List.copyOf(rows);
    }
}
