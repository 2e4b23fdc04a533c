package io.personalizeimport.lambdas.lane;

import java.util.Optional;

/** Personalize's data deletion jobs, and what they need before one is created. */
public interface DeletionJobs {

    /**
     * Why a deletion from the dataset group would be refused before its job is created: the group does not exist; empty
     * when it would not (or the check cannot be made now, and the job's creation makes it).
     */
    Optional<String> checkGroup(String datasetGroupArn);
}
