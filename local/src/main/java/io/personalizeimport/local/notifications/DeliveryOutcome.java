package io.personalizeimport.local.notifications;

import java.util.Objects;

/** What a {@link NotificationTarget} made of one delivery attempt. */
public sealed interface DeliveryOutcome {

    /** The target accepted the event. */
    static DeliveryOutcome delivered() {
        return Delivered.INSTANCE;
    }

    /** The target failed; {@code responsePayload} is the function's error body, if it returned one. */
    static Failed failed(String errorType, String errorMessage, String responsePayload) {
        return new Failed(errorType, errorMessage, responsePayload);
    }

    /** The target failed without an error body. */
    static Failed failed(String errorType, String errorMessage) {
        return new Failed(errorType, errorMessage, null);
    }

    /** The event was handled. */
    record Delivered() implements DeliveryOutcome {
        private static final Delivered INSTANCE = new Delivered();
    }

    /** The event was not handled; the attempt counts towards the retry limit. */
    record Failed(String errorType, String errorMessage, String responsePayload) implements DeliveryOutcome {
        public Failed {
            Objects.requireNonNull(errorType, "errorType");
            errorMessage = errorMessage == null ? "" : errorMessage;
        }
    }
}
