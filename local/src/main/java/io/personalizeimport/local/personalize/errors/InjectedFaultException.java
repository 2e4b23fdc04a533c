package io.personalizeimport.local.personalize.errors;

/** Thrown for a request that matched a fault injected through the emulator's admin API. */
public final class InjectedFaultException extends PersonalizeError {

    private final String type;

    public InjectedFaultException(String type, int httpStatus, String message) {
        super(message, httpStatus);
        this.type = type;
    }

    @Override
    public String type() {
        return type;
    }
}
