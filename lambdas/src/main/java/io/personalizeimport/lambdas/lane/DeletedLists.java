package io.personalizeimport.lambdas.lane;

import java.util.Comparator;
import java.util.List;
import java.util.function.Function;

/**
 * The lists of users whose deletion ended DELETED in a dataset's group, as they bind the dataset's imports
 * (docs/forgetting-users.md): a list written at T applies to the data written before T, so a file written before a list
 * and imported after its deletion imports without the rows of that list's users.
 *
 * @param lists the group's DELETED lists, in lane order
 */
record DeletedLists(List<FileEntry> lists) {

    /** No list binds the dataset. */
    static final DeletedLists NONE = new DeletedLists(List.of());

    DeletedLists {
        lists = List.copyOf(lists);
    }

    /**
     * The DELETED lists of the dataset's group, read with {@code deletedIn} (a group's files with status DELETED); none
     * for a dataset whose records name no user (items, actions), since a data deletion job removes nothing from it.
     */
    static DeletedLists of(String datasetArn, Function<String, List<FileEntry>> deletedIn) {
        if (!namesUsers(datasetArn)) {
            return NONE;
        }
        return new DeletedLists(deletedIn.apply(groupOf(datasetArn)).stream()
                .filter(entry -> entry.file().isDeletion())
                .sorted(Comparator.comparing(entry -> entry.file().order())).toList());
    }

    /** Whether a data deletion job removes the dataset's records: its USERS, INTERACTIONS, ACTION_INTERACTIONS. */
    static boolean namesUsers(String datasetArn) {
        return datasetArn.endsWith("/USERS") || datasetArn.endsWith("/INTERACTIONS")
                || datasetArn.endsWith("/ACTION_INTERACTIONS");
    }

    /**
     * The group of a dataset: its ARN with {@code dataset-group/} for {@code dataset/}, without its type, as
     * {@code DeletionRoute.covers} matches them (arn:aws:personalize:us-east-1:123456789012:dataset/shop/USERS is in
     * arn:aws:personalize:us-east-1:123456789012:dataset-group/shop).
     */
    static String groupOf(String datasetArn) {
        return datasetArn.substring(0, datasetArn.lastIndexOf('/')).replace(":dataset/", ":dataset-group/");
    }

    /**
     * The lists written after the file, whose users' rows its import leaves out; oldest first. A folder is imported from
     * where its parts are, not from a copy, so none binds it.
     */
    List<FileEntry> after(LaneFile file) {
        if (file.isFolder()) {
            return List.of();
        }
        String written = file.order();
        return lists.stream().filter(list -> list.file().order().compareTo(written) > 0).toList();
    }

    /** Whether any of the files imports without some rows, and so reads a filtered copy. */
    boolean bindAny(List<FileEntry> files) {
        return files.stream().anyMatch(entry -> !after(entry.file()).isEmpty());
    }
}
