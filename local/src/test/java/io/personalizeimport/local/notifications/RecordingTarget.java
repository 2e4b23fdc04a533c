package io.personalizeimport.local.notifications;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * A notification target that records every attempt and fails as told. It stands in for the Lambda host, whose
 * invocation of the real trigger is tested elsewhere ({@code LambdaHostTest}, the system tests).
 */
final class RecordingTarget implements NotificationTarget {

    static final String ERROR_TYPE = "io.personalizeimport.lambdas.errors.EventNotProcessedException";
    static final String ERROR_MESSAGE = "Personalize is unavailable";

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** One call of {@link #deliver}, when it came and what the target answered. */
    record Attempt(String eventJson, Instant at, boolean delivered) {

        JsonNode record() {
            try {
                return MAPPER.readTree(eventJson).path("Records").path(0);
            } catch (JsonProcessingException e) {
                throw new UncheckedIOException(e);
            }
        }

        String key() {
            return URLDecoder.decode(record().path("s3").path("object").path("key").asText(), StandardCharsets.UTF_8);
        }

        String requestId() {
            return record().path("responseElements").path("x-amz-request-id").asText();
        }
    }

    private final List<Attempt> attempts = new CopyOnWriteArrayList<>();
    private final AtomicInteger failuresLeft;

    private RecordingTarget(int failures) {
        this.failuresLeft = new AtomicInteger(failures);
    }

    static RecordingTarget succeeding() {
        return new RecordingTarget(0);
    }

    static RecordingTarget failingTimes(int failures) {
        return new RecordingTarget(failures);
    }

    static RecordingTarget alwaysFailing() {
        return new RecordingTarget(Integer.MAX_VALUE);
    }

    /** From now on every attempt succeeds. */
    void recover() {
        failuresLeft.set(0);
    }

    @Override
    public DeliveryOutcome deliver(String eventJson) {
        boolean fail = failuresLeft.getAndUpdate(left -> left > 0 && left != Integer.MAX_VALUE ? left - 1 : left) > 0;
        attempts.add(new Attempt(eventJson, Instant.now(), !fail));
        return fail ? DeliveryOutcome.failed(ERROR_TYPE, ERROR_MESSAGE) : DeliveryOutcome.delivered();
    }

    List<Attempt> attempts() {
        return List.copyOf(attempts);
    }

    List<Attempt> attemptsFor(String key) {
        return attempts.stream().filter(attempt -> attempt.key().equals(key)).toList();
    }

    List<Attempt> deliveredFor(String key) {
        return attemptsFor(key).stream().filter(Attempt::delivered).toList();
    }

    /** Waits until {@code key} was delivered {@code count} times; fails the test after 10 s. */
    List<Attempt> awaitDelivered(String key, int count) {
        await(() -> deliveredFor(key).size() >= count, "a delivery of " + key);
        return deliveredFor(key);
    }

    static void await(BooleanSupplier condition, String what) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("Timed out waiting for " + what);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("Interrupted while waiting for " + what, e);
            }
        }
    }
}
