package io.personalizeimport.local.notifications;

/** Receives S3 event notifications: in the local stack, the trigger function on the Lambda host. */
@FunctionalInterface
public interface NotificationTarget {

    /**
     * Handles one event, the JSON document S3 sends ({@code {"Records":[...]}}). A thrown exception counts as a
     * failed attempt, like a returned {@link DeliveryOutcome.Failed}.
     */
    DeliveryOutcome deliver(String eventJson);

    /** The target's ARN, written into dead letters as Lambda writes {@code requestContext.functionArn}. */
    default String arn() {
        return "arn:aws:lambda:local:000000000000:function:notification-target";
    }
}
