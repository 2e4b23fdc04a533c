package io.personalizeimport.local.personalize;

import java.time.Clock;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Runs the steps of the emulator's jobs of one kind on their own threads, one step's time apart. Every step runs
 * guarded: whatever it throws, {@code Error}s included, fails its job with an internal-error reason, so no job stays
 * pending or in progress (and its dataset busy) for ever. A step interrupted by {@link #close} leaves its
 * job unfinished, to resume on the next start with the same data directory.
 */
final class JobSteps implements AutoCloseable {

    /**
     * One job, as its steps report on it.
     *
     * @param label how the log names it, e.g. "job clicks-1" or "export job users-1"
     * @param doing what it does, for the internal-error reason, e.g. "importing s3://bucket/users.csv"
     * @param markFailed marks the job failed (CREATE FAILED, or FAILED for data deletion) with the reason given, if it
     *                   is still unfinished
     */
    record Job(String label, String doing, Consumer<String> markFailed) {
    }

    private final String kind;
    private final long stepMillis;
    private final Clock clock;
    private final ScheduledExecutorService scheduler;
    private volatile boolean closed;

    JobSteps(String kind, int threads, long stepMillis, Clock clock) {
        this.kind = kind;
        this.stepMillis = stepMillis;
        this.clock = clock;
        this.scheduler = Executors.newScheduledThreadPool(threads, runnable -> {
            Thread thread = new Thread(runnable, "personalize-" + kind);
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Runs {@code step} once a step's time has passed since {@code since} (epoch millis), unless closed by then. */
    void afterStep(Job job, long since, Runnable step) {
        after(job, since, stepMillis, step);
    }

    /** Runs {@code step} once {@code millis} have passed since {@code since} (epoch millis), unless closed by then. */
    void after(Job job, long since, long millis, Runnable step) {
        scheduler.schedule(guarded(job, step), Math.max(0, since + millis - clock.millis()), TimeUnit.MILLISECONDS);
    }

    /** Runs {@code step} now, on a step thread, unless closed by then. */
    void now(Job job, Runnable step) {
        scheduler.execute(guarded(job, step));
    }

    boolean closed() {
        return closed;
    }

    private Runnable guarded(Job job, Runnable step) {
        return () -> {
            if (closed) {
                return;
            }
            try {
                step.run();
            } catch (Throwable failure) {
                // Nothing is rethrown, not even a VirtualMachineError: this runs in a ScheduledExecutorService, whose
                // Future nobody reads, so a rethrown error would neither stop the JVM nor be seen. An
                // OutOfMemoryError or StackOverflowError of one job is over once its stack has unwound (the huge
                // allocation or the deep recursion is gone), and failing the job is how anyone learns of it.
                fail(job, failure);
            }
        };
    }

    private void fail(Job job, Throwable failure) {
        if (closed) {
            EmulatorLog.info(job.label() + " stopped by the shutdown; it resumes on the next start");
            return;
        }
        String reason = "Internal error of the emulator while " + job.doing() + ": " + failure;
        try {
            // A job that is no longer pending or in progress frees its dataset for the next one.
            job.markFailed().accept(reason);
            EmulatorLog.error(job.label() + " -> failed: " + reason, failure);
        } catch (Throwable stateFailure) {
            // Writing the state failed too (a full disk, memory still short): at least say so.
            stateFailure.addSuppressed(failure);
            EmulatorLog.error(job.label() + " could not be marked failed", stateFailure);
        }
    }

    /** Stops scheduling; a step that is writing state is allowed to finish so the data directory stays whole. */
    @Override
    public void close() {
        closed = true;
        scheduler.shutdownNow();
        try {
            if (!scheduler.awaitTermination(10, TimeUnit.SECONDS)) {
                EmulatorLog.info(kind + " threads still busy after 10 s; unfinished jobs resume on the next start");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
