package io.personalizeimport.local.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Which request gets which fault, without any server. */
class FaultInjectorTest {

    private static final int REQUESTS = 2_000;

    @Test
    void countedFault_shouldApplyToTheNextCountMatchingRequestsOnly() {
        // GIVEN two SlowDown faults on GetObject
        FaultInjector injector = new FaultInjector(1);
        injector.arm(Fault.error("GetObject", "SlowDown", 2));

        // WHEN a PutObject and three GetObjects arrive
        Optional<Fault> put = injector.draw("PutObject");
        List<Optional<Fault>> gets = List.of(injector.draw("GetObject"), injector.draw("GetObject"),
                injector.draw("GetObject"));

        // THEN only the first two GetObjects got it; the exhausted fault is still reported, with its counters
        assertTrue(put.isEmpty());
        assertTrue(gets.get(0).isPresent() && gets.get(1).isPresent() && gets.get(2).isEmpty());
        assertEquals(List.of(), injector.active());
        FaultStats stats = injector.stats().getFirst();
        assertEquals(2, stats.matched());
        assertEquals(2, stats.injected());
        assertTrue(stats.exhausted());
    }

    @Test
    void probabilisticFault_shouldHitAboutItsShareOfRequestsAndStayArmed() {
        // GIVEN a 30% fault on every operation
        FaultInjector injector = new FaultInjector(7);
        injector.arm(Fault.randomError("*", "ThrottlingException", 0.3));

        // WHEN 2000 requests arrive
        long hits = hits(injector, REQUESTS).stream().filter(hit -> hit).count();

        // THEN about 600 got it (the bounds are more than 5 standard deviations, about 20, either side)
        assertTrue(hits > 500 && hits < 700, "hits: " + hits);
        FaultStats stats = injector.stats().getFirst();
        assertEquals(REQUESTS, stats.matched());
        assertEquals(hits, stats.injected());
        assertEquals(Fault.UNLIMITED, stats.remaining());
        assertEquals(1, injector.active().size());
    }

    @Test
    void sameSeed_shouldHitTheSameRequests() {
        // GIVEN two injectors with the same seed and the same fault, and a third with another seed
        List<Boolean> first = hits(armed(99, Fault.randomError("*", "InternalFailure", 0.5)), 200);
        List<Boolean> again = hits(armed(99, Fault.randomError("*", "InternalFailure", 0.5)), 200);
        List<Boolean> other = hits(armed(100, Fault.randomError("*", "InternalFailure", 0.5)), 200);

        // THEN the same seed repeats the run exactly, another one does not
        assertEquals(first, again);
        assertNotEquals(first, other);
    }

    @Test
    void faultsOwnSeed_shouldOverrideTheInjectorsSeed() {
        Fault seeded = Fault.randomError("*", "InternalFailure", 0.5).withSeed(5);

        assertEquals(hits(armed(1, seeded), 200), hits(armed(2, seeded), 200));
    }

    @Test
    void overlappingFaults_shouldApplyTheFirstThatHitsAndLeaveTheOthersTheirOwnDice() {
        // GIVEN 30% throttling then 10% internal failures, each with its own seed
        Fault throttle = Fault.randomError("*", "ThrottlingException", 0.3).withSeed(11);
        Fault failure = Fault.randomError("*", "InternalFailure", 0.1).withSeed(12);
        FaultInjector both = new FaultInjector(0);
        both.arm(throttle);
        both.arm(failure);

        // WHEN requests arrive, and the same requests are drawn against each fault alone
        List<String> outcomes = new ArrayList<>();
        for (int i = 0; i < REQUESTS; i++) {
            outcomes.add(both.draw("DescribeDatasetImportJob").map(Fault::error).orElse("none"));
        }
        List<Boolean> throttleAlone = hits(armed(0, throttle), REQUESTS);
        List<Boolean> failureAlone = hits(armed(0, failure), REQUESTS);

        // THEN a request is throttled exactly when the throttle hits, and fails exactly when only the failure hits
        for (int i = 0; i < REQUESTS; i++) {
            String expected = throttleAlone.get(i) ? "ThrottlingException"
                    : failureAlone.get(i) ? "InternalFailure" : "none";
            assertEquals(expected, outcomes.get(i), "request " + i);
        }
        List<FaultStats> stats = both.stats();
        assertEquals(REQUESTS, stats.get(1).matched(), "the second fault rolled for every request");
        assertEquals(outcomes.stream().filter("InternalFailure"::equals).count(), stats.get(1).injected());
    }

    @Test
    void clear_shouldDisarmEverythingAndForgetTheCounters() {
        FaultInjector injector = armed(3, Fault.randomError("*", "InternalFailure", 1));
        injector.draw("GetObject");

        injector.clear();

        assertTrue(injector.draw("GetObject").isEmpty());
        assertEquals(List.of(), injector.stats());
    }

    private static FaultInjector armed(long seed, Fault fault) {
        FaultInjector injector = new FaultInjector(seed);
        injector.arm(fault);
        return injector;
    }

    private static List<Boolean> hits(FaultInjector injector, int requests) {
        List<Boolean> hits = new ArrayList<>();
        for (int i = 0; i < requests; i++) {
            hits.add(injector.draw("GetObject").isPresent());
        }
        return hits;
    }
}
