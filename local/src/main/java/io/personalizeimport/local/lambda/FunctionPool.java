package io.personalizeimport.local.lambda;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The containers of one function and the invocations waiting for them. Lambda gives each execution environment one
 * invocation at a time; a busy function scales out to {@code maxContainers}, beyond that invocations queue.
 * Every method that touches state holds this object's lock.
 */
final class FunctionPool {

    private static final Duration EXIT_WAIT = Duration.ofSeconds(10);

    private final FunctionConfig config;
    private final String arn;
    private final ContainerLauncher launcher;
    private final ScheduledExecutorService timer;
    private final int maxContainers;
    private final Duration initTimeout;
    private final Consumer<String> log;

    private final Deque<Invocation> pending = new ArrayDeque<>();
    private final List<Container> containers = new ArrayList<>();
    private final List<InvocationResult> asyncResults = new ArrayList<>();
    private ServiceFault fault;
    private int faultsLeft;
    private int crashesLeft;
    private long injectedCrashes;
    private boolean closed;
    private long invocations;
    private long injectedFaults;
    private long executions;
    private long functionErrors;
    private long asyncCompleted;
    private long containersStarted;
    private long runMillis;

    FunctionPool(FunctionConfig config, String arn, ContainerLauncher launcher, ScheduledExecutorService timer,
                 int maxContainers, Duration initTimeout, Consumer<String> log) {
        this.config = config;
        this.arn = arn;
        this.launcher = launcher;
        this.timer = timer;
        this.maxContainers = maxContainers;
        this.initTimeout = initTimeout;
        this.log = log;
    }

    FunctionConfig config() {
        return config;
    }

    String arn() {
        return arn;
    }

    // ---- Invoke side ----

    /** Counts an Invoke call and tells whether the service should fail it instead of running the function. */
    synchronized Optional<ServiceFault> acceptRequest() {
        invocations++;
        if (fault == null) {
            return Optional.empty();
        }
        ServiceFault injected = fault;
        injectedFaults++;
        if (--faultsLeft == 0) {
            fault = null;
        }
        return Optional.of(injected);
    }

    /** Counts a call that bypasses the service layer (the host's Java {@code invoke}). */
    synchronized void acceptRequestIgnoringFaults() {
        invocations++;
    }

    synchronized void injectFault(ServiceFault newFault) {
        fault = newFault;
        faultsLeft = newFault.count();
    }

    /** The next {@code count} invocations handed to a container crash it (see {@link #handedOver}). */
    synchronized void injectCrash(int count) {
        crashesLeft = count;
    }

    synchronized void clearFault() {
        fault = null;
        faultsLeft = 0;
        crashesLeft = 0;
    }

    synchronized CompletableFuture<InvocationResult> submit(Invocation invocation) {
        if (closed) {
            invocation.outcome().completeExceptionally(new LambdaHostException("The Lambda host is closed"));
            return invocation.outcome();
        }
        pending.add(invocation);
        dispatch();
        return invocation.outcome();
    }

    synchronized void recordAsync(InvocationResult result) {
        asyncCompleted++;
        asyncResults.add(result);
    }

    synchronized List<InvocationResult> asyncResults() {
        return List.copyOf(asyncResults);
    }

    synchronized FunctionStats stats() {
        return new FunctionStats(config.name(), arn, invocations, injectedFaults, injectedCrashes, executions,
                functionErrors, asyncCompleted, containersStarted, containers.size(), runMillis);
    }

    synchronized List<Long> containerPids() {
        return containers.stream().map(Container::pid).toList();
    }

    // ---- Runtime API side, called by RuntimeApi for the container that polls it ----

    /** The runtime asks for work: the container is initialised (or done with its last invocation) and idle. */
    synchronized CompletableFuture<Assignment> nextInvocation(Container container) {
        CompletableFuture<Assignment> next = new CompletableFuture<>();
        if (closed || container.state == Container.State.DEAD) {
            next.cancel(false);
            return next;
        }
        if (!container.initialized) {
            container.initialized = true;
            cancelTimer(container);
        }
        container.state = Container.State.IDLE;
        container.current = null;
        container.waitingNext = next;
        dispatch();
        return next;
    }

    /**
     * The runtime has been sent {@code invocation}. A container picked to crash is killed now, as a JVM dies, with
     * SIGKILL: the invocation completes with {@code Runtime.ExitError} once the process has gone, whatever the
     * handler did or answered meanwhile.
     */
    synchronized void handedOver(Container container, Invocation invocation) {
        Assignment current = container.current;
        if (container.crashOnHandOver && current != null && current.invocation() == invocation) {
            log.accept("[" + config.name() + "] injected crash: killing container " + container.id() + " running "
                    + invocation.requestId());
            container.kill();
        }
    }

    /** The runtime answered, with a payload or an error body; false if the request id is not the one it holds. */
    synchronized boolean answered(Container container, String requestId, InvocationResult result) {
        Assignment current = container.current;
        if (current == null || !current.invocation().requestId().equals(requestId) || container.crashOnHandOver) {
            // A container picked to crash may answer before the kill lands; its exit decides the outcome instead.
            return false;
        }
        cancelTimer(container);
        container.current = null;
        // The deadline was set when the invocation was handed to the container: its timeout after that moment.
        runMillis += Math.max(0, System.currentTimeMillis() - current.deadlineEpochMillis()
                + config.timeoutSeconds() * 1000L);
        complete(current.invocation(), result);
        return true;
    }

    /** The runtime could not load the handler: the invocation that caused this cold start fails with its report. */
    synchronized void initFailed(Container container, byte[] body, String errorTypeHeader) {
        container.initFailureReported = true;
        container.kill();
        Invocation waiting = pending.poll();
        if (waiting != null) {
            complete(waiting, FunctionErrors.reported(waiting.requestId(), body, errorTypeHeader));
        }
        log.accept("[" + config.name() + "] container " + container.id() + " failed to initialise");
    }

    synchronized void exited(Container container, int exitCode) {
        boolean wasKilled = container.state == Container.State.DEAD;
        container.kill();
        containers.remove(container);
        container.release();
        if (container.current != null) {
            Invocation inFlight = container.current.invocation();
            complete(inFlight, FunctionErrors.exited(inFlight.requestId(), exitCode));
        } else if (!container.initialized && !container.initFailureReported) {
            Invocation waiting = pending.poll();
            if (waiting != null) {
                complete(waiting, container.initTimedOut
                        ? FunctionErrors.initTimedOut(waiting.requestId(), initTimeout)
                        : FunctionErrors.exited(waiting.requestId(), exitCode));
            }
        }
        if (!wasKilled && !closed) {
            log.accept("[" + config.name() + "] container " + container.id() + " exited with " + exitCode);
        }
        dispatch();
    }

    // ---- Lifecycle ----

    void close() throws InterruptedException {
        List<Container> stopping;
        synchronized (this) {
            closed = true;
            for (Invocation waiting : pending) {
                waiting.outcome().completeExceptionally(new LambdaHostException("The Lambda host is closed"));
            }
            pending.clear();
            stopping = List.copyOf(containers);
            stopping.forEach(Container::kill);
        }
        for (Container container : stopping) {
            container.awaitExit(EXIT_WAIT);
        }
    }

    // ---- Internals, all under the lock ----

    private void dispatch() {
        if (closed) {
            return;
        }
        while (!pending.isEmpty()) {
            Invocation head = pending.peek();
            if (head.outcome().isDone()) {
                pending.poll();
                continue;
            }
            Optional<Container> idle = containers.stream()
                    .filter(c -> c.state == Container.State.IDLE)
                    .findFirst();
            if (idle.isPresent()) {
                pending.poll();
                assign(idle.get(), head);
                continue;
            }
            long starting = containers.stream().filter(c -> c.state == Container.State.STARTING).count();
            if (starting >= pending.size() || containers.size() >= maxContainers) {
                return;
            }
            startContainer();
        }
    }

    private void startContainer() {
        try {
            Container container = launcher.launch(this, config, arn);
            containers.add(container);
            containersStarted++;
            container.timer = timer.schedule(() -> initTimedOut(container), initTimeout.toMillis(),
                    TimeUnit.MILLISECONDS);
        } catch (LambdaHostException e) {
            Invocation head = pending.poll();
            if (head != null) {
                head.outcome().completeExceptionally(e);
            }
        }
    }

    private void assign(Container container, Invocation invocation) {
        Duration limit = Duration.ofSeconds(config.timeoutSeconds());
        long deadline = System.currentTimeMillis() + limit.toMillis();
        Assignment assignment = new Assignment(invocation, deadline);
        container.state = Container.State.BUSY;
        container.current = assignment;
        // Decided here, under the lock, so that a fast handler cannot answer before the crash is known.
        container.crashOnHandOver = crashesLeft > 0;
        if (container.crashOnHandOver) {
            crashesLeft--;
            injectedCrashes++;
        }
        executions++;
        container.timer = timer.schedule(() -> timedOut(container, invocation), limit.toMillis(),
                TimeUnit.MILLISECONDS);
        CompletableFuture<Assignment> waiting = container.waitingNext;
        container.waitingNext = null;
        waiting.complete(assignment);
    }

    private synchronized void timedOut(Container container, Invocation invocation) {
        Assignment current = container.current;
        if (current == null || current.invocation() != invocation) {
            return;
        }
        complete(invocation, FunctionErrors.timedOut(invocation.requestId(),
                Duration.ofSeconds(config.timeoutSeconds())));
        log.accept("[" + config.name() + "] " + invocation.requestId() + " timed out after "
                + config.timeoutSeconds() + " s: killing container " + container.id());
        container.kill();
    }

    private synchronized void initTimedOut(Container container) {
        if (container.initialized || container.state == Container.State.DEAD) {
            return;
        }
        container.initTimedOut = true;
        log.accept("[" + config.name() + "] container " + container.id() + " did not initialise within "
                + initTimeout.toSeconds() + " s: killing it");
        container.kill();
    }

    private void cancelTimer(Container container) {
        if (container.timer != null) {
            container.timer.cancel(false);
            container.timer = null;
        }
    }

    private void complete(Invocation invocation, InvocationResult result) {
        if (invocation.outcome().complete(result) && result.isFunctionError()) {
            functionErrors++;
        }
    }
}
