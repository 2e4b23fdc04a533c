package io.personalizeimport.lambdas.lane;

import java.util.Optional;

/** The ledger's folders of folder routes, each open until its marker arrives. */
public interface FolderRecords {

    /**
     * Opens the folder for its marker, named by the watch execution that reports it if the marker never comes; returns
     * the watch of the folder as it is open now (this one, or the one an earlier part opened).
     */
    String openFolder(String datasetArn, String folder, String watch);

    /**
     * Notes that the folder's marker arrived, so its watch reports nothing, and the import it started: the entry
     * ({@link LaneFile#sortKey()}) of the folder's import.
     */
    void closeFolder(String datasetArn, String folder, String importEntry);

    /** The entry of the newest import of the folder that a marker started; empty before any. */
    Optional<String> folderImport(String datasetArn, String folder);

    /** Whether the folder's marker arrived since the folder was opened. */
    boolean isFolderClosed(String datasetArn, String folder);
}
