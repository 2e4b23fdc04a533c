package io.personalizeimport.lambdas.domain;

import io.personalizeimport.lambdas.config.Environment;
import io.personalizeimport.lambdas.errors.ConfigurationException;
import java.time.Duration;
import java.time.format.DateTimeParseException;

/**
 * When to look at an import job next, and when to give up.
 *
 * <p>The wait after a poll is a tenth of the job's age then, between {@code initial} and {@code max}. A job is so seen
 * finished at most {@code max(initial, 10% of its age)} after it ends: a short import within seconds, a 10-minute one
 * within a minute; and a long one costs few polls (609 over 48 hours with the defaults, about a fifth of a fixed 60 s loop's 2,880).
 * Personalize sends no completion event (Amazon Personalize API Reference, CreateDatasetImportJob: a job's status is
 * read with DescribeDatasetImportJob), so polling is the only way to learn the outcome.
 */
public record PollPolicy(Duration initial, Duration max, Duration deadline) {

    public static final String POLL_INITIAL_SECONDS = "POLL_INITIAL_SECONDS";
    public static final String POLL_MAX_SECONDS = "POLL_MAX_SECONDS";
    public static final String MONITOR_DEADLINE = "MONITOR_DEADLINE";

    /** A wait is at most this share of the job's age, which bounds how late a finished job is seen. */
    public static final int WAIT_PER_AGE_PERCENT = 10;

    /**
     * Step Functions' hard limit on a Standard execution's history (AWS Step Functions Developer Guide, 'Step Functions
     * service quotas').
     */
    public static final int HISTORY_EVENT_LIMIT = 25_000;
    /**
     * History events one poll adds: Wait entered/exited, Task entered, Lambda scheduled/started/succeeded, Task
     * exited, Choice entered/exited.
     */
    public static final int EVENTS_PER_POLL = 9;
    /**
     * The state machine's retrier of transient errors and crashed functions (statemachine/import-monitor.asl.json):
     * the first pause, its growth and its cap, with full jitter.
     */
    public static final int RETRY_INTERVAL_SECONDS = 2;
    public static final int RETRY_BACKOFF_RATE = 2;
    public static final int RETRY_MAX_DELAY_SECONDS = 300;
    /**
     * The create task's retrier of a busy dataset or a full region: its first pause and its cap, growing and jittered as
     * the transient one.
     */
    public static final int BUSY_RETRY_INTERVAL_SECONDS = 30;
    public static final int BUSY_RETRY_MAX_DELAY_SECONDS = 600;
    /** The share of the history limit a monitor may use at its deadline, leaving room for retries. */
    private static final double HISTORY_BUDGET = 0.5;

    public PollPolicy {
        if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0 || deadline.compareTo(initial) < 0) {
            throw new IllegalArgumentException("expected 0 < initial <= max and initial <= deadline");
        }
    }

    public static PollPolicy defaults() {
        return new PollPolicy(Duration.ofSeconds(15), Duration.ofMinutes(5), Duration.ofHours(48));
    }

    public static PollPolicy from(Environment env) {
        int initial = env.integer(POLL_INITIAL_SECONDS, 15, 1, 3600);
        int max = env.integer(POLL_MAX_SECONDS, 300, initial, 3600);
        Duration deadline = Duration.ofHours(48);
        String raw = env.optional(MONITOR_DEADLINE).orElse(null);
        if (raw != null) {
            try {
                deadline = Duration.parse(raw);
            } catch (DateTimeParseException e) {
                throw new ConfigurationException("Environment variable " + MONITOR_DEADLINE + " is '" + raw
                        + "': expected an ISO-8601 duration such as PT48H or PT30M");
            }
            if (deadline.compareTo(Duration.ofSeconds(initial)) < 0) {
                throw new ConfigurationException("Environment variable " + MONITOR_DEADLINE + " is " + raw
                        + ": expected at least " + POLL_INITIAL_SECONDS + " (" + initial + " s)");
            }
        }
        PollPolicy policy = new PollPolicy(Duration.ofSeconds(initial), Duration.ofSeconds(max), deadline);
        long events = policy.pollsUntilDeadline() * EVENTS_PER_POLL;
        if (events > HISTORY_EVENT_LIMIT * HISTORY_BUDGET) {
            throw new ConfigurationException("Environment variables " + MONITOR_DEADLINE + "=" + deadline + " and "
                    + POLL_MAX_SECONDS + "=" + max + " allow " + policy.pollsUntilDeadline() + " polls (" + events
                    + " history events): expected at most " + (int) (HISTORY_EVENT_LIMIT * HISTORY_BUDGET)
                    + " events, the half of Step Functions' 25,000 limit; raise " + POLL_MAX_SECONDS
                    + " or shorten the deadline");
        }
        return policy;
    }

    /**
     * The wait before the next poll of a job of this age, never past the deadline by more than a second. Rounded down,
     * so that it never exceeds {@link #detectionBound} of the age.
     */
    public Duration nextWait(Duration jobAge, Duration monitorElapsed) {
        long ageSeconds = Math.max(0, jobAge.toSeconds());
        long seconds = Math.clamp(ageSeconds * WAIT_PER_AGE_PERCENT / 100, initial.toSeconds(), max.toSeconds());
        long untilDeadline = deadline.minus(monitorElapsed).toSeconds();
        return Duration.ofSeconds(Math.max(1, Math.min(seconds, untilDeadline + 1)));
    }

    /**
     * The most a job that ends at {@code jobAge} waits to be seen finished: {@code max(initial, 10% of jobAge)}. Every
     * wait begins at a poll that saw the job running, so it is at most this bound of the age it ends at.
     */
    public Duration detectionBound(Duration jobAge) {
        long seconds = Math.max(0, jobAge.toSeconds()) * WAIT_PER_AGE_PERCENT / 100;
        return Duration.ofSeconds(Math.max(initial.toSeconds(), seconds));
    }

    /**
     * How a job that ends at age {@code length} is followed, its execution starting as the job is created (the lane
     * creates the job, then starts the execution): polls until one sees the job finished, or the deadline ends the
     * monitor.
     */
    public Followed follow(Duration length) {
        Duration seen = Duration.ZERO;
        Duration before = Duration.ZERO;
        long polls = 1;
        while (seen.compareTo(length) < 0 && !pastDeadline(seen)) {
            before = seen;
            seen = seen.plus(nextWait(seen, seen));
            polls++;
        }
        boolean detected = seen.compareTo(length) >= 0;
        return new Followed(polls, detected, detected ? seen.minus(length) : null,
                detected ? seen.minus(before) : null);
    }

    /**
     * How one job is followed.
     *
     * @param polls the DescribeDatasetImportJob calls, the first at the job's creation
     * @param detected whether a poll saw the job finished before the deadline ended the monitor
     * @param delay how long after its end the job was seen finished; null when not detected
     * @param worstDelay the delay of a job that ends just after the poll before the one that saw it finished: the most
     *     any job ending within that interval waits; null when not detected
     */
    public record Followed(long polls, boolean detected, Duration delay, Duration worstDelay) {
    }

    public boolean pastDeadline(Duration monitorElapsed) {
        return monitorElapsed.compareTo(deadline) > 0;
    }

    /**
     * How many polls a job that runs {@code length} costs: the first look, and one after each wait until a look sees it
     * ended.
     */
    public long pollsFor(Duration length) {
        Duration age = Duration.ZERO;
        long polls = 1;
        while (age.compareTo(length) < 0) {
            age = age.plus(nextWait(age, age));
            polls++;
        }
        return polls;
    }

    /** How many polls a job that never finishes costs before the deadline ends the monitor. */
    public long pollsUntilDeadline() {
        Duration elapsed = Duration.ZERO;
        long polls = 1;
        while (!pastDeadline(elapsed)) {
            elapsed = elapsed.plus(nextWait(elapsed, elapsed));
            polls++;
        }
        return polls;
    }

    /**
     * How many attempts the state machine's transient retrier gets, so that retries last as long as the deadline
     * allows: with full jitter each pause is uniform between 0 and the capped backoff, half of it on average, and the
     * average pauses of this many attempts add up to the deadline. The functions end a monitor at the deadline
     * themselves when they can still run; this bound is for the ones that cannot (crashed, timed out).
     */
    public long transientRetryAttempts() {
        return attemptsUntilDeadline(RETRY_INTERVAL_SECONDS, RETRY_MAX_DELAY_SECONDS);
    }

    /**
     * How many attempts the create task's retrier of a busy dataset or a full region gets, counted as for
     * {@link #transientRetryAttempts()}: a region that jobs started outside the pipeline keep full is waited out until
     * the deadline, where the create function ends the monitor itself.
     */
    public long busyRetryAttempts() {
        return attemptsUntilDeadline(BUSY_RETRY_INTERVAL_SECONDS, BUSY_RETRY_MAX_DELAY_SECONDS);
    }

    private long attemptsUntilDeadline(int intervalSeconds, int maxDelaySeconds) {
        double seconds = 0;
        long attempts = 0;
        while (seconds < deadline.toSeconds()) {
            double backoff = intervalSeconds * Math.pow(RETRY_BACKOFF_RATE, Math.min(attempts, 30));
            seconds += Math.min(backoff, maxDelaySeconds) / 2;
            attempts++;
        }
        return attempts;
    }
}
