package io.personalizeimport.lambdas.lane;

import io.personalizeimport.lambdas.domain.DeletionRequest;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Data deletion jobs in memory: a job per name, created once at the clock's time, and dataset groups that can be made
 * not to exist.
 */
final class InMemoryDeletionJobs implements DeletionJobs {

    /** The dataset groups that Personalize does not know. */
    final Set<String> missingGroups = new HashSet<>();
    private final Map<String, DeletionRequest> jobs = new LinkedHashMap<>();
    private final Map<String, Instant> created = new LinkedHashMap<>();
    private final java.time.Clock clock;

    InMemoryDeletionJobs(java.time.Clock clock) {
        this.clock = clock;
    }

    @Override
    public synchronized Optional<String> checkGroup(String datasetGroupArn) {
        return missingGroups.contains(datasetGroupArn) ? Optional.of("Dataset group " + datasetGroupArn
                + " does not exist") : Optional.empty();
    }

    @Override
    public synchronized Started start(DeletionRequest request) {
        DeletionRequest existing = jobs.putIfAbsent(request.jobName(), request);
        if (existing == null) {
            created.put(request.jobName(), clock.instant());
            return new Started(request.jobArn(), null);
        }
        return new Started(request.jobArn(), created.get(request.jobName()));
    }

    /** Creates a job of the name as someone else did, at {@code at}. */
    synchronized void createdElsewhere(DeletionRequest request, Instant at) {
        jobs.put(request.jobName(), request);
        created.put(request.jobName(), at);
    }

    synchronized Set<String> names() {
        return Set.copyOf(jobs.keySet());
    }
}
