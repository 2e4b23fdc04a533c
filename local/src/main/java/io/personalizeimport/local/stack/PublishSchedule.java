package io.personalizeimport.local.stack;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.personalizeimport.lambdas.FunctionSettings;
import io.personalizeimport.local.lambda.InvocationResult;
import io.personalizeimport.local.lambda.LambdaHost;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The stack's schedule rule: it runs the publish function every {@value FunctionSettings#PUBLISH_EVERY_MINUTES}
 * minutes, scaled as the state machine's waits are, with the event EventBridge sends a scheduled rule's target.
 */
final class PublishSchedule implements AutoCloseable {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("publish-schedule").daemon().factory());

    private PublishSchedule() {
    }

    /** Starts running the function every {@code every}, the first run one period from now. */
    static PublishSchedule start(LambdaHost host, Duration every, String ruleArn, Consumer<String> logSink) {
        PublishSchedule schedule = new PublishSchedule();
        String function = FunctionSettings.PUBLISH.functionName();
        schedule.timer.scheduleWithFixedDelay(() -> {
            InvocationResult result = host.invoke(function, event(host, ruleArn));
            if (result.isFunctionError()) {
                logSink.accept("local-stack: the scheduled " + function + " run failed (the next run retries): "
                        + result.payload());
            }
        }, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
        return schedule;
    }

    private static String event(LambdaHost host, String ruleArn) {
        ObjectNode event = MAPPER.createObjectNode();
        event.put("version", "0");
        event.put("id", UUID.randomUUID().toString());
        event.put("detail-type", "Scheduled Event");
        event.put("source", "aws.events");
        event.put("account", ruleArn.split(":")[4]);
        event.put("time", Instant.now().toString());
        event.put("region", host.region());
        event.putArray("resources").add(ruleArn);
        event.putObject("detail");
        return event.toString();
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
