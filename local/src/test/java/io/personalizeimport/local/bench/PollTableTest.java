package io.personalizeimport.local.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.personalizeimport.lambdas.domain.PollPolicy;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The poll table's arithmetic from the real poll policy: polls, state transitions and delays per job length. */
class PollTableTest {

    @Test
    void defaults_shouldMeetIssueNinesGoalsForEveryJobLength() {
        PollTable table = PollTable.of(PollPolicy.defaults(), 6);

        assertEquals(PollTable.JOB_LENGTHS, table.jobs().stream().map(PollTable.Row::job).toList());
        assertTrue(table.jobs().stream().allMatch(PollTable.Row::meetsGoal), table::toString);
        assertEquals(2_880, table.fixedLoopPolls48h());
        assertEquals(720, table.pollGoal48h());
        assertTrue(table.meetsPollGoal(), table::toString);
    }

    @Test
    void fiveMinuteJob_shouldCostItsPollsThreeStatesEachAndTheImportsOwn() {
        PollTable.Row row = PollTable.of(PollPolicy.defaults(), 6).jobs().getFirst();

        // 19 polls: Describe and Choice each time, a Wait between them, and 6 states around them.
        assertEquals(19, row.polls());
        assertEquals(6 + 3 * 19 - 1, row.stateTransitions());
        assertEquals(30, row.goalSeconds());
    }

    @Test
    void policyWaitingAMinuteAtFirst_shouldMissTheGoalForShortJobs() {
        // GIVEN POLL_INITIAL_SECONDS=60: a 5-minute job may be seen up to a minute late, twice the 30 s goal
        PollPolicy slow = new PollPolicy(Duration.ofSeconds(60), Duration.ofSeconds(300), Duration.ofHours(48));

        PollTable table = PollTable.of(slow, 6);

        assertFalse(table.jobs().getFirst().meetsGoal(), table::toString);
        assertTrue(table.jobs().getLast().meetsGoal(), table::toString);
    }
}
