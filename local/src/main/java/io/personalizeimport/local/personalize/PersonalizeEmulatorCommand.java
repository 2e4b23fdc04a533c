package io.personalizeimport.local.personalize;

import java.io.PrintStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * Command line for the {@link PersonalizeEmulator}: prints the endpoint URL as the first line of stdout, then
 * serves until the process is stopped (SIGTERM or Ctrl-C close it cleanly).
 */
public final class PersonalizeEmulatorCommand {

    /** Exit code for a usage error. */
    public static final int USAGE_ERROR = 2;

    static final String USAGE = """
            Usage: personalize [--port N] [--data-dir DIR] [--s3-endpoint URL] [--step-millis N]
                               [--region R] [--account-id A] [--s3-access-key K --s3-secret-key S]
                               [--fault-seed N]
              --port N          TCP port on 127.0.0.1 (default 0: any free port)
              --data-dir DIR    keep state in DIR across restarts (default: in memory)
              --s3-endpoint URL S3 endpoint to read import data from (default: AWS_ENDPOINT_URL_S3)
              --step-millis N   time an import job spends in each of PENDING and IN_PROGRESS (default 2000)
              --region R        region when a request has no SigV4 scope (default us-east-1)
              --account-id A    12-digit account id in ARNs (default 000000000000)
              --s3-access-key K, --s3-secret-key S
                                S3 signing keys (default: AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, else LocalS3's)
              --fault-seed N    seed of probabilistic faults, to repeat a chaos run (default: random, logged)
            """;

    private PersonalizeEmulatorCommand() {
    }

    /** Parses {@code args}, serves until the JVM shuts down; returns the exit code (2 for a usage error). */
    public static int run(String[] args) {
        CountDownLatch stop = new CountDownLatch(1);
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            stop.countDown();
            try {
                stopped.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "personalize-emulator-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            return run(args, System.out, System.err, stop);
        } finally {
            stopped.countDown();
        }
    }

    /** Serves until {@code stop} is released; the testable core of {@link #run(String[])}. */
    static int run(String[] args, PrintStream out, PrintStream err, CountDownLatch stop) {
        PersonalizeEmulator.Builder builder;
        try {
            builder = parse(args);
        } catch (UsageException e) {
            err.println("personalize: " + e.getMessage());
            err.print(USAGE);
            return USAGE_ERROR;
        }
        if (builder == null) {
            out.print(USAGE);
            return 0;
        }
        try (PersonalizeEmulator emulator = builder.build().start()) {
            out.println(emulator.endpoint());
            out.flush();
            stop.await();
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
    }

    /** The configured builder, or null when help was asked for. */
    static PersonalizeEmulator.Builder parse(String[] args) throws UsageException {
        PersonalizeEmulator.Builder builder = PersonalizeEmulator.builder();
        String accessKey = null;
        String secretKey = null;
        for (int i = 0; i < args.length; i++) {
            String flag = args[i];
            if (flag.equals("--help") || flag.equals("-h")) {
                return null;
            }
            if (!flag.startsWith("--")) {
                throw new UsageException("unexpected argument '" + flag + "'");
            }
            if (i + 1 >= args.length) {
                throw new UsageException(flag + " needs a value");
            }
            String value = args[++i];
            switch (flag) {
                case "--port" -> builder.port((int) number(flag, value, 0, 65_535));
                case "--data-dir" -> builder.dataDir(Path.of(value));
                case "--s3-endpoint" -> builder.s3Endpoint(url(flag, value));
                case "--step-millis" -> builder.stepMillis(number(flag, value, 0, Long.MAX_VALUE));
                case "--region" -> builder.region(matching(flag, value, "[a-z]{2}(-[a-z]+)+-\\d+", "a region such as us-east-1"));
                case "--account-id" -> builder.accountId(matching(flag, value, "\\d{12}", "12 digits"));
                case "--s3-access-key" -> accessKey = value;
                case "--s3-secret-key" -> secretKey = value;
                case "--fault-seed" -> builder.faultSeed(seed(flag, value));
                default -> throw new UsageException("unknown option " + flag);
            }
        }
        if ((accessKey == null) != (secretKey == null)) {
            throw new UsageException("--s3-access-key and --s3-secret-key go together");
        }
        if (accessKey != null) {
            builder.s3Credentials(accessKey, secretKey);
        }
        return builder;
    }

    private static long number(String flag, String value, long min, long max) throws UsageException {
        String expected = flag + " expects an integer " + min + ".." + (max == Long.MAX_VALUE ? "" : max)
                + ", got '" + value + "'";
        long n;
        try {
            n = Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new UsageException(expected);
        }
        if (n < min || n > max) {
            throw new UsageException(expected);
        }
        return n;
    }

    private static long seed(String flag, String value) throws UsageException {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new UsageException(flag + " expects an integer, got '" + value + "'");
        }
    }

    private static URI url(String flag, String value) throws UsageException {
        String expected = flag + " expects an http(s) URL such as http://127.0.0.1:9000, got '" + value + "'";
        URI uri;
        try {
            uri = new URI(value);
        } catch (URISyntaxException e) {
            throw new UsageException(expected);
        }
        if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
            throw new UsageException(expected);
        }
        return uri;
    }

    private static String matching(String flag, String value, String regex, String expected) throws UsageException {
        if (!value.matches(regex)) {
            throw new UsageException(flag + " expects " + expected + ", got '" + value + "'");
        }
        return value;
    }

    /** Thrown for a command line that cannot be run. */
    static final class UsageException extends Exception {
        UsageException(String message) {
            super(message);
        }
    }
}
