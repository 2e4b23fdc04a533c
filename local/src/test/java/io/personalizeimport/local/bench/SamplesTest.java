package io.personalizeimport.local.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class SamplesTest {

    @Test
    void oddCount_shouldHaveTheMiddleAsMedianAndNearestRankPercentiles() {
        Samples samples = new Samples(List.of(5.0, 1.0, 4.0, 2.0, 3.0));

        assertEquals(3.0, samples.median());
        assertEquals(1.0, samples.min());
        assertEquals(5.0, samples.max());
        assertEquals(5.0, samples.p99());
        assertEquals(1.0, samples.percentile(20));
    }

    @Test
    void evenCount_shouldAverageTheTwoMiddleSamples() {
        Samples samples = Samples.ofNanos(List.of(4_000_000L, 1_000_000L, 2_000_000L, 3_000_000L));

        assertEquals(2.5, samples.median());
        assertEquals(List.of(4.0, 1.0, 2.0, 3.0), samples.millis());
    }

    @Test
    void twoHundredSamples_shouldPutTheP99AtTheSecondLargest() {
        List<Double> millis = java.util.stream.IntStream.rangeClosed(1, 200).mapToObj(i -> (double) i).toList();

        assertEquals(198.0, new Samples(millis).p99());
    }
}
