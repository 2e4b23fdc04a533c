package io.personalizeimport.local.bench;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * What {@code local/run bench} measured on this machine in one run; {@code local/run bench --json} prints it as is.
 *
 * @param measured what the figures are, in words
 */
public record BenchReport(String measured, Machine machine, List<ColdStart> coldStarts, List<PrimedStart> primedStarts,
                          List<Warm> warm, List<DeploymentPackage> packages, PollTable pollPolicy) {

    /**
     * Where the figures were taken.
     *
     * @param addedJvmOptions the options {@code --jvm-option} added to every function's JVM
     */
    public record Machine(String os, int cpus, String java, String javaVersion, int runs, int warmInvocations,
                          int warmUp, List<String> addedJvmOptions) {
    }

    /**
     * One fresh-JVM figure: {@code process} from just before the JVM is started to just after it has exited, run after
     * run; for a function also the handler's construction ({@code init}) and its first invocation as the harness timed
     * them inside the JVM.
     *
     * @param ratio the median over the baseline's median
     * @param goal issue 18's bound on {@code ratio} ({@link Bench#COLD_GOAL}), or null for the baseline
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ColdStart(String figure, String what, String handler, List<String> jvmOptions, Samples process,
                            Samples init, Samples firstInvocation, double ratio, Double goal, Boolean meetsGoal) {
    }

    /**
     * A function's first invocation in a fresh JVM whose CRaC hooks ran first, as SnapStart runs them before its
     * snapshot: the closest local stand-in for the first invocation of a restored container. Run after run.
     *
     * @param priming the hooks' own time, which {@code firstInvocation} does not include
     * @param primingClasses the classes the JVM loaded while the hooks ran
     * @param ratio the first invocation's median over {@code warmP50Millis}, the function's warm p50 in this run
     * @param goal issue 18's bound on {@code ratio} ({@link Bench#PRIMED_GOAL})
     */
    public record PrimedStart(String function, Samples firstInvocation, Samples priming, List<Long> primingClasses,
                              double warmP50Millis, double ratio, double goal, boolean meetsGoal) {
    }

    /** Warm invocations of one function: the handler's time per invocation in one JVM, after {@code warmUp} of them. */
    public record Warm(String function, String work, int warmUp, Samples invocations) {
    }

    /**
     * A function's deployment package as the local stack runs it, which the CDK stack deploys too.
     *
     * @param goalBytes issue 18's bound on {@code bytes} ({@link Bench#PACKAGE_GOAL_BYTES})
     */
    public record DeploymentPackage(String function, String path, long bytes, List<String> sharedWith, long goalBytes,
                                    boolean meetsGoal) {
    }
}
