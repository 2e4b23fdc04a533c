package io.personalizeimport.lambdas;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import io.personalizeimport.lambdas.aws.AwsCallException;
import io.personalizeimport.lambdas.errors.InvalidImportRequestException;
import io.personalizeimport.lambdas.json.Json;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * A state machine task: its input record read with {@link Json}, one call, its output record written with it. An AWS
 * error that reaches it becomes one of the named errors the state machine routes on.
 */
public abstract class TaskHandler<I, O> implements RequestStreamHandler {

    private final String task;
    private final Class<I> inputType;

    /** @param task the task's name in error messages, such as {@code describe} */
    protected TaskHandler(String task, Class<I> inputType) {
        this.task = task;
        this.inputType = inputType;
    }

    @Override
    public final void handleRequest(InputStream input, OutputStream output, Context context) {
        Json.write(output, handle(read(input)));
    }

    /** Handles one input; what the state machine receives as the task's result. */
    public final O handle(I input) {
        try {
            return run(input);
        } catch (AwsCallException e) {
            throw failed(input, e);
        }
    }

    /** The task's one call into the core. */
    protected abstract O run(I input);

    /** What an AWS error that reached the task becomes: by default, the named error of its kind. */
    protected RuntimeException failed(I input, AwsCallException e) {
        return e.escalate();
    }

    /**
     * When the execution started, from {@code $$.Execution.StartTime}; null when absent and not {@code required}
     * (executions started before the field was passed).
     */
    protected static Instant executionStart(String text, boolean required) {
        if (text == null || text.isEmpty()) {
            if (required) {
                throw new InvalidImportRequestException("executionStartTime is missing: expected the task's"
                        + " Parameters to pass $$.Execution.StartTime");
            }
            return null;
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new InvalidImportRequestException("executionStartTime '" + text + "' is not an ISO-8601 instant", e);
        }
    }

    private I read(InputStream input) {
        try {
            return Json.read(input, inputType);
        } catch (IllegalArgumentException e) {
            throw new InvalidImportRequestException("The " + task + " task's input cannot be read: " + e.getMessage(),
                    e);
        }
    }
}
