package io.personalizeimport.local.notifications;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One notification configuration of the bucket: its id (S3's {@code configurationId}) and the key prefix and suffix
 * an object must have, as a CDK {@code addEventNotification(..., {prefix, suffix})} sets them.
 */
public record NotificationFilter(String id, String prefix, String suffix) {

    // S3 accepts up to 255 characters for a configuration id; a route name fits easily.
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9._-]{1,255}");

    public NotificationFilter {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(prefix, "prefix");
        Objects.requireNonNull(suffix, "suffix");
        if (!ID.matcher(id).matches()) {
            throw new IllegalArgumentException("A notification id has 1-255 letters, digits, '.', '_' or '-': " + id);
        }
    }

    /** A filter on a prefix and the {@code .csv} suffix, as the stack configures each route. */
    public static NotificationFilter csv(String id, String prefix) {
        return new NotificationFilter(id, prefix, ".csv");
    }

    /** True when S3 would notify this configuration of a write to {@code key}. */
    public boolean matches(String key) {
        return key.startsWith(prefix) && key.endsWith(suffix) && key.length() >= prefix.length() + suffix.length();
    }
}
