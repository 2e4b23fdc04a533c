package io.personalizeimport.lambdas.lane;

import io.personalizeimport.lambdas.domain.ImportOutcome;
import io.personalizeimport.lambdas.domain.ImportRequest;
import io.personalizeimport.lambdas.domain.ImportSource;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Import jobs in memory: a job per name, created once; a preflight that refuses files whose first line is not the
 * expected header; and a region that can be made to refuse new jobs, as Personalize does past five.
 */
final class InMemoryImportJobs implements ImportJobs {

    static final String HEADER = "USER_ID,ITEM_ID,TIMESTAMP";

    private final Map<String, ImportRequest> jobs = new LinkedHashMap<>();
    private ImportOutcome.Reason refusing;
    private boolean unavailable;
    private final Map<String, java.time.Instant> created = new LinkedHashMap<>();
    private java.time.Instant createdAt;

    /** Stamps the jobs created from now on with {@code instant}, as Personalize gives each its creation time. */
    synchronized void creatingAt(java.time.Instant instant) {
        this.createdAt = instant;
    }

    /** A service that does not answer: every call throws, as the AWS adapters do when a call fails. */
    static final class Unavailable extends ServiceCallException {
        Unavailable(String call) {
            super("Personalize did not answer " + call, null);
        }
    }

    /** Makes every call fail with {@link Unavailable} until called again with false. */
    synchronized void unavailable(boolean unavailable) {
        this.unavailable = unavailable;
    }

    /** Makes Personalize answer that it cannot take a job now, for that reason; null lets it take jobs again. */
    synchronized void refuse(ImportOutcome.Reason reason) {
        this.refusing = reason;
    }

    @Override
    public synchronized ImportOutcome start(ImportRequest request, ImportSource source, ObjectHead head) {
        if (unavailable) {
            throw new Unavailable("CreateDatasetImportJob for " + request.jobName());
        }
        Optional<String> rejection = check(request, head);
        if (rejection.isPresent()) {
            return new ImportOutcome.Rejected(rejection.get());
        }
        if (refusing != null) {
            return new ImportOutcome.Deferred(refusing, "Personalize cannot take " + request.jobName() + " now");
        }
        boolean existed = jobs.putIfAbsent(request.jobName(), request) != null;
        created.putIfAbsent(request.jobName(), createdAt);
        return new ImportOutcome.Created(request.jobArn(), existed, existed ? created.get(request.jobName()) : null);
    }

    @Override
    public synchronized Optional<String> check(ImportRequest request, ObjectHead head) {
        if (unavailable) {
            throw new Unavailable("DescribeSchema for " + request.datasetArn());
        }
        if (head == null || request.dataLocation().endsWith("/")) {
            return Optional.empty();
        }
        String first = new String(head.firstBytes(), java.nio.charset.StandardCharsets.UTF_8).lines().findFirst()
                .orElse("");
        return first.equals(HEADER) ? Optional.empty()
                : Optional.of("Header is '" + first + "': expected " + HEADER);
    }

    synchronized List<String> jobNames() {
        return List.copyOf(jobs.keySet());
    }

    synchronized ImportRequest job(String name) {
        return jobs.get(name);
    }
}
