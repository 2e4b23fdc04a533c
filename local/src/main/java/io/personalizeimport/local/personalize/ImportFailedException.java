package io.personalizeimport.local.personalize;

/** Thrown when an import or deletion job's data cannot be used; the message becomes its {@code failureReason}. */
final class ImportFailedException extends Exception {

    ImportFailedException(String failureReason) {
        super(failureReason);
    }
}
