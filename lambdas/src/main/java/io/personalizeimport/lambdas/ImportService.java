package io.personalizeimport.lambdas;

import io.personalizeimport.lambdas.aws.AwsClients;
import io.personalizeimport.lambdas.aws.ImportJobCreator;
import io.personalizeimport.lambdas.aws.ImportJobCreator.Created;
import io.personalizeimport.lambdas.aws.ImportJobCreator.Deferred;
import io.personalizeimport.lambdas.aws.Preflight;
import io.personalizeimport.lambdas.config.Patterns;
import io.personalizeimport.lambdas.config.PipelineConfig;
import io.personalizeimport.lambdas.config.Route;
import io.personalizeimport.lambdas.domain.ImportRequest;
import io.personalizeimport.lambdas.domain.ImportSource;
import io.personalizeimport.lambdas.domain.MonitorInput;
import io.personalizeimport.lambdas.domain.S3Object;
import io.personalizeimport.lambdas.errors.DatasetBusyException;
import io.personalizeimport.lambdas.errors.DatasetImportRejectedException;
import io.personalizeimport.lambdas.errors.ImportJobLimitExceededException;
import java.util.Optional;

/** The creation logic that the trigger and the create task share: preflight, then CreateDatasetImportJob. */
final class ImportService {

    /** What the trigger did with one object. */
    record Started(String outcome, ImportRequest request, String executionArn, String detail) {
    }

    private final PipelineConfig config;
    private final Preflight preflight;
    private final ImportJobCreator creator;

    ImportService(PipelineConfig config, AwsClients clients) {
        this.config = config;
        this.preflight = new Preflight(clients.s3(), clients.personalize());
        this.creator = new ImportJobCreator(clients.personalize());
    }

    /**
     * Imports one uploaded object: a rejected file, a created job and a queued one all get a monitor execution, so
     * every outcome is visible in Step Functions; only the execution's input tells them apart.
     */
    Started importObject(Route route, S3Object object, MonitorStarter monitors) {
        ImportRequest request = ImportRequest.forObject(route, object);
        ImportSource source = ImportSource.of(object, route.name());
        Optional<String> rejection = rejection(request);
        if (rejection.isPresent()) {
            log("Rejected before import: " + rejection.get(), request, source);
            String execution = monitors.start(request.jobName(),
                    new MonitorInput(request.jobArn(), request, source, new MonitorInput.Rejection(rejection.get())));
            return new Started("REJECTED", request, execution, rejection.get());
        }
        String outcome;
        String detail = null;
        switch (creator.create(request)) {
            case Created created when created.alreadyExisted() -> {
                outcome = "ALREADY_EXISTS";
                log("Import job already exists (an earlier delivery created it)", request, source);
            }
            case Created created -> {
                outcome = "CREATED";
                log("Import job created", request, source);
            }
            case Deferred deferred -> {
                outcome = "QUEUED";
                detail = deferred.reason() + ": " + deferred.message();
                log("Import queued: the state machine creates the job when Personalize accepts it ("
                        + deferred.reason() + ")", request, source);
            }
        }
        String execution = monitors.start(request.jobName(), new MonitorInput(request.jobArn(), request, source, null));
        return new Started(outcome, request, execution, detail);
    }

    /**
     * Creates the job now, for the create task: a rejection or a deferral becomes the named exception the state
     * machine routes on.
     */
    MonitorInput createNow(ImportRequest request, ImportSource source) {
        Optional<String> rejection = rejection(request);
        if (rejection.isPresent()) {
            log("Rejected before import: " + rejection.get(), request, source);
            throw new DatasetImportRejectedException(rejection.get());
        }
        return switch (creator.create(request)) {
            case Created created -> {
                log(created.alreadyExisted() ? "Import job already exists" : "Import job created", request, source);
                yield new MonitorInput(created.datasetImportJobArn(), request, source, null);
            }
            case Deferred deferred when deferred.reason() == ImportJobCreator.Reason.DATASET_BUSY -> {
                log("Dataset busy; the state machine retries", request, source);
                throw new DatasetBusyException(deferred.message());
            }
            case Deferred deferred -> {
                log("Import job limit reached; the state machine retries", request, source);
                throw new ImportJobLimitExceededException(deferred.message());
            }
        };
    }

    private Optional<String> rejection(ImportRequest request) {
        if (request.dataLocation().length() > Patterns.MAX_DATA_LOCATION_LENGTH) {
            return Optional.of("Data location " + request.dataLocation() + " is " + request.dataLocation().length()
                    + " characters long: Personalize accepts at most " + Patterns.MAX_DATA_LOCATION_LENGTH
                    + "; use a shorter key");
        }
        return config.preflight() ? preflight.check(request.datasetArn(), request.dataLocation()) : Optional.empty();
    }

    private static void log(String message, ImportRequest request, ImportSource source) {
        Log.info(message, "jobName", request.jobName(), "datasetArn", request.datasetArn(),
                "dataLocation", request.dataLocation(), "key", source == null ? null : source.key(),
                "route", source == null ? null : source.route());
    }
}
