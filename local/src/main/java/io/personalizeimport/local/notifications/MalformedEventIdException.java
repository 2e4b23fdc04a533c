package io.personalizeimport.local.notifications;

/** Thrown when a string given as the id of a dead letter (an {@link EventId}) is not a lower-case UUID. */
public class MalformedEventIdException extends IllegalArgumentException {

    public MalformedEventIdException(String id) {
        super("'" + id + "' is not a dead letter ID: an ID is a lower-case UUID such as " + EventId.EXAMPLE);
    }
}
