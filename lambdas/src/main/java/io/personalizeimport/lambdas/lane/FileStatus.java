package io.personalizeimport.lambdas.lane;

/**
 * Where a notified file stands in its dataset's lane, or a deletion file in its dataset group's; all but PENDING,
 * IMPORTING and DELETING are final (docs/lanes-and-ledger.md, docs/forgetting-users.md).
 */
public enum FileStatus {
    /** Waiting for the lane (or, in a folder route, for the folder's marker). */
    PENDING,
    /** Carried by the import job that runs on the lane now. */
    IMPORTING,
    /** Its import job ended ACTIVE. */
    IMPORTED,
    /** A list of users whose data deletion job runs on its dataset group now. */
    DELETING,
    /** A list of users whose data deletion job ended COMPLETED. */
    DELETED,
    /** Newer data replaced it before its turn; {@code supersededBy} names the newer file. */
    SUPERSEDED,
    /** Refused before any import job was spent on it; {@code reason} says why. */
    REJECTED,
    /** Its import did not succeed; {@code reason} says why. */
    FAILED;

    public boolean isFinal() {
        return this != PENDING && this != IMPORTING && this != DELETING;
    }
}
