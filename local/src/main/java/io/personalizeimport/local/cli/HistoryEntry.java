package io.personalizeimport.local.cli;

import com.fasterxml.jackson.annotation.JsonInclude;
import software.amazon.awssdk.services.sfn.model.HistoryEvent;

/**
 * One event of an execution's history as {@code local/run history} and the console show it: which state it entered or
 * left with what data, and the error and cause of a failure. Members the event lacks are null.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record HistoryEntry(
        long id,
        Long previousEventId,
        String timestamp,
        String type,
        String state,
        String input,
        String output,
        String error,
        String cause) {

    public static HistoryEntry of(HistoryEvent event) {
        String state = null;
        String input = null;
        String output = null;
        if (event.stateEnteredEventDetails() != null) {
            state = event.stateEnteredEventDetails().name();
            input = event.stateEnteredEventDetails().input();
        }
        if (event.stateExitedEventDetails() != null) {
            state = event.stateExitedEventDetails().name();
            output = event.stateExitedEventDetails().output();
        }
        String error = null;
        String cause = null;
        if (event.executionFailedEventDetails() != null) {
            error = event.executionFailedEventDetails().error();
            cause = event.executionFailedEventDetails().cause();
        } else if (event.lambdaFunctionFailedEventDetails() != null) {
            error = event.lambdaFunctionFailedEventDetails().error();
            cause = event.lambdaFunctionFailedEventDetails().cause();
        }
        return new HistoryEntry(event.id(), event.previousEventId(), event.timestamp().toString(), event.typeAsString(),
                state, input, output, error, cause);
    }

    /** One line for people: number, time, type, state, and a failure's error and cause. */
    public String line() {
        StringBuilder line = new StringBuilder(String.format("%4d  %s  %-28s", id, timestamp, type));
        if (state != null) {
            line.append(' ').append(state);
        }
        if (error != null) {
            line.append(' ').append(error).append(": ").append(cause);
        }
        return line.toString();
    }
}
