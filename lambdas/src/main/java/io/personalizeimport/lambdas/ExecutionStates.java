package io.personalizeimport.lambdas;

import com.fasterxml.jackson.databind.JsonNode;
import io.personalizeimport.lambdas.domain.DeletionRequest;
import io.personalizeimport.lambdas.domain.ImportRequest;
import io.personalizeimport.lambdas.domain.ImportSource;
import io.personalizeimport.lambdas.domain.MonitorInput;
import io.personalizeimport.lambdas.domain.MonitorInput.FolderWatch;
import io.personalizeimport.lambdas.domain.MonitorInput.LaneTicket;
import io.personalizeimport.lambdas.errors.InvalidImportRequestException;
import io.personalizeimport.lambdas.json.Json;
import io.personalizeimport.lambdas.lane.Ending;
import io.personalizeimport.lambdas.lane.OperatorRequest;
import io.personalizeimport.lambdas.lane.Release;

/** Reads the parts of an execution's state (its input, as the tasks pass it on) that the tasks act on. */
final class ExecutionStates {

    private ExecutionStates() {
    }

    /** An import the lane planned and queued, to be created as planned. */
    record Queued(ImportRequest request, ImportSource source, LaneTicket lane) {
    }

    static boolean isQueued(JsonNode state) {
        return state.has("createRequest");
    }

    static Queued queued(JsonNode state) {
        ImportRequest request = read(state, "createRequest", ImportRequest.class);
        if (request.jobName() == null || request.datasetArn() == null || request.dataLocation() == null
                || request.roleArn() == null) {
            throw new InvalidImportRequestException("createRequest " + state.get("createRequest")
                    + " is incomplete: expected jobName, datasetArn, dataLocation and roleArn");
        }
        return new Queued(request, read(state, "source", ImportSource.class), read(state, "lane", LaneTicket.class));
    }

    /** Whether the execution runs a data deletion that holds its group's deletion lane. */
    static boolean isDeletion(JsonNode state) {
        return state != null && state.has("deletionRequest");
    }

    /** The data deletion the execution runs. */
    static MonitorInput.LaneDeletion deletion(JsonNode state) {
        DeletionRequest request = read(state, "deletionRequest", DeletionRequest.class);
        LaneTicket lane = read(state, "lane", LaneTicket.class);
        if (request.jobName() == null || request.datasetGroupArn() == null || request.dataLocation() == null
                || request.roleArn() == null || lane == null) {
            throw new InvalidImportRequestException("deletionRequest " + state.get("deletionRequest") + " with lane "
                    + state.get("lane") + " is incomplete: expected jobName, datasetGroupArn, dataLocation and"
                    + " roleArn, and the group's lane");
        }
        return new MonitorInput.LaneDeletion(text(state, "dataDeletionJobArn"), request,
                read(state, "source", ImportSource.class), lane);
    }

    /** The records the execution's data deletion job removed, as its last description said; null when unknown. */
    static Long numDeleted(JsonNode state) {
        JsonNode count = state.path("monitor").path("dataDeletionJob").get("numDeleted");
        return count != null && count.canConvertToLong() ? count.asLong() : null;
    }

    /** An operator's request in one of its forms. */
    static OperatorRequest operatorRequest(JsonNode state) {
        if (state == null || !state.isObject()) {
            throw new InvalidImportRequestException("Execution input is " + state + ": " + OperatorRequest.FORMS);
        }
        if (state.has("bucket") || state.has("key")) {
            return new OperatorRequest.ForObject(text(state, "bucket"), text(state, "key"));
        }
        if (state.has("dataLocation") || state.has("datasetArn")) {
            return new OperatorRequest.ForLocation(text(state, "dataLocation"), text(state, "datasetArn"),
                    text(state, "roleArn"), text(state, "importMode"), text(state, "jobName"));
        }
        throw new InvalidImportRequestException("Execution input has none of the fields the import monitor reads: "
                + OperatorRequest.FORMS + "; got " + state);
    }

    /**
     * How the execution came to its last task: the first of its folder watch, a task's failure (which the state machine
     * catches into {@code createFailure} or {@code describeFailure}), a batch's file that could not be staged, the
     * trigger's rejection, its place in a lane, or its job's final status.
     */
    static Ending ending(String executionName, JsonNode state) {
        if (executionName == null || executionName.isEmpty() || state == null || !state.isObject()) {
            throw new InvalidImportRequestException("The verdict task needs the execution's name and its state as"
                    + " input; got executionName " + executionName + " and input " + state);
        }
        return new Ending(executionName, happened(state), claim(state), job(state));
    }

    private static Ending.Happened happened(JsonNode state) {
        if (state.has("folderWatch")) {
            return new Ending.FolderWaited(read(state, "folderWatch", FolderWatch.class));
        }
        for (Ending.Task task : Ending.Task.values()) {
            JsonNode failure = state.get(task.name().toLowerCase(java.util.Locale.ROOT) + "Failure");
            if (failure != null && failure.isObject()) {
                return new Ending.TaskFailed(task, textOf(failure.get("Error")), message(failure.get("Cause")));
            }
        }
        JsonNode unstageable = state.path("staging").get("unreadable");
        if (unstageable != null && unstageable.isObject()) {
            return read(state.path("staging"), "unreadable", Ending.Unstageable.class);
        }
        if (state.has("rejection")) {
            return new Ending.Rejected(textOf(state.path("rejection").get("reason")));
        }
        if (state.has("queued")) {
            return read(state, "queued", Ending.Queued.class);
        }
        JsonNode monitor = state.path("monitor");
        String status = textOf(monitor.path("datasetImportJob").get("status"));
        if ("ACTIVE".equals(status) || "CREATE FAILED".equals(status)) {
            return new Ending.JobEnded(status, textOf(monitor.get("cause")));
        }
        String deletion = textOf(monitor.path("dataDeletionJob").get("status"));
        if ("COMPLETED".equals(deletion) || "FAILED".equals(deletion)) {
            return new Ending.JobEnded(deletion, textOf(monitor.get("cause")));
        }
        throw new InvalidImportRequestException("The execution's state shows no end: expected a folderWatch, a"
                + " createFailure or describeFailure, a rejection, a queued import, an import job ACTIVE or CREATE"
                + " FAILED or a data deletion job COMPLETED or FAILED in monitor; got " + state);
    }

    /** The lane the state names, or null when it names neither a lane nor an operator's file or location. */
    private static Ending.LaneClaim claim(JsonNode state) {
        if (!state.has("lane") && !state.has("key") && !state.has("dataLocation")) {
            return null;
        }
        return new Ending.LaneClaim(read(state, "lane", LaneTicket.class),
                new Release.Asked(textOf(state.get("datasetArn")), textOf(state.get("key"))),
                textOf(state.path("createRequest").get("jobName")));
    }

    /** The job as the describe task last saw it, with what the execution asked of it. */
    private static Release.JobSeen job(JsonNode state) {
        JsonNode job = state.path("monitor").path("datasetImportJob");
        JsonNode request = state.path("createRequest");
        JsonNode polls = job.get("polls");
        return new Release.JobSeen(firstText(job.get("datasetImportJobArn"), state.get("datasetImportJobArn")),
                firstText(request.get("importMode"), job.get("importMode")),
                firstText(request.get("dataLocation"), job.get("dataLocation")), textOf(job.get("status")),
                textOf(job.get("creationDateTime")), textOf(job.get("lastUpdatedDateTime")),
                polls != null && polls.canConvertToLong() ? polls.asLong() : null);
    }

    /** A Java error's message from its Cause ({"errorMessage": ...}), or the Cause as it is. */
    private static String message(JsonNode cause) {
        String text = textOf(cause);
        if (text == null || !text.startsWith("{")) {
            return text;
        }
        try {
            return textOf(Json.tree(text).get("errorMessage"));
        } catch (IllegalArgumentException notJson) {
            return text;
        }
    }

    private static String firstText(JsonNode first, JsonNode second) {
        String text = textOf(first);
        return text != null ? text : textOf(second);
    }

    /** A value's non-empty text, or null for anything else. */
    private static String textOf(JsonNode value) {
        return value != null && value.isTextual() && !value.asText().isEmpty() ? value.asText() : null;
    }

    /** A record in the state, or null when the field is absent. */
    static <T> T read(JsonNode state, String field, Class<T> type) {
        JsonNode node = state.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        try {
            return Json.read(node, type);
        } catch (IllegalArgumentException e) {
            throw new InvalidImportRequestException("The task's input cannot be read: " + field + ": "
                    + e.getMessage(), e);
        }
    }

    /** A field's non-empty text, or null when the field is absent or null. */
    static String text(JsonNode state, String field) {
        JsonNode value = state.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual() || value.asText().isBlank()) {
            throw new InvalidImportRequestException(field + " is " + value + ": expected a non-empty string");
        }
        return value.asText();
    }
}
