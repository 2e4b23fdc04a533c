package io.personalizeimport.local.dynamodb;

import com.amazonaws.services.dynamodbv2.exceptions.DynamoDBLocalServiceException;
import com.amazonaws.services.dynamodbv2.local.server.LocalDynamoDBRequestHandler;
import com.amazonaws.services.dynamodbv2.local.server.LocalDynamoDBServerHandler;
import com.amazonaws.services.dynamodbv2.local.shared.access.AmazonDynamoDBLocal;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ContextHandler;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * DynamoDB Local, AWS's own local DynamoDB ({@code com.amazonaws:DynamoDBLocal}), in this JVM and bound to 127.0.0.1.
 *
 * <p>DynamoDB Local's {@code ServerRunner} has no host option: its {@code DynamoDBProxyServer} builds a Jetty
 * {@code Server(port)}, which listens on every interface, and swallows a port in use. So this class runs DynamoDB
 * Local's own request handler ({@code LocalDynamoDBServerHandler} over {@code LocalDynamoDBRequestHandler}, as
 * {@code ServerRunner.createServer} wires them) in a Jetty server of its own whose one connector listens on 127.0.0.1.
 * That also leaves out {@code ServerRunner}'s telemetry, which would call Cognito and Pinpoint.
 *
 * <p>With a {@link Builder#dataDir(Path) data directory} the tables live in one SQLite file there
 * ({@code shared-local-instance.db}) and survive a restart; without one they live in memory. The database is shared
 * ({@code -sharedDb}): every client sees the same tables whatever keys and region it signs with, as the functions
 * and the CLI of one account do.
 */
public final class LocalDynamoDb implements AutoCloseable {

    private static final String HOST = "127.0.0.1";
    // Requests are small and few: the functions of one local stack and a CLI.
    private static final int MAX_THREADS = 32;
    // Held so that the level set here stays: java.util.logging keeps loggers only weakly.
    private static final Logger SQLITE_LOG = Logger.getLogger("com.almworks.sqlite4java");

    private final Path dataDir;
    private final int requestedPort;
    private Server server;
    private LocalDynamoDBRequestHandler databases;
    private URI endpoint;
    /**
     * A request header that keeps a request out of {@link #requestUnits()}: an observer's read (the bench's look at the
     * ledger while it waits), which the deployed pipeline never makes.
     */
    public static final String UNCOUNTED_HEADER = "X-Personalize-Import-Uncounted";

    private CapacityCounter capacity;

    private LocalDynamoDb(Builder builder) {
        this.dataDir = builder.dataDir == null ? null : builder.dataDir.toAbsolutePath().normalize();
        this.requestedPort = builder.port;
    }

    /** Starts configuring a server; every setting has a default (in memory, any free port). */
    public static Builder builder() {
        return new Builder();
    }

    /** Opens the database and starts serving; returns once the port is bound. */
    public synchronized LocalDynamoDb start() {
        if (server != null) {
            throw new IllegalStateException("LocalDynamoDb is already started");
        }
        long begin = System.nanoTime();
        // sqlite4java logs every database it opens at INFO.
        SQLITE_LOG.setLevel(Level.WARNING);
        NativeLibraries.load();
        LocalDynamoDBRequestHandler opened = requestHandler();
        // Fails here, at start, on a DynamoDB Local whose databases close() could not reach.
        databases(opened);
        LocalDynamoDBServerHandler requests = new LocalDynamoDBServerHandler(opened, null);
        QueuedThreadPool threads = new QueuedThreadPool(MAX_THREADS);
        threads.setName("dynamodb-local");
        threads.setDaemon(true);
        Server jetty = new Server(threads);
        ServerConnector connector = new ServerConnector(jetty);
        connector.setHost(HOST);
        connector.setPort(requestedPort);
        jetty.addConnector(connector);
        ContextHandler context = new ContextHandler();
        CapacityCounter counter = new CapacityCounter(requests);
        context.setHandler(counter);
        jetty.setHandler(new LoopbackOnlyHandler(context));
        try {
            jetty.start();
        } catch (Exception e) {
            stopQuietly(jetty, e);
            requests.close();
            throw new IllegalStateException("DynamoDB Local failed to start on " + HOST + ":" + requestedPort, e);
        }
        server = jetty;
        capacity = counter;
        databases = opened;
        endpoint = URI.create("http://" + HOST + ":" + connector.getLocalPort());
        log("listening on " + endpoint + (dataDir == null ? " (in memory" : " (tables in " + dataDir) + ", started in "
                + (System.nanoTime() - begin) / 1_000_000 + " ms)");
        return this;
    }

    private LocalDynamoDBRequestHandler requestHandler() {
        try {
            if (dataDir != null) {
                Files.createDirectories(dataDir);
            }
            // Arguments as ServerRunner.createServer passes them: (0, inMemory, dbPath, sharedDb, delayTransientStatuses).
            return new LocalDynamoDBRequestHandler(0, dataDir == null, dataDir == null ? null : dataDir.toString(),
                    true, false);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create the DynamoDB data directory " + dataDir, e);
        } catch (DynamoDBLocalServiceException e) {
            throw new IllegalStateException("DynamoDB Local cannot open its database in " + dataDir, e);
        }
    }

    private static void stopQuietly(Server jetty, Exception failure) {
        try {
            jetty.stop();
        } catch (Exception e) {
            failure.addSuppressed(e);
        }
    }

    /** The URL to give a DynamoDB client as endpoint override, e.g. {@code http://127.0.0.1:45678}. */
    public synchronized URI endpoint() {
        if (endpoint == null) {
            throw new IllegalStateException("LocalDynamoDb is not started");
        }
        return endpoint;
    }

    /**
     * The read and write request units of every item request since start, as DynamoDB Local's own accounting counts
     * them for each answer ({@link CapacityCounter}): what on-demand billing would charge for the same requests.
     */
    public synchronized RequestUnits requestUnits() {
        if (capacity == null) {
            throw new IllegalStateException("LocalDynamoDb is not started");
        }
        return capacity.units();
    }

    /** The folder of the database file, or null when the tables live in memory. */
    public Path dataDir() {
        return dataDir;
    }

    /** Stops serving and closes the database; the data directory is left as it is. */
    @Override
    public synchronized void close() {
        if (server == null) {
            return;
        }
        try {
            server.stop();
        } catch (Exception e) {
            throw new IllegalStateException("DynamoDB Local failed to stop cleanly", e);
        } finally {
            // DynamoDB Local's own shutdown() cancels its background jobs (stream shard rollover, TTL deletion) without
            // interrupting them: each then sleeps out its interval on a non-daemon thread that keeps the JVM alive.
            // shutdownNow() interrupts them, and closes each database as shutdown() does.
            databases(databases).forEach(AmazonDynamoDBLocal::shutdownNow);
            server = null;
            databases = null;
            endpoint = null;
        }
        log("stopped");
    }

    /**
     * The databases the request handler opened, one per credentials (here the one shared database), kept in its private
     * field {@code dbRequestHandlers} (DynamoDB Local 2.6.1); reached by reflection since nothing else exposes them.
     */
    private static List<AmazonDynamoDBLocal> databases(LocalDynamoDBRequestHandler handler) {
        try {
            Field field = LocalDynamoDBRequestHandler.class.getDeclaredField("dbRequestHandlers");
            field.setAccessible(true);
            synchronized (handler) {
                return List.copyOf(((Map<?, ?>) field.get(handler)).values().stream()
                        .map(AmazonDynamoDBLocal.class::cast).toList());
            }
        } catch (ReflectiveOperationException | ClassCastException e) {
            throw new IllegalStateException("Cannot reach the databases of this DynamoDB Local version to stop them", e);
        }
    }

    private static void log(String message) {
        System.err.println(LocalTime.now().truncatedTo(ChronoUnit.MILLIS) + " dynamodb-local " + message);
    }

    /** Configures a {@link LocalDynamoDb}. */
    public static final class Builder {
        private Path dataDir;
        private int port;

        private Builder() {
        }

        /** The folder of the database file, created if missing; unset keeps the tables in memory. */
        public Builder dataDir(Path value) {
            dataDir = value;
            return this;
        }

        /** The TCP port on 127.0.0.1; 0 (the default) picks a free one. */
        public Builder port(int value) {
            if (value < 0 || value > 65_535) {
                throw new IllegalArgumentException("port must be 0..65535, was " + value);
            }
            port = value;
            return this;
        }

        /** Builds an unstarted server. */
        public LocalDynamoDb build() {
            return new LocalDynamoDb(this);
        }
    }
}
