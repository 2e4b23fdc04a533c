package io.personalizeimport.lambdas.lane;

import io.personalizeimport.lambdas.domain.ImportOutcome;
import io.personalizeimport.lambdas.domain.ImportRequest;
import io.personalizeimport.lambdas.domain.ImportSource;
import java.util.Optional;

/** Personalize's dataset import jobs, with the preflight check of their data. */
public interface ImportJobs {

    /**
     * Checks the data, then creates the job; {@code head} is the file's read when the caller has just made one (null
     * otherwise).
     */
    ImportOutcome start(ImportRequest request, ImportSource source, ObjectHead head);

    /** Why the data would be refused, if it would; empty when the check passes or is switched off. */
    Optional<String> check(ImportRequest request, ObjectHead head);
}
