package io.personalizeimport.local.lambda;

import java.util.Objects;

/**
 * What one invocation returned: the handler's payload, or a function error body {@code {"errorMessage","errorType",...}}
 * with its errorType (null on success).
 */
public record InvocationResult(String requestId, String payload, String errorType) {

    public InvocationResult {
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(payload, "payload");
    }

    static InvocationResult success(String requestId, String payload) {
        return new InvocationResult(requestId, payload, null);
    }

    static InvocationResult functionError(String requestId, String errorBody, String errorType) {
        return new InvocationResult(requestId, errorBody, Objects.requireNonNull(errorType, "errorType"));
    }

    /** True when the function failed: Lambda answers with header {@code X-Amz-Function-Error: Unhandled}. */
    public boolean isFunctionError() {
        return errorType != null;
    }
}
