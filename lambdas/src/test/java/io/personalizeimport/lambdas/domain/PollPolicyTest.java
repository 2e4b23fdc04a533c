package io.personalizeimport.lambdas.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.personalizeimport.lambdas.config.Environment;
import io.personalizeimport.lambdas.errors.ConfigurationException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PollPolicyTest {

    private final PollPolicy policy = PollPolicy.defaults();

    @Test
    void youngJob_shouldBePolledAfterTheInitialWait() {
        assertEquals(Duration.ofSeconds(15), policy.nextWait(Duration.ZERO, Duration.ZERO));
        assertEquals(Duration.ofSeconds(15), policy.nextWait(Duration.ofSeconds(50), Duration.ofSeconds(50)));
    }

    @Test
    void olderJob_shouldWaitLongerUpToTheCap() {
        assertEquals(Duration.ofSeconds(150), policy.nextWait(Duration.ofMinutes(10), Duration.ofMinutes(10)));
        assertEquals(Duration.ofMinutes(5), policy.nextWait(Duration.ofHours(5), Duration.ofHours(5)));
    }

    @Test
    void waitNearTheDeadline_shouldNotOvershootIt() {
        Duration elapsed = Duration.ofHours(48).minusSeconds(20);

        assertEquals(Duration.ofSeconds(21), policy.nextWait(Duration.ofHours(48), elapsed));
    }

    @Test
    void fortyEightHourImport_shouldStayFarBelowTheHistoryLimit() {
        // FACTS.md: a Standard execution has at most 25,000 history events
        long events = policy.pollsUntilDeadline() * PollPolicy.EVENTS_PER_POLL;

        System.out.printf("48 h monitor: %d polls, %d history events%n", policy.pollsUntilDeadline(), events);
        assertTrue(events < 25_000 / 4, () -> events + " events");
    }

    @Test
    void environment_shouldOverrideDefaults() {
        PollPolicy custom = PollPolicy.from(new Environment(Map.of(
                "POLL_INITIAL_SECONDS", "5", "POLL_MAX_SECONDS", "60", "MONITOR_DEADLINE", "PT2H")));

        assertEquals(new PollPolicy(Duration.ofSeconds(5), Duration.ofSeconds(60), Duration.ofHours(2)), custom);
    }

    @Test
    void deadlineThatWouldOverflowHistory_shouldFailInit() {
        var env = new Environment(Map.of("POLL_MAX_SECONDS", "15", "MONITOR_DEADLINE", "PT200H"));

        var error = assertThrows(ConfigurationException.class, () -> PollPolicy.from(env));
        assertTrue(error.getMessage().contains("MONITOR_DEADLINE"), error.getMessage());
    }

    @Test
    void malformedDeadline_shouldNameTheVariable() {
        var env = new Environment(Map.of("MONITOR_DEADLINE", "48 hours"));

        var error = assertThrows(ConfigurationException.class, () -> PollPolicy.from(env));
        assertTrue(error.getMessage().contains("MONITOR_DEADLINE is '48 hours': expected an ISO-8601 duration"),
                error.getMessage());
    }

    @Test
    void transientRetries_shouldLastAboutTheDeadlineWithFullJitter() {
        PollPolicy policy = PollPolicy.defaults();

        long attempts = policy.transientRetryAttempts();

        // Average pause of attempt k: min(2 * 2^k, 300) / 2 seconds; they add up to the deadline, one fewer falls short.
        double sum = 0;
        for (int k = 0; k < attempts; k++) {
            sum += Math.min(2 * Math.pow(2, k), 300) / 2;
        }
        double total = sum;
        double lastPause = Math.min(2 * Math.pow(2, attempts - 1), 300) / 2;
        long events = attempts * 3;
        System.out.printf("48 h deadline: %d transient retry attempts, about %.1f h of pauses, %d history events%n",
                attempts, total / 3600, events);
        assertTrue(total >= policy.deadline().toSeconds(), () -> total + " s");
        assertTrue(total - lastPause < policy.deadline().toSeconds(), () -> total + " s");
        assertTrue(events + policy.pollsUntilDeadline() * PollPolicy.EVENTS_PER_POLL < 25_000, () -> events + " events");
    }

    @Test
    void shortDeadline_shouldGetFewerRetries() {
        PollPolicy shortOne = new PollPolicy(Duration.ofSeconds(15), Duration.ofSeconds(300), Duration.ofMinutes(10));

        assertTrue(shortOne.transientRetryAttempts() < PollPolicy.defaults().transientRetryAttempts());
        assertTrue(shortOne.transientRetryAttempts() >= 8, () -> Long.toString(shortOne.transientRetryAttempts()));
    }
}
