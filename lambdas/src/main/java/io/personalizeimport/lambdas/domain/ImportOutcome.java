package io.personalizeimport.lambdas.domain;

import java.time.Instant;

/** What became of an attempt to start an import; each function decides what to do with it. */
public sealed interface ImportOutcome {

    /** The preflight check refused the data: no import job is spent on it. */
    record Rejected(String reason) implements ImportOutcome {
    }

    /**
     * The job exists: just created, or it existed already with the same data and dataset.
     *
     * @param existedSince when Personalize created the job that existed already; null for a job just created, or one
     *     whose creation time is unknown
     */
    record Created(String datasetImportJobArn, boolean alreadyExisted, Instant existedSince) implements ImportOutcome {
    }

    /** Personalize cannot take the job now; it is created later. */
    record Deferred(Reason reason, String message) implements ImportOutcome {
    }

    /**
     * Why Personalize cannot take a job now (Amazon Personalize API Reference, CreateDatasetImportJob, Errors:
     * ResourceInUseException, LimitExceededException).
     */
    enum Reason {
        /** Another import runs on the dataset. */
        DATASET_BUSY,
        /** Five import jobs are pending or running in the region. */
        JOB_LIMIT
    }
}
