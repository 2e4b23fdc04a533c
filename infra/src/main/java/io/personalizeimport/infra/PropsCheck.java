package io.personalizeimport.infra;

/** The checks of a construct's props: a failure names the property, its value and what it expects. */
final class PropsCheck {

    private PropsCheck() {
    }

    /** {@code value}, or an exception saying that {@code property} is missing. */
    static <T> T present(T value, String property, String expected) {
        if (value == null) {
            throw new IllegalArgumentException(property + " is missing: expected " + expected);
        }
        return value;
    }

    static void require(boolean valid, String property, Object value, String expected) {
        if (!valid) {
            throw new IllegalArgumentException(property + " is " + value + ": expected " + expected);
        }
    }
}
