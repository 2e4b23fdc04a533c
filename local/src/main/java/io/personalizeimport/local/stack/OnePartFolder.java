package io.personalizeimport.local.stack;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * The folder that one file uploaded through a folder route becomes, by {@code local/run import --route} or the
 * console: a folder of one part, completed by its marker at once. Its name says where the upload came from and when.
 */
public final class OnePartFolder {

    private static final DateTimeFormatter STAMP =
            DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS").withZone(ZoneOffset.UTC);

    private OnePartFolder() {
    }

    /** {@code <prefix><origin>-<yyyyMMdd-HHmmss-SSS>/}, such as {@code exports/console-20261124-101500-250/}. */
    public static String under(String prefix, String origin, Instant at) {
        return prefix + origin + "-" + STAMP.format(at) + "/";
    }
}
