package io.personalizeimport.local.lambda;

import com.sun.net.httpserver.HttpServer;
import io.personalizeimport.local.FileTrees;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One execution environment: a child JVM running the AWS runtime interface client, and the Runtime API server it
 * polls. Its mutable fields are guarded by the owning {@link FunctionPool}'s lock.
 */
final class Container {

    /** Where a container is in its life: STARTING until its first {@code next}, then IDLE and BUSY in turn. */
    enum State { STARTING, IDLE, BUSY, DEAD }

    private final String id;
    private final Path taskRoot;
    private final HttpServer runtimeApi;
    private volatile Process process;
    private volatile CompletableFuture<Void> exitHandled = CompletableFuture.completedFuture(null);

    State state = State.STARTING;
    boolean initialized;
    boolean initFailureReported;
    boolean initTimedOut;
    Assignment current;
    boolean crashOnHandOver;
    CompletableFuture<Assignment> waitingNext;
    ScheduledFuture<?> timer;

    Container(String id, Path taskRoot, HttpServer runtimeApi) {
        this.id = id;
        this.taskRoot = taskRoot;
        this.runtimeApi = runtimeApi;
    }

    String id() {
        return id;
    }

    /** Adopts the started runtime; {@code onExitHandled} completes once the pool has processed its exit. */
    void attach(Process started, CompletableFuture<Void> onExitHandled) {
        this.process = started;
        this.exitHandled = onExitHandled;
    }

    long pid() {
        Process p = process;
        return p == null ? -1 : p.pid();
    }

    /** Stops the runtime at once, as Lambda does on a timeout: the whole process tree, no shutdown hooks. */
    void kill() {
        state = State.DEAD;
        if (timer != null) {
            timer.cancel(false);
        }
        Process p = process;
        if (p != null) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        // Release a pending poll only after the kill, so a dying runtime rarely gets to log the refusal.
        if (waitingNext != null) {
            waitingNext.cancel(false);
            waitingNext = null;
        }
    }

    /**
     * Waits until the killed process is gone and its exit handled, so that {@code close()} leaves no orphan JVM and
     * no half-deleted task root behind.
     */
    void awaitExit(Duration limit) throws InterruptedException {
        try {
            exitHandled.get(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new LambdaHostException("Container " + id + " (pid " + pid() + ") did not exit cleanly", e);
        }
    }

    /** Frees what outlives the process: the Runtime API port and the copied code. */
    void release() {
        runtimeApi.stop(0);
        FileTrees.delete(taskRoot);
    }
}
