package io.personalizeimport.lambdas.config;

/** How an import job treats the dataset's existing bulk data (Amazon Personalize API Reference, CreateDatasetImportJob,
 * importMode). */
public enum ImportMode {
    /** Replaces all bulk data of the dataset. */
    FULL,
    /** Adds or replaces records by id; only after an earlier bulk import. */
    INCREMENTAL
}
