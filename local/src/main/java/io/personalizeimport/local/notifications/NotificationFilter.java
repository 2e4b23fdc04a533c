package io.personalizeimport.local.notifications;

import io.personalizeimport.lambdas.config.Route;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The notification configurations of one route: their id (S3's {@code configurationId}), the key prefix an object
 * must have, and the suffixes it may end with, one configuration per suffix, as the CDK stack subscribes them with
 * {@code addEventNotification(..., {prefix, suffix})}.
 *
 * <p>S3 gives each configuration its own id; here the configurations of a route share the route's, which no function
 * reads.
 */
public record NotificationFilter(String id, String prefix, List<String> suffixes) {

    // S3 accepts up to 255 characters for a configuration id; a route name fits easily.
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9._-]{1,255}");

    public NotificationFilter {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(prefix, "prefix");
        suffixes = List.copyOf(Objects.requireNonNull(suffixes, "suffixes"));
        if (!ID.matcher(id).matches()) {
            throw new IllegalArgumentException("A notification id has 1-255 letters, digits, '.', '_' or '-': " + id);
        }
        if (suffixes.isEmpty()) {
            throw new IllegalArgumentException("Notification " + id + " needs at least one suffix ('' for any)");
        }
        for (int i = 0; i < suffixes.size(); i++) {
            for (int j = i + 1; j < suffixes.size(); j++) {
                if (suffixesOverlap(suffixes.get(i), suffixes.get(j))) {
                    throw new IllegalArgumentException("Notification " + id + " has overlapping suffixes '"
                            + suffixes.get(i) + "' and '" + suffixes.get(j) + "': S3 rejects configurations that can"
                            + " both match one key");
                }
            }
        }
    }

    /** The configurations of a route: its prefix with each of {@link Route#CSV_SUFFIXES}, as the CDK stack has them. */
    public static NotificationFilter csv(String id, String prefix) {
        return new NotificationFilter(id, prefix, Route.CSV_SUFFIXES);
    }

    /** True when S3 would notify one of these configurations of a write to {@code key}. */
    public boolean matches(String key) {
        return key.startsWith(prefix) && suffixes.stream()
                .anyMatch(suffix -> key.endsWith(suffix) && key.length() >= prefix.length() + suffix.length());
    }

    /** True when S3 would refuse these configurations beside {@code other}'s for the same event type. */
    boolean overlaps(NotificationFilter other) {
        boolean prefixesOverlap = prefix.startsWith(other.prefix) || other.prefix.startsWith(prefix);
        return prefixesOverlap && suffixes.stream()
                .anyMatch(suffix -> other.suffixes.stream().anyMatch(theirs -> suffixesOverlap(suffix, theirs)));
    }

    /**
     * "Two suffixes are considered overlapping if a given string can end with both suffixes" (Amazon S3 User Guide,
     * "Configuring event notifications using object key name filtering"); the comparison is case-sensitive, so
     * {@code .csv} and {@code .CSV} do not overlap.
     */
    private static boolean suffixesOverlap(String a, String b) {
        return a.endsWith(b) || b.endsWith(a);
    }
}
