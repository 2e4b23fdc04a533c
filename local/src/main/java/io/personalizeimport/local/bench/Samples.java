package io.personalizeimport.local.bench;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Arrays;
import java.util.List;

/**
 * Measured durations in milliseconds, each run kept in the order it was taken, with their median, spread and
 * percentiles (nearest rank).
 */
public record Samples(@JsonProperty("runsMillis") List<Double> millis) {

    public Samples {
        if (millis.isEmpty()) {
            throw new IllegalArgumentException("no samples");
        }
        millis = List.copyOf(millis);
    }

    static Samples ofNanos(List<Long> nanos) {
        return new Samples(nanos.stream().map(value -> value / 1e6).toList());
    }

    @JsonProperty("count")
    public int count() {
        return millis.size();
    }

    @JsonProperty("medianMillis")
    public double median() {
        double[] sorted = sorted();
        int middle = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    @JsonProperty("minMillis")
    public double min() {
        return sorted()[0];
    }

    @JsonProperty("maxMillis")
    public double max() {
        double[] sorted = sorted();
        return sorted[sorted.length - 1];
    }

    @JsonProperty("p99Millis")
    public double p99() {
        return percentile(99);
    }

    /** The smallest sample that {@code percent} % of the samples do not exceed. */
    public double percentile(double percent) {
        double[] sorted = sorted();
        int rank = (int) Math.ceil(percent / 100 * sorted.length);
        return sorted[Math.clamp(rank - 1, 0, sorted.length - 1)];
    }

    private double[] sorted() {
        double[] sorted = millis.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(sorted);
        return sorted;
    }
}
