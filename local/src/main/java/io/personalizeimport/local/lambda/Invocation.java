package io.personalizeimport.local.lambda;

import java.util.concurrent.CompletableFuture;

/** One request waiting for, or running in, a container; {@code outcome} completes once, by the first answer. */
record Invocation(
        String requestId,
        byte[] payload,
        String invokedFunctionArn,
        String traceId,
        CompletableFuture<InvocationResult> outcome) {

    static Invocation of(String requestId, byte[] payload, String invokedFunctionArn, String traceId) {
        return new Invocation(requestId, payload, invokedFunctionArn, traceId, new CompletableFuture<>());
    }
}
