package io.personalizeimport.lambdas.lane;

import io.personalizeimport.lambdas.domain.DeletionRequest;
import java.time.Instant;
import java.util.Optional;

/** Personalize's data deletion jobs, and what they need before one is created. */
public interface DeletionJobs {

    /**
     * Why a deletion from the dataset group would be refused before its job is created: the group does not exist; empty
     * when it would not (or the check cannot be made now, and the job's creation makes it).
     */
    Optional<String> checkGroup(String datasetGroupArn);

    /**
     * Creates the job, or finds the one of its name that an earlier attempt created.
     *
     * @throws ServiceCallException when Personalize cannot take the job now (the group's five unfinished deletion jobs,
     *     a transient error) or refuses it; or when the name is taken by a job of other data or another group
     */
    Started start(DeletionRequest request);

    /**
     * The job of the request.
     *
     * @param existedSince when Personalize created the job that existed already; null for a job just created
     */
    record Started(String jobArn, Instant existedSince) {
    }
}
