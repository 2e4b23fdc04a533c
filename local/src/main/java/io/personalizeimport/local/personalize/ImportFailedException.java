package io.personalizeimport.local.personalize;

/** Thrown when an import job's data cannot be imported; the message becomes the job's {@code failureReason}. */
final class ImportFailedException extends Exception {

    ImportFailedException(String failureReason) {
        super(failureReason);
    }
}
