package io.personalizeimport.lambdas.lane;

import io.personalizeimport.lambdas.events.OutboxEvent;
import java.util.List;

/** Each dataset's lane item in the ledger: who holds the lane, claimed, handed on and released conditionally. */
public interface LaneRecords {

    /** The dataset's lane as it is now. */
    Lane lane(String datasetArn);

    /** The lane and, when it is free, the files that wait for it, from one consistent read. */
    LaneView laneView(String datasetArn);

    /**
     * The lane and, when it is free, the waiting files that its one Query gives, for a reader that may only Query (the
     * publish schedule's sweep of holds): a file whose open item was written before open items carried their file is
     * left out, rather than read from its file item. By default, {@link #laneView}.
     */
    default LaneView laneViewByQuery(String datasetArn) {
        return laneView(datasetArn);
    }

    /**
     * The lane's files with this status, in lane order, as {@link FileRecords#files} reads them: the planning reads a
     * dataset group's DELETED lists of users with it, which bind the imports of files written before them.
     */
    List<FileEntry> files(String datasetArn, FileStatus status);

    /**
     * Claims the free lane as read in {@code lane} for {@code running}, ends its hold, and moves its files to IMPORTING
     * with its job (a list of users to delete to DELETING);
     * false when the lane changed since it was read or one of the files was settled, and then nothing is written.
     */
    default boolean claim(Lane lane, Lane.Running running, List<FileEntry> files) {
        return claim(lane, running, files, List.of());
    }

    /**
     * Claims the lane as {@link #claim(Lane, Lane.Running, List)} does, and only while each lane of {@code unchanged} is
     * free and as it was read: an import claims its dataset's lane only while its group's deletions hold none, and a
     * deletion its group's lane only while no import of the group holds its dataset's.
     */
    boolean claim(Lane lane, Lane.Running running, List<FileEntry> files, List<Lane> unchanged);

    /**
     * Notes on the free lane, as read in {@code lane}, the files it holds until they have Personalize's minimum of
     * records (null: none); false when the lane changed since it was read, and then nothing is written.
     */
    boolean hold(Lane lane, Lane.Holding holding);

    /**
     * Notes that the lane's hold {@code holding} (named by its first file) was reported, with {@code event}, in one
     * write; false when the lane holds another hold or reported this one already, and then nothing is written.
     */
    boolean reportHold(String datasetArn, Lane.Holding holding, OutboxEvent event);

    /** How many files of a claim move to IMPORTING in the claim's own write (the others right after it). */
    int filesMovedWithClaim();

    /** Notes that the execution holding the lane runs; false when the lane is not held by it. */
    boolean markStarted(String datasetArn, String executionName);

    /** Hands the lane from an execution that ended holding it to {@code resumed}; false when it does not hold it. */
    boolean resume(String datasetArn, String executionName, Lane.Running resumed);

    /**
     * Frees the lane if {@code executionName} holds it, noting the file it imported (null for none), the FULL import
     * that now replaced the dataset (null when it did not), the order of the newest INCREMENTAL file imported (null to
     * keep the lane's) and writing {@code event} (null for none) with it; false when it does not hold it.
     */
    boolean release(String datasetArn, String executionName, String importedKey, String jobName,
                    Lane.LastFull replaced, String lastIncremental, OutboxEvent event);
}
