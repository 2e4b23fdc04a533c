package io.personalizeimport.local.personalize;

import io.personalizeimport.local.personalize.errors.InjectedFaultException;
import java.util.ArrayList;
import java.util.List;

/** Holds the injected faults and applies the first one with uses left that matches a request. */
final class FaultInjector {

    private static final class Armed {
        private final Fault fault;
        private int remaining;

        Armed(Fault fault) {
            this.fault = fault;
            this.remaining = fault.count();
        }
    }

    private final List<Armed> faults = new ArrayList<>();

    synchronized void add(Fault fault) {
        faults.add(new Armed(fault));
    }

    synchronized void clear() {
        faults.clear();
    }

    /** The faults with uses left, each with {@code count} set to its remaining uses. */
    synchronized List<Fault> active() {
        return faults.stream()
                .map(a -> new Fault(a.fault.operation(), a.fault.error(), a.fault.status(), a.remaining,
                        a.fault.latencyMillis(), a.fault.message()))
                .toList();
    }

    /** Sleeps and/or throws as the first matching fault says, using up one of its uses. */
    void apply(String operation) throws InterruptedException {
        Fault fault = take(operation);
        if (fault == null) {
            return;
        }
        if (fault.latencyMillis() > 0) {
            Thread.sleep(fault.latencyMillis());
        }
        if (fault.error() != null) {
            throw new InjectedFaultException(fault.error(), fault.status(),
                    fault.message() == null ? "Injected fault: " + fault.error() : fault.message());
        }
    }

    private synchronized Fault take(String operation) {
        for (Armed armed : faults) {
            if (armed.fault.matches(operation)) {
                armed.remaining--;
                if (armed.remaining == 0) {
                    faults.remove(armed);
                }
                return armed.fault;
            }
        }
        return null;
    }
}
