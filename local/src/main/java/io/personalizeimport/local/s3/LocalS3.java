package io.personalizeimport.local.s3;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.regex.Pattern;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;

/**
 * An embedded S3-compatible server (S3Proxy over a filesystem blob store) bound to 127.0.0.1.
 *
 * <p>Each bucket is a folder directly under the data directory and each object a file below it, so copying a file
 * to {@code <dataDir>/<bucket>/<key>} makes an object without going through the S3 API. Requests must be signed
 * (SigV2 or SigV4) with the configured access key and secret key, as a real S3 endpoint demands.
 */
public final class LocalS3 implements AutoCloseable {

    /** Default access key id; any SDK client configured with it and {@link #DEFAULT_SECRET_KEY} is accepted. */
    public static final String DEFAULT_ACCESS_KEY = "local";
    /** Default secret access key. */
    public static final String DEFAULT_SECRET_KEY = "local-secret-key";

    // S3's own bucket naming rule, so that a bucket created here could also exist in AWS.
    private static final Pattern BUCKET_NAME = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");

    private static final long STOP_TIMEOUT_MILLIS = 0;

    private final Path dataDir;
    private final int requestedPort;
    private final String accessKey;
    private final String secretKey;
    private S3Proxy proxy;
    private URI endpoint;

    private LocalS3(Builder builder) {
        this.dataDir = Objects.requireNonNull(builder.dataDir, "dataDir").toAbsolutePath();
        this.requestedPort = builder.port;
        this.accessKey = builder.accessKey;
        this.secretKey = builder.secretKey;
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

    /** Configures a {@link LocalS3}. */
    public static final class Builder {
        private Path dataDir;
        private int port;
        private String accessKey = DEFAULT_ACCESS_KEY;
        private String secretKey = DEFAULT_SECRET_KEY;

        private Builder() {
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
