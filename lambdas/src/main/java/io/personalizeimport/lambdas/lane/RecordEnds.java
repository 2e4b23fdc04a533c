package io.personalizeimport.lambdas.lane;

/**
 * Where a CSV record ends as Personalize reads one (Amazon Personalize Developer Guide, "Formatting your input data"):
 * at a line break outside quotes; a line break inside a quoted value belongs to its record, and a quote escaped with a
 * backslash inside quoted text is part of the value. Fed one byte at a time, it keeps what it needs of the bytes before.
 */
final class RecordEnds {

    private boolean quoted;
    private boolean escaped;

    /** Whether {@code b}, the next byte of the stream, ends the record it belongs to. */
    boolean endsRecord(int b) {
        if (escaped) {
            escaped = false;
        } else if (quoted && b == '\\') {
            escaped = true;
        } else if (b == '"') {
            quoted = !quoted;
        } else {
            return b == '\n' && !quoted;
        }
        return false;
    }
}
