package io.personalizeimport.local.faults;

/**
 * An armed fault and what it has done since it was armed: how many requests matched its operation while it was
 * armed (each one a roll of its dice) and how many of those it was injected into.
 *
 * @param id the fault's number in the arming order since the server started, from 1
 * @param fault the fault as armed
 * @param matched requests that matched its operation while it had uses left
 * @param injected requests that got the fault
 */
public record FaultStats(long id, Fault fault, long matched, long injected) {

    /** Injections left: {@link Fault#UNLIMITED} for an unlimited fault, else {@code count - injected}. */
    public int remaining() {
        return fault.unlimited() ? Fault.UNLIMITED : (int) (fault.count() - injected);
    }

    /** True once a counted fault has been injected {@code count} times; it then matches nothing. */
    public boolean exhausted() {
        return remaining() == 0;
    }
}
