package io.personalizeimport.lambdas.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.personalizeimport.lambdas.config.Environment;
import io.personalizeimport.lambdas.errors.ConfigurationException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PollPolicyTest {

    /** Polls of a fixed 60 s loop over 48 hours: the yardstick for what polling may cost. */
    private static final long FIXED_LOOP_POLLS_48H = Duration.ofHours(48).toSeconds() / 60;

    private final PollPolicy policy = PollPolicy.defaults();

    @Test
    void youngJob_shouldBePolledAfterTheInitialWait() {
        assertEquals(Duration.ofSeconds(15), policy.nextWait(Duration.ZERO, Duration.ZERO));
        assertEquals(Duration.ofSeconds(15), policy.nextWait(Duration.ofSeconds(159), Duration.ofSeconds(159)));
    }

    @Test
    void olderJob_shouldWaitATenthOfItsAgeUpToTheCap() {
        assertEquals(Duration.ofSeconds(60), policy.nextWait(Duration.ofMinutes(10), Duration.ofMinutes(10)));
        assertEquals(Duration.ofSeconds(16), policy.nextWait(Duration.ofSeconds(169), Duration.ofSeconds(169)));
        assertEquals(Duration.ofMinutes(5), policy.nextWait(Duration.ofMinutes(50), Duration.ofMinutes(50)));
        assertEquals(Duration.ofMinutes(5), policy.nextWait(Duration.ofHours(5), Duration.ofHours(5)));
    }

    @Test
    void waitNearTheDeadline_shouldNotOvershootIt() {
        Duration elapsed = Duration.ofHours(48).minusSeconds(20);

        assertEquals(Duration.ofSeconds(21), policy.nextWait(Duration.ofHours(48), elapsed));
    }

    @Test
    void everyWait_shouldStayWithinTheDetectionBoundOfTheAgeItStartsAt() {
        for (long age = 0; age <= Duration.ofHours(48).toSeconds(); age++) {
            Duration jobAge = Duration.ofSeconds(age);

            Duration wait = policy.nextWait(jobAge, jobAge);

            assertTrue(wait.compareTo(policy.detectionBound(jobAge)) <= 0, () -> "age " + jobAge + ": " + wait);
        }
    }

    @Test
    void jobEndingAtAnyAge_shouldBeSeenWithinFifteenSecondsOrATenthOfItsAge() {
        // Issue 9's goal: a job is seen finished at most max(15 s, 10% of its age) after it ends. Every second of the
        // first two hours, then every minute up to the 48-hour deadline.
        for (long end = 1; end <= Duration.ofHours(48).toSeconds(); end += end < 7_200 ? 1 : 60) {
            Duration length = Duration.ofSeconds(end);

            PollPolicy.Followed followed = policy.follow(length);

            Duration goal = Duration.ofSeconds(Math.max(15, end / 10));
            assertTrue(followed.detected(), () -> length + " not detected");
            assertTrue(followed.delay().compareTo(goal) <= 0, () -> length + ": seen " + followed.delay() + " late");
            assertTrue(followed.worstDelay().compareTo(goal) <= 0, () -> length + ": up to " + followed.worstDelay());
        }
    }

    @ParameterizedTest(name = "a job of {0} costs {1} polls, seen at most {2} late")
    @CsvSource({"PT5M, 19, PT28S", "PT1H, 45, PT5M", "PT24H, 321, PT5M", "PT48H, 609, PT3M51S"})
    void jobOfGivenLength_shouldCostTheseManyPolls(Duration length, long polls, Duration worstDelay) {
        PollPolicy.Followed followed = policy.follow(length);

        System.out.printf("%s job: %d polls, %d history events, seen %s late, at most %s (goal %s)%n", length,
                followed.polls(), followed.polls() * PollPolicy.EVENTS_PER_POLL, followed.delay(),
                followed.worstDelay(), policy.detectionBound(length));
        assertEquals(polls, followed.polls());
        assertEquals(worstDelay, followed.worstDelay());
    }

    @Test
    void fortyEightHourImport_shouldCostAtMostAQuarterOfAFixedMinuteLoop() {
        long polls = policy.follow(Duration.ofHours(48)).polls();

        assertTrue(polls <= FIXED_LOOP_POLLS_48H / 4, () -> polls + " polls, a fixed loop makes " + FIXED_LOOP_POLLS_48H);
    }

    @Test
    void fortyEightHourImport_shouldStayFarBelowTheHistoryLimit() {
        // AWS Step Functions Developer Guide, 'Step Functions service quotas': a Standard execution has at most 25,000
        // history events
        long events = policy.pollsUntilDeadline() * PollPolicy.EVENTS_PER_POLL;

        System.out.printf("48 h monitor: %d polls, %d history events%n", policy.pollsUntilDeadline(), events);
        assertTrue(events < 25_000 / 4, () -> events + " events");
    }

    @Test
    void jobOutlastingTheDeadline_shouldNotBeDetectedAndCostThePollsUntilIt() {
        PollPolicy.Followed followed = policy.follow(Duration.ofHours(49));

        assertFalse(followed.detected());
        assertEquals(policy.pollsUntilDeadline(), followed.polls());
    }

    @Test
    void detectionBound_shouldBeTheInitialWaitOrATenthOfTheAge() {
        assertEquals(Duration.ofSeconds(15), policy.detectionBound(Duration.ofMinutes(2)));
        assertEquals(Duration.ofSeconds(60), policy.detectionBound(Duration.ofMinutes(10)));
        assertEquals(Duration.ofSeconds(30), new PollPolicy(Duration.ofSeconds(30), Duration.ofSeconds(300),
                Duration.ofHours(1)).detectionBound(Duration.ofMinutes(4)));
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
    void maxBelowInitial_shouldNameTheVariable() {
        var env = new Environment(Map.of("POLL_INITIAL_SECONDS", "60", "POLL_MAX_SECONDS", "30"));

        var error = assertThrows(ConfigurationException.class, () -> PollPolicy.from(env));
        assertTrue(error.getMessage().contains("POLL_MAX_SECONDS is '30': expected a whole number from 60 to 3600"),
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

    @Test
    void busyRetries_shouldWaitOutAFullRegionUntilTheDeadlineNotSixtyAttempts() {
        PollPolicy policy = PollPolicy.defaults();

        long attempts = policy.busyRetryAttempts();

        // Average pause of attempt k: min(30 * 2^k, 600) / 2 seconds; they add up to the deadline, one fewer falls short.
        double[] pauses = java.util.stream.LongStream.range(0, attempts)
                .mapToDouble(k -> Math.min(30 * Math.pow(2, k), 600) / 2).toArray();
        double total = java.util.Arrays.stream(pauses).sum();
        assertTrue(total >= policy.deadline().toSeconds(), () -> total + " s");
        assertTrue(total - pauses[pauses.length - 1] < policy.deadline().toSeconds(), () -> total + " s");
        assertTrue(attempts * 3 < PollPolicy.HISTORY_EVENT_LIMIT / 4, () -> attempts + " attempts");
    }

    @Test
    void pollsFor_shouldCountTheLooksUntilOneSeesTheJobEnded() {
        PollPolicy policy = PollPolicy.defaults();

        // 15 s waits to an age of 150 s, then a tenth of the age: a 10-minute job is seen ended 11 s late
        assertEquals(26, policy.pollsFor(Duration.ofMinutes(10)));
        assertEquals(57, policy.pollsFor(Duration.ofHours(2)));
        assertEquals(1, policy.pollsFor(Duration.ZERO));
    }
}
