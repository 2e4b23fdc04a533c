package io.personalizeimport.lambdas;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.S3Event;
import com.amazonaws.services.lambda.runtime.events.models.s3.S3EventNotification.S3EventNotificationRecord;
import io.personalizeimport.lambdas.config.Environment;
import io.personalizeimport.lambdas.config.PipelineConfig;
import io.personalizeimport.lambdas.errors.EventNotProcessedException;
import io.personalizeimport.lambdas.lane.UploadResult;
import io.personalizeimport.lambdas.lane.Uploads;
import java.util.ArrayList;
import java.util.List;

/** Takes each object an S3 notification names into its dataset's lane ({@link Uploads}). */
public final class TriggerHandler implements RequestHandler<S3Event, TriggerHandler.Summary> {

    private final Pipeline pipeline;
    private final Uploads uploads;

    public TriggerHandler() {
        this(Environment.system());
    }

    private TriggerHandler(Environment env) {
        this(Pipeline.from(FunctionSettings.TRIGGER, env), PipelineConfig.stateMachineArn(env));
        Priming.register(ImportPriming.trigger(this, pipeline, env));
    }

    public TriggerHandler(Pipeline pipeline, String stateMachineArn) {
        this.pipeline = pipeline;
        this.uploads = pipeline.core(stateMachineArn).uploads();
    }

    /** What became of each record, in the event's order. */
    public record Summary(List<UploadResult> records) {
    }

    /**
     * Records that fail are retried by failing the whole invocation after the others are done; every step is
     * idempotent, so a retry repeats nothing.
     */
    @Override
    public Summary handleRequest(S3Event event, Context context) {
        List<S3EventNotificationRecord> records = event == null || event.getRecords() == null ? List.of()
                : event.getRecords();
        if (records.isEmpty()) {
            Log.info("Event has no records (an s3:TestEvent or an empty notification); nothing to import");
        }
        List<UploadResult> results = new ArrayList<>();
        RuntimeException firstFailure = null;
        for (S3EventNotificationRecord record : records) {
            try {
                results.add(uploads.accept(S3Notifications.read(record)));
            } catch (RuntimeException e) {
                firstFailure = firstFailure == null ? e : firstFailure;
                Log.error("Record not processed; the event will be retried", "key", S3Notifications.rawKey(record),
                        "error", e.getClass().getSimpleName(), "reason", e.getMessage());
            }
        }
        if (firstFailure != null) {
            throw new EventNotProcessedException((records.size() - results.size()) + " of " + records.size()
                    + " records not processed; first failure: " + firstFailure.getMessage(), firstFailure);
        }
        return new Summary(results);
    }
}
