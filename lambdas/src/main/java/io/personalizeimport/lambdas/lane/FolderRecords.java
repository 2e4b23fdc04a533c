package io.personalizeimport.lambdas.lane;

/** The ledger's folders of folder routes, each open until its marker arrives. */
public interface FolderRecords {

    /**
     * Opens the folder for its marker, named by the watch execution that reports it if the marker never comes; returns
     * the watch of the folder as it is open now (this one, or the one an earlier part opened).
     */
    String openFolder(String datasetArn, String folder, String watch);

    /** Notes that the folder's marker arrived, so its watch reports nothing. */
    void closeFolder(String datasetArn, String folder);

    /** Whether the folder's marker arrived since the folder was opened. */
    boolean isFolderClosed(String datasetArn, String folder);
}
