package io.personalizeimport.lambdas.lane;

/** The events and metrics users subscribe to, published from the ledger's outbox. */
public interface OutcomeEvents {

    /** Publishes the dataset's waiting events; each one accepted leaves the outbox. */
    void drain(String datasetArn);

    /** Records how many files wait in the dataset's lane. */
    void waiting(String datasetArn, int files);

    /** Records how many of the region's import slots the lanes hold, and how many lanes are in line for one. */
    void slots(int inUse, int lanesWaiting);
}
