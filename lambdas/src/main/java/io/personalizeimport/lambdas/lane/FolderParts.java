package io.personalizeimport.lambdas.lane;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The part files a folder's import carries: the waiting parts of its folder written before its marker. */
final class FolderParts {

    private FolderParts() {
    }

    /**
     * The parts of {@code folder} among the lane's {@code pending} files, in lane order; none for a file. A part written
     * after the folder's marker belongs to the next import of that folder, not this one.
     */
    static List<FileEntry> of(LaneFile folder, List<FileEntry> pending) {
        if (!folder.isFolder()) {
            return List.of();
        }
        return pending.stream().filter(part -> folder.key().equals(part.file().folder())
                && part.file().order().compareTo(folder.order()) < 0).toList();
    }

    /**
     * The parts a copy of the folder holds: the newest write of each key, as the folder itself holds them, in lane
     * order of those writes.
     */
    static List<FileEntry> newest(LaneFile folder, List<FileEntry> pending) {
        Map<String, FileEntry> byKey = new LinkedHashMap<>();
        for (FileEntry part : of(folder, pending)) {
            byKey.remove(part.file().key());
            byKey.put(part.file().key(), part);
        }
        return List.copyOf(byKey.values());
    }

    /** Where a part's copy goes in a staging folder: at its own path under the folder, so the copy mirrors it. */
    static String copyKey(String stagingFolder, LaneFile folder, LaneFile part) {
        return stagingFolder + part.key().substring(folder.key().length());
    }
}
