package io.personalizeimport.local.s3;

import io.personalizeimport.local.faults.Fault;
import io.personalizeimport.local.faults.FaultInjector;
import io.personalizeimport.local.faults.FaultStats;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;
import org.gaul.shaded.org.eclipse.jetty.server.Handler;
import org.gaul.shaded.org.eclipse.jetty.server.Server;

/**
 * An embedded S3-compatible server (S3Proxy over a filesystem blob store) bound to 127.0.0.1.
 *
 * <p>Each bucket is a folder directly under the data directory and each object a file below it, so copying a file
 * to {@code <dataDir>/<bucket>/<key>} makes an object without going through the S3 API. Requests must be signed
 * (SigV2 or SigV4) with the configured access key and secret key, as a real S3 endpoint demands.
 *
 * <p>Faults can be injected per S3 operation ({@code GetObject}, {@code HeadObject}, {@code ListObjectsV2},
 * {@code PutObject}, {@code CopyObject}, ... or {@code *}), with the {@link Fault} model the Personalize emulator
 * uses: an error is answered in S3's XML error format before S3Proxy sees the request, so the SDK's
 * {@code S3Exception} carries its code and status; a latency delays the answer. Through {@link #injectFault(Fault)},
 * {@link #faults()} and {@link #clearFaults()}, or over HTTP on {@value #FAULTS_PATH} ({@code POST} a fault as
 * JSON, see {@link io.personalizeimport.local.faults.FaultJson}; {@code GET} lists them with their counters;
 * {@code DELETE} clears them). Requests are path-style, as every client of this server is configured.
 */
public final class LocalS3 implements AutoCloseable {

    /** Default access key id; any SDK client configured with it and {@link #DEFAULT_SECRET_KEY} is accepted. */
    public static final String DEFAULT_ACCESS_KEY = "local";
    /** Default secret access key. */
    public static final String DEFAULT_SECRET_KEY = "local-secret-key";

    // S3's own bucket naming rule, so that a bucket created here could also exist in AWS.
    private static final Pattern BUCKET_NAME = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");

    /** The admin path for faults; no bucket can have it, since bucket names cannot contain '_'. */
    public static final String FAULTS_PATH = "/_s3/faults";

    private static final long STOP_TIMEOUT_MILLIS = 0;

    private final Path dataDir;
    private final int requestedPort;
    private final String accessKey;
    private final String secretKey;
    private final FaultInjector faults;
    private S3Proxy proxy;
    private URI endpoint;

    private LocalS3(Builder builder) {
        this.dataDir = Objects.requireNonNull(builder.dataDir, "dataDir").toAbsolutePath();
        this.requestedPort = builder.port;
        this.accessKey = builder.accessKey;
        this.secretKey = builder.secretKey;
        this.faults = new FaultInjector(builder.faultSeed);
    }

    /** Starts configuring a server; only {@link Builder#dataDir(Path)} is required. */
    public static Builder builder() {
        return new Builder();
    }

    /** Creates the data directory if needed and starts serving; returns once the port is bound. */
    public synchronized LocalS3 start() {
        if (proxy != null) {
            throw new IllegalStateException("LocalS3 is already started");
        }
        try {
            Files.createDirectories(dataDir);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create the S3 data directory " + dataDir, e);
        }
        S3Proxy started = S3Proxy.builder()
                .blobStore(new FilesystemNio2BlobStore(dataDir.toString()))
                .endpoint(URI.create("http://127.0.0.1:" + requestedPort))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, accessKey, secretKey)
                // No graceful phase: it would wait out the idle keep-alive connections that SDK clients hold open.
                .stopTimeout(STOP_TIMEOUT_MILLIS)
                .build();
        insertBeforeS3Proxy(started, new S3FaultHandler(faults));
        insertBeforeS3Proxy(started, new LoopbackOnlyHandler());
        try {
            started.start();
            awaitStarted(started);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while starting LocalS3", e);
        } catch (Exception e) {
            throw new IllegalStateException("LocalS3 failed to start on port " + requestedPort, e);
        }
        proxy = started;
        endpoint = URI.create("http://127.0.0.1:" + started.getPort());
        return this;
    }

    /**
     * Puts {@code handler} in front of S3Proxy's own handlers. S3Proxy builds its Jetty server privately and offers
     * no hook, so the server is taken from its field {@code server} (S3Proxy 4.1.0); an S3Proxy without that field
     * fails here, at start, rather than silently dropping the faults or the loopback check.
     */
    private static void insertBeforeS3Proxy(S3Proxy proxy, Handler.Wrapper handler) {
        Server server;
        try {
            Field field = S3Proxy.class.getDeclaredField("server");
            field.setAccessible(true);
            server = (Server) field.get(proxy);
        } catch (ReflectiveOperationException | ClassCastException e) {
            throw new IllegalStateException("Cannot reach the Jetty server of this S3Proxy version to put "
                    + handler.getClass().getSimpleName() + " in front of it", e);
        }
        handler.setHandler(server.getHandler());
        server.setHandler(handler);
    }

    private static void awaitStarted(S3Proxy proxy) throws InterruptedException {
        // S3Proxy.start() returns before Jetty has bound the socket; the port is only known once it has.
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!"STARTED".equals(proxy.getState())) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("S3Proxy did not start within 10 s, state " + proxy.getState());
            }
            Thread.sleep(10);
        }
    }

    /** The base URL to give an S3 client as endpoint override (path-style access). */
    public synchronized URI endpoint() {
        if (endpoint == null) {
            throw new IllegalStateException("LocalS3 is not started");
        }
        return endpoint;
    }

    /** The directory holding one folder per bucket. */
    public Path dataDir() {
        return dataDir;
    }

    /** The access key id clients must sign with. */
    public String accessKey() {
        return accessKey;
    }

    /** The secret key clients must sign with. */
    public String secretKey() {
        return secretKey;
    }

    /** Creates a bucket unless it already exists; returns its folder. */
    public Path createBucket(String bucket) {
        if (!BUCKET_NAME.matcher(bucket).matches()) {
            throw new IllegalArgumentException("Invalid bucket name '" + bucket
                    + "': expected 3-63 characters of a-z, 0-9, '.' and '-', starting and ending with a letter or digit");
        }
        Path folder = dataDir.resolve(bucket);
        try {
            return Files.createDirectories(folder);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create bucket folder " + folder, e);
        }
    }

    /** Arms a fault for the coming S3 requests; returns its counters. */
    public FaultStats injectFault(Fault fault) {
        FaultStats armed = faults.arm(Objects.requireNonNull(fault, "fault"));
        log("fault " + armed.id() + " injected: " + fault);
        return armed;
    }

    /** The injected faults with uses left, each {@code count} being the uses left. */
    public List<Fault> activeFaults() {
        return faults.active();
    }

    /** Every fault armed since the last clear, exhausted ones included, with how often each was injected. */
    public List<FaultStats> faults() {
        return faults.stats();
    }

    /** Removes every injected fault. */
    public void clearFaults() {
        faults.clear();
    }

    /** The seed that faults without their own derive theirs from (see {@link Builder#faultSeed(long)}). */
    public long faultSeed() {
        return faults.seed();
    }

    /** Stops the server; the data directory is left as it is. */
    @Override
    public synchronized void close() {
        if (proxy == null) {
            return;
        }
        try {
            proxy.stop();
        } catch (Exception e) {
            throw new IllegalStateException("LocalS3 failed to stop cleanly", e);
        } finally {
            proxy = null;
            endpoint = null;
        }
    }

    /** One line on stderr per injected fault, as the Personalize emulator logs its requests. */
    static void log(String message) {
        System.err.println(LocalTime.now().truncatedTo(ChronoUnit.MILLIS) + " local-s3 " + message);
    }

    /** Configures a {@link LocalS3}. */
    public static final class Builder {
        private Path dataDir;
        private int port;
        private String accessKey = DEFAULT_ACCESS_KEY;
        private String secretKey = DEFAULT_SECRET_KEY;
        private long faultSeed = ThreadLocalRandom.current().nextLong();

        private Builder() {
        }

        /**
         * The seed of the random draws of probabilistic faults that have no seed of their own (default: a random
         * one, shown by {@code GET} {@value LocalS3#FAULTS_PATH}, so a run can be repeated with it).
         */
        public Builder faultSeed(long seed) {
            this.faultSeed = seed;
            return this;
        }

        /** The directory whose sub-folders are the buckets; created if missing. */
        public Builder dataDir(Path dataDir) {
            this.dataDir = dataDir;
            return this;
        }

        /** The TCP port on 127.0.0.1; 0 (the default) picks a free one. */
        public Builder port(int port) {
            if (port < 0 || port > 65_535) {
                throw new IllegalArgumentException("port must be 0..65535, was " + port);
            }
            this.port = port;
            return this;
        }

        /** The access key id clients sign with (default {@value LocalS3#DEFAULT_ACCESS_KEY}). */
        public Builder accessKey(String accessKey) {
            this.accessKey = Objects.requireNonNull(accessKey, "accessKey");
            return this;
        }

        /** The secret key clients sign with (default {@value LocalS3#DEFAULT_SECRET_KEY}). */
        public Builder secretKey(String secretKey) {
            this.secretKey = Objects.requireNonNull(secretKey, "secretKey");
            return this;
        }

        /** Builds an unstarted server. */
        public LocalS3 build() {
            return new LocalS3(this);
        }
    }
}
