package io.personalizeimport.local.bench;

import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import io.personalizeimport.lambdas.domain.PollPolicy;
import java.time.Duration;
import java.util.List;

/**
 * What the poll policy costs and how late it sees a finished job, for jobs of a few lengths, against issue 9's goals: a
 * finished job seen within max(15 s, 10% of its age), and over 48 hours at most a quarter of the polls of a fixed
 * 60 s loop.
 *
 * <p>Durations are ISO-8601 in JSON ({@code PT5M}).
 *
 * @param statesPerImport the states an import in a lane enters besides its polls, counted in real executions
 * @param fixedLoopPolls48h the polls of a fixed 60 s loop over 48 hours
 */
public record PollTable(long initialSeconds, long maxSeconds, int waitPerAgePercent,
                        @JsonSerialize(using = ToStringSerializer.class) Duration deadline,
                        int statesPerPoll, int statesPerImport, List<Row> jobs, long fixedLoopPolls48h,
                        long polls48h, long pollGoal48h, boolean meetsPollGoal) {

    /** The job lengths of the table: issue 9's. */
    public static final List<Duration> JOB_LENGTHS = List.of(Duration.ofMinutes(5), Duration.ofHours(1),
            Duration.ofHours(24), Duration.ofHours(48));
    /**
     * States one poll enters (statemachine/import-monitor.asl.json): "Describe import job", "Import finished?" and
     * "Wait before next poll"; the last poll enters no Wait.
     */
    public static final int STATES_PER_POLL = 3;
    static final Duration FIXED_LOOP_WAIT = Duration.ofSeconds(60);
    static final Duration GOAL_FLOOR = Duration.ofSeconds(15);
    static final int GOAL_PERCENT = 10;

    /**
     * One job length.
     *
     * @param delaySeconds how late a job of exactly this length is seen finished
     * @param worstDelaySeconds how late at most a job ending in the poll interval around this length is seen finished
     * @param goalSeconds issue 9's bound, max(15 s, 10% of the length)
     */
    public record Row(@JsonSerialize(using = ToStringSerializer.class) Duration job, long polls, long stateTransitions, long delaySeconds, long worstDelaySeconds,
                      long goalSeconds, boolean meetsGoal) {
    }

    public static PollTable of(PollPolicy policy, int statesPerImport) {
        List<Row> rows = JOB_LENGTHS.stream().map(length -> {
            PollPolicy.Followed followed = policy.follow(length);
            if (!followed.detected()) {
                throw new IllegalArgumentException("A job of " + length + " outlasts the monitor deadline "
                        + policy.deadline());
            }
            long goal = Math.max(GOAL_FLOOR.toSeconds(), length.toSeconds() * GOAL_PERCENT / 100);
            long worst = followed.worstDelay().toSeconds();
            return new Row(length, followed.polls(), transitions(followed.polls(), statesPerImport),
                    followed.delay().toSeconds(), worst, goal, worst <= goal);
        }).toList();
        Duration twoDays = Duration.ofHours(48);
        long fixedLoop = twoDays.toSeconds() / FIXED_LOOP_WAIT.toSeconds();
        long polls = policy.follow(twoDays).polls();
        return new PollTable(policy.initial().toSeconds(), policy.max().toSeconds(), PollPolicy.WAIT_PER_AGE_PERCENT,
                policy.deadline(), STATES_PER_POLL, statesPerImport, rows, fixedLoop, polls, fixedLoop / 4,
                polls <= fixedLoop / 4);
    }

    /** The state transitions of an import polled {@code polls} times: no Wait follows the last poll. */
    static long transitions(long polls, int statesPerImport) {
        return statesPerImport + STATES_PER_POLL * polls - 1;
    }
}
