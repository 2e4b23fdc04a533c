package io.personalizeimport.lambdas.aws;

import io.personalizeimport.lambdas.Log;
import io.personalizeimport.lambdas.config.Patterns;
import io.personalizeimport.lambdas.config.PipelineConfig;
import io.personalizeimport.lambdas.domain.ImportOutcome;
import io.personalizeimport.lambdas.domain.ImportRequest;
import io.personalizeimport.lambdas.domain.ImportSource;
import io.personalizeimport.lambdas.lane.ImportJobs;
import io.personalizeimport.lambdas.lane.ObjectHead;
import java.util.Optional;
import software.amazon.awssdk.services.personalize.PersonalizeClient;

/** Personalize's import jobs: the preflight check of their data, then CreateDatasetImportJob. */
public final class PersonalizeImportJobs implements ImportJobs {

    private final PipelineConfig config;
    private final Preflight preflight;
    private final ImportJobCreator creator;

    /** @param preflight the checks of the data, whose schema cache lives as long as the container */
    public PersonalizeImportJobs(PipelineConfig config, PersonalizeClient personalize, Preflight preflight) {
        this.config = config;
        this.preflight = preflight;
        this.creator = new ImportJobCreator(personalize);
    }

    /**
     * Checks the data, then creates the job.
     *
     * @throws io.personalizeimport.lambdas.aws.AwsCallException transient errors and refusals, classified
     * @throws io.personalizeimport.lambdas.errors.InvalidImportRequestException when the dataset or its schema cannot
     *     be read, or the job name is taken by a different import
     * @param head the file's read when the caller has just made one, which the preflight then need not make again;
     *     null otherwise
     */
    @Override
    public ImportOutcome start(ImportRequest request, ImportSource source, ObjectHead head) {
        Optional<String> rejection = rejection(request, head);
        if (rejection.isPresent()) {
            log("Rejected before import: " + rejection.get(), request, source);
            return new ImportOutcome.Rejected(rejection.get());
        }
        ImportOutcome outcome = creator.create(request, subject(request, source));
        if (outcome instanceof ImportOutcome.Created created) {
            log(created.alreadyExisted() ? "Import job already exists (an earlier attempt created it)"
                    : "Import job created", request, source);
        } else if (outcome instanceof ImportOutcome.Deferred deferred) {
            log("Personalize cannot take the job now (" + deferred.reason() + "); it is created later", request, source);
        }
        return outcome;
    }

    /**
     * The preflight check alone: why the data would be refused, if it would; {@code head} is the file's read when the
     * caller has just made it (null otherwise).
     *
     * @throws io.personalizeimport.lambdas.aws.AwsCallException when the check cannot be made now
     */
    @Override
    public Optional<String> check(ImportRequest request, ObjectHead head) {
        return rejection(request, head);
    }

    /** How errors name an import: its file (or folder) and its job. */
    static String subject(ImportRequest request, ImportSource source) {
        String file = source != null && source.key() != null ? source.key() : request.dataLocation();
        return file + " (job " + request.jobName() + ")";
    }

    private Optional<String> rejection(ImportRequest request, ObjectHead head) {
        if (request.dataLocation().length() > Patterns.MAX_DATA_LOCATION_LENGTH) {
            return Optional.of("Data location " + request.dataLocation() + " is " + request.dataLocation().length()
                    + " characters long: Personalize accepts at most " + Patterns.MAX_DATA_LOCATION_LENGTH
                    + "; use a shorter key");
        }
        return config.preflight() ? preflight.check(request.datasetArn(), request.dataLocation(), head)
                : Optional.empty();
    }

    private static void log(String message, ImportRequest request, ImportSource source) {
        Log.info(message, "jobName", request.jobName(), "datasetArn", request.datasetArn(),
                "dataLocation", request.dataLocation(), "key", source == null ? null : source.key(),
                "route", source == null ? null : source.route());
    }
}
