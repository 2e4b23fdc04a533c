package io.personalizeimport.local.notifications;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The id of a notified event, given when it is queued: a random UUID in its canonical lower-case form. It names the
 * event's file, {@code pending/<id>.json} and, once its attempts are exhausted, {@code dead-letters/<id>.json}, where
 * it is the dead letter's id. Nothing else is an id, so no id can name a file outside those folders.
 */
public record EventId(String value) {

    /** An id as {@link UUID#toString()} writes it; a file in {@code dead-letters/} named otherwise is no dead letter. */
    private static final Pattern FORMAT =
            Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    private static final String FILE_SUFFIX = ".json";

    /** What an id looks like, for messages. */
    public static final String EXAMPLE = "0b5e6f4c-9d27-4a8e-b1f3-7c2d58e9a604";

    /**
     * Checks the form of an id, before it becomes part of a path.
     *
     * @throws MalformedEventIdException when {@code value} is not a lower-case UUID
     */
    public EventId {
        Objects.requireNonNull(value, "value");
        if (!FORMAT.matcher(value).matches()) {
            throw new MalformedEventIdException(value);
        }
    }

    /** A new id for an event being queued. */
    static EventId random() {
        return new EventId(UUID.randomUUID().toString());
    }

    /** The id a file in {@code pending/} or {@code dead-letters/} is named after, if it is named after one. */
    public static Optional<EventId> ofFile(Path file) {
        String name = file.getFileName().toString();
        if (!name.endsWith(FILE_SUFFIX)) {
            return Optional.empty();
        }
        String id = name.substring(0, name.length() - FILE_SUFFIX.length());
        return FORMAT.matcher(id).matches() ? Optional.of(new EventId(id)) : Optional.empty();
    }

    /** This event's file in {@code folder}: always directly inside it, as the id holds no separator or dot segment. */
    public Path fileIn(Path folder) {
        return folder.resolve(value + FILE_SUFFIX);
    }

    @Override
    public String toString() {
        return value;
    }
}
