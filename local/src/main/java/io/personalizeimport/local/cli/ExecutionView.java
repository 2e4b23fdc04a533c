package io.personalizeimport.local.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.personalizeimport.lambdas.aws.StateMachineExecutions;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.HistoryEvent;

/**
 * One import as a person follows it: the file, the dataset, the job, where the execution is, what Personalize says,
 * how many polls, how long; read from the Step Functions API alone.
 */
public record ExecutionView(
        String name,
        String executionArn,
        String status,
        String file,
        String dataset,
        String state,
        String jobStatus,
        int polls,
        long elapsedMillis,
        String error,
        String cause) {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Set<String> DESCRIBE_STATES = Set.of("Describe import job", "Describe deletion job");

    public boolean running() {
        return ExecutionStatus.RUNNING.toString().equals(status);
    }

    /** The ARN of an execution of the state machine named by its name or its ARN. */
    public static String executionArn(String stateMachineArn, String nameOrArn) {
        return nameOrArn.startsWith("arn:") ? nameOrArn : StateMachineExecutions.executionArn(stateMachineArn, nameOrArn);
    }

    public static ExecutionView read(SfnClient sfn, String executionArn) {
        DescribeExecutionResponse execution = sfn.describeExecution(request -> request.executionArn(executionArn));
        return of(executionArn, execution, sfn.getExecutionHistory(request -> request.executionArn(executionArn)
                .reverseOrder(true).maxResults(40)).events());
    }

    /** The view of an execution described already, from its history's newest events first. */
    public static ExecutionView of(String executionArn, DescribeExecutionResponse execution,
                                   List<HistoryEvent> newestFirst) {
        JsonNode input = json(execution.input());
        String file = firstText(input.path("source").path("key"), input.path("key"), input.path("dataLocation"),
                input.path("datasetImportJobArn"));
        String dataset = datasetName(firstText(input.path("createRequest").path("datasetArn"),
                input.path("datasetArn"), input.path("deletionRequest").path("datasetGroupArn")));
        String state = null;
        String jobStatus = null;
        int polls = 0;
        for (HistoryEvent event : newestFirst) {
            if (state == null && event.stateEnteredEventDetails() != null) {
                state = event.stateEnteredEventDetails().name();
            }
            if (jobStatus == null && event.stateExitedEventDetails() != null
                    && DESCRIBE_STATES.contains(event.stateExitedEventDetails().name())) {
                JsonNode monitor = json(event.stateExitedEventDetails().output()).path("monitor");
                JsonNode job = monitor.has("dataDeletionJob") ? monitor.path("dataDeletionJob")
                        : monitor.path("datasetImportJob");
                jobStatus = job.path("status").asText(null);
                polls = job.path("polls").asInt();
                dataset = dataset != null ? dataset : datasetName(job.path("datasetArn").asText(null));
            }
        }
        if (execution.output() != null) {
            JsonNode output = json(execution.output());
            JsonNode job = output.has("dataDeletionJob") ? output.path("dataDeletionJob")
                    : output.path("datasetImportJob");
            jobStatus = job.path("status").asText(jobStatus);
            polls = job.path("polls").asInt(polls);
        }
        Instant end = execution.stopDate() != null ? execution.stopDate() : Instant.now();
        return new ExecutionView(execution.name(), executionArn, execution.statusAsString(), file, dataset,
                execution.status() == ExecutionStatus.RUNNING ? state : null, jobStatus, polls,
                Duration.between(execution.startDate(), end).toMillis(), execution.error(), execution.cause());
    }

    private static JsonNode json(String text) {
        if (text == null) {
            return MAPPER.missingNode();
        }
        try {
            return MAPPER.readTree(text);
        } catch (IOException e) {
            // An input an operator typed may be anything; the view then just shows less.
            return MAPPER.missingNode();
        }
    }

    private static String firstText(JsonNode... nodes) {
        for (JsonNode node : nodes) {
            if (node.isTextual()) {
                return node.textValue();
            }
        }
        return null;
    }

    /** {@code group/TYPE} from a dataset ARN: short enough for a table, still unambiguous. */
    public static String datasetName(String arn) {
        if (arn == null) {
            return null;
        }
        int group = arn.indexOf(":dataset-group/");
        if (group >= 0) {
            return arn.substring(group + ":dataset-group/".length()) + " (group)";
        }
        int slash = arn.indexOf(":dataset/");
        return slash < 0 ? arn : arn.substring(slash + ":dataset/".length());
    }

    /** One line for people: what it is, where it is, and how it ended. */
    public String line() {
        StringBuilder line = new StringBuilder();
        line.append(String.format("%-40s %-38s %-9s", trim(file, 40), trim(dataset, 38), status));
        if (running()) {
            line.append(String.format(" %-24s %-18s", trim(state, 24), jobStatus == null ? "-" : jobStatus));
        } else {
            line.append(String.format(" %-43s", jobStatus == null ? "" : jobStatus));
        }
        line.append(String.format(" polls %-3d %6.1fs  %s", polls, elapsedMillis / 1000.0, name));
        if (error != null) {
            line.append(System.lineSeparator()).append("    ").append(error).append(": ").append(cause);
        }
        return line.toString();
    }

    private static String trim(String text, int width) {
        if (text == null) {
            return "-";
        }
        return text.length() <= width ? text : "…" + text.substring(text.length() - width + 1);
    }
}
