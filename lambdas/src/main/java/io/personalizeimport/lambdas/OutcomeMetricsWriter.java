package io.personalizeimport.lambdas;

import com.fasterxml.jackson.databind.JsonNode;
import io.personalizeimport.lambdas.events.DeletionEnded;
import io.personalizeimport.lambdas.events.FileRejected;
import io.personalizeimport.lambdas.events.FileSuperseded;
import io.personalizeimport.lambdas.events.ImportHeld;
import io.personalizeimport.lambdas.events.ImportEnded;
import io.personalizeimport.lambdas.events.OutboxEvent;
import io.personalizeimport.lambdas.events.OutcomeMetrics;
import io.personalizeimport.lambdas.json.Json;
import java.io.PrintStream;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes one set of {@link OutcomeMetrics} per published outcome to the function's log in CloudWatch's embedded metric
 * format (Amazon CloudWatch User Guide, "Specification: Embedded metric format"), which CloudWatch Logs turns into
 * metrics: no API call, no added latency. Each set has the one dimension {@value OutcomeMetrics#DATASET} that the
 * dashboard and alarms read.
 *
 * <p>Written here rather than through Powertools' metrics module (2.9.0 resolves here): that module adds the LogGroup,
 * ServiceName and ServiceType dimensions of its environment to every set, which would split each dataset's series
 * away from the alarms, and outside Lambda it writes nothing.
 */
final class OutcomeMetricsWriter {

    private final PrintStream log;
    private final Clock clock;

    OutcomeMetricsWriter(PrintStream log, Clock clock) {
        this.log = log;
        this.clock = clock;
    }

    /** The metrics of an outcome whose event was published. */
    void published(OutboxEvent event) {
        JsonNode detail;
        try {
            detail = Json.tree(event.detail());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("the outbox holds an event detail that is not JSON: " + event, e);
        }
        Map<String, Double> counts = new LinkedHashMap<>();
        Map<String, Double> seconds = new LinkedHashMap<>();
        switch (event.detailType()) {
            case ImportEnded.SUCCEEDED, ImportEnded.FAILED -> {
                counts.put(event.detailType().equals(ImportEnded.SUCCEEDED) ? OutcomeMetrics.IMPORTS_SUCCEEDED
                        : OutcomeMetrics.IMPORTS_FAILED, 1.0);
                optional(counts, OutcomeMetrics.POLLS, detail, "polls");
                optional(seconds, OutcomeMetrics.IMPORT_DURATION, detail, "durationSeconds");
                optional(seconds, OutcomeMetrics.UPLOAD_TO_JOB, detail, "waitSeconds");
                optional(seconds, OutcomeMetrics.DETECTION_DELAY, detail, "detectionSeconds");
            }
            case FileRejected.DETAIL_TYPE -> counts.put(OutcomeMetrics.FILES_REJECTED, 1.0);
            case FileSuperseded.DETAIL_TYPE -> counts.put(OutcomeMetrics.FILES_SUPERSEDED, 1.0);
            case ImportHeld.DETAIL_TYPE -> counts.put(OutcomeMetrics.IMPORTS_HELD, 1.0);
            case DeletionEnded.SUCCEEDED -> {
                counts.put(OutcomeMetrics.DELETIONS_SUCCEEDED, 1.0);
                optional(counts, OutcomeMetrics.RECORDS_DELETED, detail, "numDeleted");
            }
            case DeletionEnded.FAILED -> counts.put(OutcomeMetrics.DELETIONS_FAILED, 1.0);
            default -> throw new IllegalStateException("no metrics for detail-type " + event.detailType());
        }
        write(event.datasetArn(), counts, seconds);
    }

    /** The files waiting in a dataset's lane after an import ended. */
    void waiting(String datasetArn, int files) {
        write(datasetArn, Map.of(OutcomeMetrics.FILES_WAITING, (double) files), Map.of());
    }

    /** The region's import slots held by lanes and the lanes in line for one, one set without a dimension. */
    void slots(int inUse, int lanesWaiting) {
        Map<String, Double> counts = new LinkedHashMap<>();
        counts.put(OutcomeMetrics.IMPORT_SLOTS_IN_USE, (double) inUse);
        counts.put(OutcomeMetrics.LANES_WAITING_FOR_SLOT, (double) lanesWaiting);
        write(null, counts, Map.of());
    }

    /** One set of metrics: of the dataset's, or of the region's when {@code datasetArn} is null. */
    private void write(String datasetArn, Map<String, Double> counts, Map<String, Double> seconds) {
        List<Map<String, String>> metrics = new ArrayList<>();
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("_aws", Map.of("Timestamp", clock.millis(), "CloudWatchMetrics", List.of(Map.of(
                "Namespace", OutcomeMetrics.NAMESPACE,
                "Dimensions", datasetArn == null ? List.of(List.of()) : List.of(List.of(OutcomeMetrics.DATASET)),
                "Metrics", metrics))));
        if (datasetArn != null) {
            document.put(OutcomeMetrics.DATASET, datasetArn);
        }
        counts.forEach((name, value) -> {
            metrics.add(Map.of("Name", name, "Unit", "Count"));
            document.put(name, value);
        });
        seconds.forEach((name, value) -> {
            metrics.add(Map.of("Name", name, "Unit", "Seconds"));
            document.put(name, value);
        });
        log.println(Json.write(document));
    }

    private static void optional(Map<String, Double> metrics, String name, JsonNode detail, String field) {
        JsonNode value = detail.path(field);
        if (value.isNumber()) {
            metrics.put(name, value.asDouble());
        }
    }
}
