package io.personalizeimport.local.notifications;

/** Thrown when the notification state directory cannot be read or written. */
public class NotificationStoreException extends RuntimeException {

    public NotificationStoreException(String message, Throwable cause) {
        super(message, cause);
    }

    public NotificationStoreException(String message) {
        super(message);
    }
}
