package io.personalizeimport.infra;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * Prefix and suffix values of S3 notification filters. S3 compares them with the object key as its events carry it,
 * URL-encoded as a form field, so a special character must be written encoded: a space as '+', '=' as '%3D' (Amazon S3
 * User Guide, "Configuring event notifications using object key name filtering"). Routes keep the plain key text;
 * this is the one place that turns it into filter text.
 */
final class KeyFilters {

    /**
     * Characters whose form encoding differs between encoders (JDK, JavaScript's encodeURIComponent, S3's own events),
     * and control characters: a filter written with the wrong one would silently never match.
     */
    static final Pattern AMBIGUOUS = Pattern.compile("[~*'()!\\p{Cntrl}]");

    private KeyFilters() {
    }

    /** The filter value that matches keys beginning (or ending) with {@code text}; '/' stays as S3 writes it. */
    static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("%2F", "/");
    }

    /** Whether {@code text} can be written as a filter value that matches exactly the keys the functions match. */
    static boolean isEncodable(String text) {
        return !AMBIGUOUS.matcher(text).find();
    }
}
