package io.personalizeimport.infra;

import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.events.targets.LambdaFunction;
import software.amazon.awscdk.services.lambda.Alias;
import software.amazon.awscdk.services.lambda.EventInvokeConfigOptions;
import software.amazon.awscdk.services.lambda.IFunction;
import software.amazon.awscdk.services.lambda.destinations.SqsDestination;
import software.amazon.awscdk.services.sqs.IQueue;
import software.amazon.awscdk.services.sqs.Queue;
import software.amazon.awscdk.services.sqs.QueueEncryption;
import software.constructs.Construct;

/**
 * Where asynchronous work goes when it could not be done after its retries, instead of being dropped: encrypted,
 * TLS-only queues, the EventBridge targets that send to them, and the functions' own failed runs.
 */
final class DeadLetters {

    /** How long a queue keeps what it holds: SQS's longest, for an operator back from a holiday. */
    static final int RETENTION_DAYS = 14;

    private DeadLetters() {
    }

    static Queue queue(Construct scope, String id) {
        return Queue.Builder.create(scope, id)
                .encryption(QueueEncryption.SQS_MANAGED)
                .enforceSsl(true)
                .retentionPeriod(Duration.days(RETENTION_DAYS))
                .build();
    }

    /** A rule's target that sends an event EventBridge could not deliver after its retries to {@code queue}. */
    static LambdaFunction target(IFunction function, int retryAttempts, Duration maxEventAge, IQueue queue) {
        return LambdaFunction.Builder.create(function)
                .retryAttempts(retryAttempts)
                .maxEventAge(maxEventAge)
                .deadLetterQueue(queue)
                .build();
    }

    /**
     * Sends an event the function itself failed on, after Lambda's retries of an asynchronous invocation, to
     * {@code queue} (Lambda developer guide, "Asynchronous invocation": otherwise Lambda discards it).
     */
    static void runFailuresTo(Alias alias, int retryAttempts, Duration maxEventAge, IQueue queue) {
        alias.configureAsyncInvoke(EventInvokeConfigOptions.builder()
                .retryAttempts(retryAttempts)
                .maxEventAge(maxEventAge)
                .onFailure(new SqsDestination(queue))
                .build());
    }
}
