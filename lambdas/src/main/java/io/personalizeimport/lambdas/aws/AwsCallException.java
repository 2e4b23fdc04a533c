package io.personalizeimport.lambdas.aws;

import io.personalizeimport.lambdas.errors.DatasetBusyException;
import io.personalizeimport.lambdas.errors.ImportJobLimitExceededException;
import io.personalizeimport.lambdas.errors.ServiceRefusedException;
import io.personalizeimport.lambdas.errors.TransientServiceException;
import io.personalizeimport.lambdas.lane.ServiceCallException;

/**
 * A classified AWS error: which call, what kind, and the service's code and message. It never leaves a function:
 * callers handle the kinds they expect and turn the rest into the pipeline's named errors with {@link #escalate}.
 */
public final class AwsCallException extends ServiceCallException {

    private final AwsCall call;
    private final ErrorKind kind;
    private final String code;
    private final String serviceMessage;

    AwsCallException(AwsCall call, ErrorKind kind, String code, String serviceMessage, Throwable cause) {
        super(describe(call, kind, code, serviceMessage), cause);
        this.call = call;
        this.kind = kind;
        this.code = code;
        this.serviceMessage = serviceMessage;
    }

    private static String describe(AwsCall call, ErrorKind kind, String code, String message) {
        String verb = kind == ErrorKind.TRANSIENT ? " failed " : " refused ";
        return call.service() + verb + call.operation() + " for " + call.subject() + ": " + code + ": " + message;
    }

    public AwsCall call() {
        return call;
    }

    public ErrorKind kind() {
        return kind;
    }

    /** The service's error code, such as {@code AccessDeniedException}. */
    public String code() {
        return code;
    }

    public String serviceMessage() {
        return serviceMessage;
    }

    /** The same failure, known to be worth retrying (a cancelled transaction that conflicted with another one). */
    public AwsCallException asTransient() {
        return new AwsCallException(call, ErrorKind.TRANSIENT, code, serviceMessage, getCause());
    }

    /** The named error the state machine routes on: transient errors are retried, refusals end the execution. */
    public RuntimeException escalate() {
        return switch (kind) {
            case TRANSIENT -> new TransientServiceException(getMessage(), this);
            case DATASET_BUSY -> new DatasetBusyException(getMessage(), this);
            case JOB_LIMIT -> new ImportJobLimitExceededException(getMessage(), this);
            case ALREADY_EXISTS, NOT_FOUND, PERMANENT -> new ServiceRefusedException(getMessage(), this);
        };
    }
}
