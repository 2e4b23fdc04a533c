package io.personalizeimport.local.faults;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.random.RandomGenerator;
import java.util.random.RandomGeneratorFactory;

/**
 * The faults armed on one server, and the decision which of them a request gets.
 *
 * <p>Overlapping faults combine so that each keeps the chance it was given: for every request, each armed fault
 * with uses left whose operation matches rolls its own random generator once, in arming order, and the first that
 * hits is the one injected; the others are not, and keep their uses. So "30% throttling on *" plus "10% errors on *"
 * throttles 30% of requests and fails 7% (10% of the remaining 70%) with the error. A fault with probability 1 always
 * hits, so the first counted fault that matches wins, as it always has.
 *
 * <p>Every fault draws from a generator of its own, seeded with {@link Fault#seed()} or, without one, with this
 * injector's seed mixed with the fault's arming number; rolling it for every matching request (hit or not) keeps
 * its hits independent of the other faults. The same seed, faults armed in the same order and the same sequence of
 * requests give the same injections; concurrent requests roll in whatever order they arrive.
 */
public final class FaultInjector {

    // A named algorithm, so a seed gives the same sequence on every JDK (java.util.random package documentation).
    private static final RandomGeneratorFactory<RandomGenerator> RANDOM = RandomGeneratorFactory.of("L64X128MixRandom");
    private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;

    private static final class Armed {
        private final long id;
        private final Fault fault;
        private final RandomGenerator random;
        private long matched;
        private long injected;

        Armed(long id, Fault fault, RandomGenerator random) {
            this.id = id;
            this.fault = fault;
            this.random = random;
        }

        boolean usable(String operation) {
            return fault.matches(operation) && (fault.unlimited() || injected < fault.count());
        }

        boolean roll() {
            matched++;
            // A certain fault draws nothing, so counted faults cost no random numbers.
            return fault.probability() >= 1 || random.nextDouble() < fault.probability();
        }

        FaultStats stats() {
            return new FaultStats(id, fault, matched, injected);
        }
    }

    private final long seed;
    private final List<Armed> armed = new ArrayList<>();
    private long armedSoFar;

    /** An injector whose faults without a seed of their own derive theirs from {@code seed}. */
    public FaultInjector(long seed) {
        this.seed = seed;
    }

    /** The seed that faults without one of their own derive theirs from. */
    public long seed() {
        return seed;
    }

    /** Arms {@code fault} after those already armed; returns its counters, all zero. */
    public synchronized FaultStats arm(Fault fault) {
        Objects.requireNonNull(fault, "fault");
        long id = ++armedSoFar;
        long faultSeed = fault.seed() != null ? fault.seed() : seed ^ (id * GOLDEN_GAMMA);
        Armed entry = new Armed(id, fault, RANDOM.create(faultSeed));
        armed.add(entry);
        return entry.stats();
    }

    /** Disarms every fault and forgets their counters; arming numbers go on from where they were. */
    public synchronized void clear() {
        armed.clear();
    }

    /** The faults with uses left, each with {@code count} set to its remaining uses (unlimited ones unchanged). */
    public synchronized List<Fault> active() {
        return armed.stream()
                .map(Armed::stats)
                .filter(s -> !s.exhausted())
                .map(s -> s.fault().withCount(s.remaining()))
                .toList();
    }

    /** Every fault armed since the last {@link #clear()}, exhausted ones included, in arming order. */
    public synchronized List<FaultStats> stats() {
        return armed.stream().map(Armed::stats).toList();
    }

    /** Decides whether a request for {@code operation} gets a fault, and which; counts it as injected if so. */
    public synchronized Optional<Fault> draw(String operation) {
        Armed chosen = null;
        for (Armed entry : armed) {
            if (entry.usable(operation) && entry.roll() && chosen == null) {
                chosen = entry;
            }
        }
        if (chosen == null) {
            return Optional.empty();
        }
        chosen.injected++;
        return Optional.of(chosen.fault);
    }
}
