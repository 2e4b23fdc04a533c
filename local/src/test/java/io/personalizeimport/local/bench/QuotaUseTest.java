package io.personalizeimport.local.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.personalizeimport.local.personalize.ImportJobSpan;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sfn.model.HistoryEvent;

/** The region bench's arithmetic: the ideal, the ratio, the quota's use over a timeline and the cost per file. */
class QuotaUseTest {

    private static ImportJobSpan job(String name, long created, long ended) {
        return new ImportJobSpan(name, "arn:aws:personalize:us-east-1:000000000000:dataset/g/INTERACTIONS", "ACTIVE",
                created, ended);
    }

    @Test
    void twoJobsAtATimeBackToBack_shouldBeIdealAndUseTheWholeQuota() {
        // GIVEN a quota of 2 and four jobs of 100 ms, two at a time, the second pair created as the first ends
        List<ImportJobSpan> jobs = List.of(job("a", 1_000, 1_100), job("b", 1_000, 1_100), job("c", 1_100, 1_200),
                job("d", 1_100, 1_200));

        // WHEN the run from 1,000 to 1,200 is measured
        QuotaUse use = QuotaUse.of(jobs, 2, 1_000, 1_200);

        // THEN the ideal is 400 / 2, met exactly, and both slots were busy while the last pair waited
        assertEquals(200, use.idealMillis());
        assertEquals(1.0, use.ratio(), 1e-9);
        assertEquals(100, use.waitingMillis());
        assertEquals(1.0, use.utilisation(), 1e-9);
        assertTrue(use.meetsRatioGoal() && use.meetsUtilisationGoal());
    }

    @Test
    void oneSlotIdleWhileWorkWaits_shouldShowInTheUtilisationAndTheRatio() {
        // GIVEN a quota of 2 used one job at a time: three jobs of 100 ms in a row
        List<ImportJobSpan> jobs = List.of(job("a", 0, 100), job("b", 100, 200), job("c", 200, 300));

        // WHEN measured from 0 until the last outcome, 50 ms after the last job ended
        QuotaUse use = QuotaUse.of(jobs, 2, 0, 350);

        // THEN half the quota was used until the last job was created, and 350 ms against an ideal of 150
        assertEquals(0.5, use.utilisation(), 1e-9);
        assertEquals(150, use.idealMillis());
        assertEquals(350.0 / 150, use.ratio(), 1e-9);
        assertFalse(use.meetsRatioGoal() || use.meetsUtilisationGoal());
    }

    @Test
    void integral_shouldCountOnlyTheWindow() {
        assertEquals(50 + 100, QuotaUse.unfinishedIntegral(List.of(job("a", 0, 100), job("b", 20, 300)), 50, 150));
    }

    @Test
    void jobStillRunning_shouldBeRefused() {
        List<ImportJobSpan> jobs = List.of(new ImportJobSpan("a", "arn", "CREATE IN_PROGRESS", 0, null));
        assertThrows(IllegalArgumentException.class, () -> QuotaUse.of(jobs, 5, 0, 10));
    }

    @Test
    void costs_shouldAddEachServiceAtItsPriceAndDivideByTheFiles() {
        // GIVEN 10 files that took 1,000 transitions, 40 requests of 20 GB-s, 100 RRU, 300 WRU and 20 events
        RunCosts costs = new RunCosts(10, 1_000, 40, 20, 100, 300, 20);
        AwsPrices prices = new AwsPrices(0.001, 0.01, 0.1, 0.0001, 0.001, 0.01);

        // THEN each part is its counts at its prices, and a file costs a tenth of their sum
        double[] dollars = costs.dollars(prices);
        assertEquals(1.0, dollars[0], 1e-9);
        assertEquals(0.4 + 2.0, dollars[1], 1e-9);
        assertEquals(0.01 + 0.3, dollars[2], 1e-9);
        assertEquals(0.2, dollars[3], 1e-9);
        assertEquals((1.0 + 2.4 + 0.31 + 0.2) / 10, costs.perFile(prices), 1e-9);
    }

    @Test
    void listPrices_shouldBeThePricingPagesOnes() {
        AwsPrices prices = AwsPrices.US_EAST_1;
        assertEquals(25.0, prices.stateTransition() * 1_000_000, 1e-9);
        assertEquals(0.20, prices.lambdaRequest() * 1_000_000, 1e-9);
        assertEquals(0.0000133334, prices.lambdaGbSecond(), 1e-12, "Arm, where the stack runs the functions");
        assertEquals(0.125, prices.readUnit() * 1_000_000, 1e-9);
        assertEquals(0.625, prices.writeUnit() * 1_000_000, 1e-9);
        assertEquals(1.0, prices.event() * 1_000_000, 1e-9);
    }

    @Test
    void historyWithARetry_shouldCountEveryStateEnteredAndTheRetry() {
        List<HistoryEvent> history = Stream.of(
                "ExecutionStarted", "TaskStateEntered", "LambdaFunctionScheduled", "LambdaFunctionFailed",
                "LambdaFunctionScheduled", "LambdaFunctionSucceeded", "TaskStateExited", "WaitStateEntered",
                "WaitStateExited", "SucceedStateEntered", "ExecutionSucceeded")
                .map(type -> HistoryEvent.builder().type(type).build())
                .toList();
        assertEquals(3 + 1, RegionBench.stateTransitions(history));
    }
}
