package io.personalizeimport.lambdas.events;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The {@code detail} of an event the pipeline publishes on EventBridge, one record per detail-type. Every detail
 * carries {@code schemaVersion} (a change that removes or retypes a field raises it) and {@code eventId}, the same for
 * every publication of one outcome, so a subscriber can drop the rare repeat that at-least-once delivery allows.
 */
public sealed interface EventDetail permits ImportEnded, FileRejected, FileSuperseded, ImportHeld, DeletionEnded {

    /** The events' {@code source}. */
    String SOURCE = "personalize-import";
    String SCHEMA_VERSION = "1";

    /** The event's {@code detail-type}. */
    String detailType();

    String eventId();

    /** The dataset the outcome is about; also the event's one {@code resources} entry. */
    String datasetArn();

    /** A stable id of one outcome: the detail-type and what it is about, hashed. */
    static String idOf(String detailType, String subject) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest((detailType + "\n" + subject).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
