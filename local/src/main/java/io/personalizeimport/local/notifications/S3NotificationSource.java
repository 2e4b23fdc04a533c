package io.personalizeimport.local.notifications;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.personalizeimport.local.notifications.BucketScanner.Fingerprint;
import io.personalizeimport.local.notifications.BucketScanner.Observed;
import io.personalizeimport.local.notifications.NotificationStore.Seen;
import io.personalizeimport.local.notifications.NotificationStore.SeenState;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * S3 event notifications for one bucket folder of the local S3: detects new and overwritten objects, whether put
 * through S3 or copied into the folder, and delivers one {@code ObjectCreated} event per write to a target,
 * asynchronously, at least once, with Lambda's asynchronous retries and a dead-letter store.
 *
 * <p>At least once, across restarts: an event is written to {@code pending/} before its write is recorded as notified
 * in {@code seen.json}, and leaves {@code pending/} only once delivered or dead-lettered. A crash in between delivers
 * it again, never not at all; S3 itself may deliver twice (Amazon S3 User Guide, 'Amazon S3 Event Notifications': at
 * least once), so targets must be idempotent anyway.
 */
public final class S3NotificationSource implements AutoCloseable {

    private static final String LOG_PREFIX = "[s3-notifications] ";

    private final Settings settings;
    private final BucketScanner scanner;
    private final NotificationStore store;
    private final Map<String, PendingEvent> pending = new ConcurrentHashMap<>();
    // Dead-lettering writes the dead letter before the event leaves the queue; a redrive of that very letter in
    // between would be undone by the removal that follows, so the two never interleave.
    private final Object deadLetterLock = new Object();
    // Written only by the scan thread once started; redrive and startup do not touch them.
    private final Map<String, Fingerprint> candidates = new HashMap<>();
    private Map<String, Seen> seen;
    private long sequence;

    private final AtomicLong queued = new AtomicLong();
    private final AtomicLong attempts = new AtomicLong();
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong retried = new AtomicLong();
    private final AtomicLong deadLettered = new AtomicLong();
    private final AtomicLong redriven = new AtomicLong();

    private ScheduledExecutorService scanExecutor;
    private ScheduledThreadPoolExecutor deliveryExecutor;
    private volatile boolean closed;

    private S3NotificationSource(Settings settings) {
        this.settings = settings;
        this.scanner = new BucketScanner(settings.bucketFolder(), settings.filters());
        this.store = new NotificationStore(settings.stateDir());
    }

    /** Starts configuring a source; bucket, bucket folder, filters, state directory and target are required. */
    public static Builder builder() {
        return new Builder();
    }

    /** Resumes the events left pending by an earlier run, then starts watching the bucket folder. */
    public synchronized S3NotificationSource start() {
        if (scanExecutor != null) {
            throw new IllegalStateException("The notification source of " + settings.bucket() + " is already started");
        }
        SeenState state = store.loadSeen();
        seen = new HashMap<>(state.objects());
        sequence = state.sequence();
        deliveryExecutor = new ScheduledThreadPoolExecutor(settings.concurrency(),
                Thread.ofPlatform().daemon().name("s3-notify-deliver-" + settings.bucket() + "-", 0).factory());
        // Retries not yet due at close stay in pending/ and are resumed by the next start.
        deliveryExecutor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        for (PendingEvent event : store.loadPending()) {
            pending.put(event.id(), event);
            schedule(event.id(), event.nextAttemptAt());
        }
        if (!pending.isEmpty()) {
            log("resuming " + pending.size() + " pending event(s)");
        }
        scanExecutor = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("s3-notify-scan-" + settings.bucket()).factory());
        scanExecutor.scheduleWithFixedDelay(this::scanTick, 0, settings.pollInterval().toMillis(),
                TimeUnit.MILLISECONDS);
        return this;
    }

    /** The bucket this source notifies about. */
    public String bucket() {
        return settings.bucket();
    }

    /** Where pending events, dead letters and the notified state are kept. */
    public Path stateDir() {
        return settings.stateDir();
    }

    /** Counters since start, and the events waiting for delivery now. */
    public NotificationStats stats() {
        return new NotificationStats(queued.get(), attempts.get(), delivered.get(), retried.get(), deadLettered.get(),
                redriven.get(), pending.size());
    }

    /** The events that exhausted their attempts, oldest file name first; each is a file under {@code dead-letters/}. */
    public List<DeadLetter> deadLetters() {
        return store.deadLetters();
    }

    /**
     * Queues a dead letter's event for delivery again, as a new asynchronous invocation with its full set of
     * attempts, and removes the dead letter once the event is safely pending.
     *
     * @throws MalformedEventIdException when {@code id} is not an event id, so it cannot name a dead letter
     * @throws DeadLetterNotFoundException when no dead letter has that id
     */
    public void redrive(String id) {
        EventId eventId = new EventId(id);
        PendingEvent event;
        synchronized (deadLetterLock) {
            DeadLetter letter = store.deadLetter(eventId).orElseThrow(() -> new DeadLetterNotFoundException(id));
            requireStarted();
            event = store.requeue(letter, now());
            store.savePending(event);
            store.deleteDeadLetter(eventId);
            pending.put(event.id(), event);
        }
        redriven.incrementAndGet();
        log("redriving " + event.key() + " (event " + id + ")");
        schedule(event.id(), event.nextAttemptAt());
    }

    /** Redrives every dead letter; returns how many. */
    public int redriveAll() {
        List<DeadLetter> letters = deadLetters();
        letters.forEach(letter -> redrive(letter.id()));
        return letters.size();
    }

    /** Stops watching and delivering; an attempt in flight may finish, whatever is left stays pending on disk. */
    @Override
    public synchronized void close() {
        if (closed || scanExecutor == null) {
            closed = true;
            return;
        }
        closed = true;
        scanExecutor.shutdown();
        deliveryExecutor.shutdown();
        try {
            boolean scanStopped = scanExecutor.awaitTermination(settings.closeTimeout().toMillis(),
                    TimeUnit.MILLISECONDS);
            boolean deliveryStopped = deliveryExecutor.awaitTermination(settings.closeTimeout().toMillis(),
                    TimeUnit.MILLISECONDS);
            if (!scanStopped || !deliveryStopped) {
                log("an attempt outlived the close timeout; it is interrupted and its event stays pending");
                scanExecutor.shutdownNow();
                deliveryExecutor.shutdownNow();
            }
        } catch (InterruptedException e) {
            scanExecutor.shutdownNow();
            deliveryExecutor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    // ---- detection (scan thread) ----

    private void scanTick() {
        try {
            scanOnce();
        } catch (RuntimeException e) {
            // The scheduler would silently stop rescheduling a tick that throws; report and try again next tick.
            log("scan of " + settings.bucketFolder() + " failed, retrying next tick: " + e);
        }
    }

    private void scanOnce() {
        Map<String, Observed> current = scanner.scan();
        boolean changed = seen.keySet().retainAll(current.keySet());
        candidates.keySet().retainAll(current.keySet());
        for (Observed object : current.values()) {
            if (closed) {
                break;
            }
            Seen notified = seen.get(object.key());
            if (notified != null && notified.fingerprint().equals(object.fingerprint())) {
                candidates.remove(object.key());
                continue;
            }
            // A file still being written changes between ticks: notify only once it held still for one interval.
            Fingerprint previous = candidates.put(object.key(), object.fingerprint());
            if (!object.fingerprint().equals(previous)) {
                continue;
            }
            changed |= queueIfStable(object);
        }
        if (changed) {
            store.saveSeen(sequence, seen);
        }
    }

    private boolean queueIfStable(Observed object) {
        String eTag;
        try {
            eTag = scanner.eTag(object.file());
        } catch (UncheckedIOException e) {
            if (e.getCause() instanceof NoSuchFileException) {
                candidates.remove(object.key());
                return false;
            }
            throw e;
        }
        Optional<Fingerprint> after = scanner.fingerprint(object.file());
        if (after.isEmpty() || !after.get().equals(object.fingerprint())) {
            // Rewritten while being hashed: the ETag may mix two writes; look again next tick.
            after.ifPresentOrElse(fingerprint -> candidates.put(object.key(), fingerprint),
                    () -> candidates.remove(object.key()));
            return false;
        }
        Instant now = now();
        // Sequencers only have to grow per key; time keeps them growing across restarts, the counter within a tick.
        sequence = Math.max(sequence + 1, ChronoUnit.MICROS.between(Instant.EPOCH, now));
        String sequencer = S3EventFormat.sequencer(sequence);
        S3EventFormat.ObjectWrite write = new S3EventFormat.ObjectWrite(settings.bucket(), object.key(),
                object.fingerprint().size(), eTag, sequencer, now);
        ObjectNode event = S3EventFormat.objectCreated(write, object.filter().id(), settings.origin());
        PendingEvent pendingEvent = new PendingEvent(EventId.random().value(), settings.bucket(), object.key(),
                eTag, event, now, 0, now, null, null);
        // Pending first: once seen.json records the write, only pending/ remembers that it still has to be sent.
        store.savePending(pendingEvent);
        pending.put(pendingEvent.id(), pendingEvent);
        seen.put(object.key(), new Seen(object.fingerprint(), eTag, sequencer));
        candidates.remove(object.key());
        queued.incrementAndGet();
        tell(listener -> listener.onQueued(pendingEvent.id(), settings.bucket(), object.key(), eTag));
        schedule(pendingEvent.id(), now);
        return true;
    }

    // ---- delivery (delivery threads) ----

    private void schedule(String id, Instant at) {
        long delayMillis = Math.max(0, Duration.between(now(), at).toMillis());
        deliveryExecutor.schedule(() -> deliverTask(id), delayMillis, TimeUnit.MILLISECONDS);
    }

    private void deliverTask(String id) {
        try {
            deliver(id);
        } catch (NotificationStoreException e) {
            if (closed) {
                log("could not record the outcome of event " + id + " while closing; it stays pending: " + e);
                return;
            }
            // The state directory failed us, not the target: the event is still pending, try it again later.
            log("bookkeeping of event " + id + " failed, retrying: " + e);
            schedule(id, now().plus(settings.pollInterval()));
        }
    }

    private void deliver(String id) {
        PendingEvent event = pending.get(id);
        if (event == null || closed) {
            return;
        }
        Instant start = now();
        if (event.attempts() > 0 && isTooOld(event, start)) {
            deadLetter(event, event.attempts(), "EventAgeExceeded",
                    DeliveryOutcome.failed(event.lastErrorType(), event.lastErrorMessage()));
            return;
        }
        int attempt = event.attempts() + 1;
        attempts.incrementAndGet();
        DeliveryOutcome outcome = attempt(event);
        if (closed && Thread.currentThread().isInterrupted()) {
            // Cut short by close(): the attempt proves nothing; the event stays pending and is resumed next start.
            return;
        }
        switch (outcome) {
            case DeliveryOutcome.Delivered success -> {
                store.deletePending(id);
                pending.remove(id);
                delivered.incrementAndGet();
                report(event, attempt, outcome, DeliveryReport.Disposition.DELIVERED, null);
            }
            case DeliveryOutcome.Failed failure -> {
                Instant next = now().plus(settings.retryPolicy().delayAfter(attempt));
                if (attempt >= settings.retryPolicy().maxAttempts()) {
                    deadLetter(event, attempt, "RetriesExhausted", failure);
                    report(event, attempt, outcome, DeliveryReport.Disposition.DEAD_LETTERED, null);
                } else if (isTooOld(event, next)) {
                    deadLetter(event, attempt, "EventAgeExceeded", failure);
                    report(event, attempt, outcome, DeliveryReport.Disposition.DEAD_LETTERED, null);
                } else {
                    PendingEvent retry = event.afterFailedAttempt(attempt, next, failure);
                    store.savePending(retry);
                    pending.put(id, retry);
                    retried.incrementAndGet();
                    report(event, attempt, outcome, DeliveryReport.Disposition.RETRY_SCHEDULED, next);
                    schedule(id, next);
                }
            }
        }
    }

    private DeliveryOutcome attempt(PendingEvent event) {
        try {
            return Objects.requireNonNull(settings.target().deliver(event.eventJson()),
                    "the notification target returned no outcome");
        } catch (RuntimeException e) {
            // Whatever the target throws is that attempt's failure, as an exception is for a Lambda invocation.
            return DeliveryOutcome.failed(e.getClass().getName(), String.valueOf(e.getMessage()));
        }
    }

    private boolean isTooOld(PendingEvent event, Instant at) {
        return Duration.between(event.queuedAt(), at).compareTo(settings.retryPolicy().scaledMaxEventAge()) > 0;
    }

    private void deadLetter(PendingEvent event, int attemptCount, String condition, DeliveryOutcome.Failed failure) {
        // Dead letter first: if the pending file outlives a crash, the event is delivered again, never dropped.
        synchronized (deadLetterLock) {
            store.saveDeadLetter(event, attemptCount, condition, settings.target().arn(), failure, now());
            store.deletePending(event.id());
            pending.remove(event.id());
        }
        deadLettered.incrementAndGet();
        log("dead-lettered " + event.key() + " after " + attemptCount + " attempt(s) (" + condition + "): "
                + failure.errorType() + ": " + failure.errorMessage() + " -> "
                + new EventId(event.id()).fileIn(store.deadLetterDir()));
    }

    private void report(PendingEvent event, int attempt, DeliveryOutcome outcome,
                        DeliveryReport.Disposition disposition, Instant next) {
        DeliveryReport report = new DeliveryReport(event.id(), event.bucket(), event.key(), event.eTag(), attempt,
                settings.retryPolicy().maxAttempts(), outcome, disposition, next);
        tell(listener -> listener.onAttempt(report));
    }

    private void tell(Consumer<DeliveryListener> call) {
        try {
            call.accept(settings.listener());
        } catch (RuntimeException e) {
            // A broken progress display must not stop deliveries.
            log("the delivery listener failed: " + e);
        }
    }

    private void requireStarted() {
        if (scanExecutor == null || closed) {
            throw new IllegalStateException("The notification source of " + settings.bucket() + " is not running");
        }
    }

    private Instant now() {
        return settings.clock().instant();
    }

    private void log(String message) {
        settings.logSink().accept(LOG_PREFIX + settings.bucket() + ": " + message);
    }

    private record Settings(String bucket, Path bucketFolder, List<NotificationFilter> filters, Path stateDir,
                            NotificationTarget target, RetryPolicy retryPolicy, Duration pollInterval,
                            S3EventFormat.Origin origin, int concurrency, DeliveryListener listener,
                            Consumer<String> logSink, Duration closeTimeout, Clock clock) {
    }

    /** Configures an {@link S3NotificationSource}. */
    public static final class Builder {
        private String bucket;
        private Path bucketFolder;
        private final List<NotificationFilter> filters = new ArrayList<>();
        private Path stateDir;
        private NotificationTarget target;
        private RetryPolicy retryPolicy = RetryPolicy.LAMBDA_DEFAULTS;
        private Duration pollInterval = Duration.ofMillis(250);
        private String region = "us-east-1";
        private String principalId = "A1LOCALS3OWNER";
        private int concurrency = 2;
        private DeliveryListener listener = new DeliveryListener() {
        };
        private Consumer<String> logSink = System.err::println;
        private Duration closeTimeout = Duration.ofSeconds(10);

        private Builder() {
        }

        /** The bucket's name, as the events carry it. */
        public Builder bucket(String value) {
            bucket = Objects.requireNonNull(value, "bucket");
            return this;
        }

        /** The bucket's folder, {@code <LocalS3 dataDir>/<bucket>}. */
        public Builder bucketFolder(Path value) {
            bucketFolder = value.toAbsolutePath().normalize();
            return this;
        }

        /** Adds a notification configuration; S3 refuses two that could both match one key, and so does this. */
        public Builder filter(NotificationFilter value) {
            filters.add(Objects.requireNonNull(value, "filter"));
            return this;
        }

        public Builder filters(List<NotificationFilter> values) {
            values.forEach(this::filter);
            return this;
        }

        /** Where pending events, dead letters and the notified state are kept; one directory per bucket. */
        public Builder stateDir(Path value) {
            stateDir = value.toAbsolutePath().normalize();
            return this;
        }

        public Builder target(NotificationTarget value) {
            target = Objects.requireNonNull(value, "target");
            return this;
        }

        /** Retries and event age; default Lambda's (2 retries, 6 hours) at real speed. */
        public Builder retryPolicy(RetryPolicy value) {
            retryPolicy = Objects.requireNonNull(value, "retryPolicy");
            return this;
        }

        /** Shorthand for the retry policy's time scale, the factor the stack applies to every wait. */
        public Builder timeScale(double value) {
            retryPolicy = retryPolicy.withTimeScale(value);
            return this;
        }

        /** How often the bucket folder is scanned; a write is notified after it held still for one interval. */
        public Builder pollInterval(Duration value) {
            if (value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException("pollInterval must be positive, was " + value);
            }
            pollInterval = value;
            return this;
        }

        public Builder region(String value) {
            region = Objects.requireNonNull(value, "region");
            return this;
        }

        /** The principal the events name as writer and bucket owner. */
        public Builder principalId(String value) {
            principalId = Objects.requireNonNull(value, "principalId");
            return this;
        }

        /** How many events may be in delivery at once; default 2. */
        public Builder concurrency(int value) {
            if (value < 1) {
                throw new IllegalArgumentException("concurrency must be at least 1, was " + value);
            }
            concurrency = value;
            return this;
        }

        public Builder listener(DeliveryListener value) {
            listener = Objects.requireNonNull(value, "listener");
            return this;
        }

        public Builder logSink(Consumer<String> value) {
            logSink = Objects.requireNonNull(value, "logSink");
            return this;
        }

        /** How long close() waits for an attempt in flight; default 10 s. */
        public Builder closeTimeout(Duration value) {
            closeTimeout = Objects.requireNonNull(value, "closeTimeout");
            return this;
        }

        public S3NotificationSource build() {
            Objects.requireNonNull(bucket, "bucket");
            Objects.requireNonNull(bucketFolder, "bucketFolder");
            Objects.requireNonNull(stateDir, "stateDir");
            Objects.requireNonNull(target, "target");
            if (filters.isEmpty()) {
                throw new IllegalArgumentException("At least one notification filter is needed");
            }
            requireNoOverlap(filters);
            return new S3NotificationSource(new Settings(bucket, bucketFolder, List.copyOf(filters), stateDir, target,
                    retryPolicy, pollInterval, new S3EventFormat.Origin(region, principalId), concurrency, listener,
                    logSink, closeTimeout, Clock.systemUTC()));
        }

        private static void requireNoOverlap(List<NotificationFilter> filters) {
            for (int i = 0; i < filters.size(); i++) {
                for (int j = i + 1; j < filters.size(); j++) {
                    NotificationFilter a = filters.get(i);
                    NotificationFilter b = filters.get(j);
                    if (a.overlaps(b)) {
                        throw new IllegalArgumentException("Notification filters " + a.id() + " and " + b.id()
                                + " overlap: S3 rejects configurations that can both match one key");
                    }
                }
            }
        }
    }
}
