package io.personalizeimport.local.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.personalizeimport.local.FileTrees;
import io.personalizeimport.local.progress.ProgressView;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.ExecutionListItem;

/** What the commands share: where the stack keeps its data, JSON output, and following executions to their end. */
public final class Cli {

    /** Exit codes: documented in docs/local-stack.md, "With your own files". */
    public static final int OK = 0;
    public static final int FAILED = 1;
    public static final int USAGE = 2;

    static final ObjectMapper MAPPER = new ObjectMapper();
    static final Set<String> COMMON_OPTIONS = Set.of("--data-dir");
    static final PrintStream OUT = System.out;
    static final PrintStream ERR = System.err;

    /** Set by local/run: whether stdout is a terminal, and how many columns it has (0: unknown). */
    static final String TERMINAL_PROPERTY = "personalizeimport.terminal";
    static final String COLUMNS_PROPERTY = "personalizeimport.columns";

    private Cli() {
    }

    /**
     * The progress view for {@code out}: redrawn in place when it is the console and local/run found that a terminal,
     * else a line per change of status (CI, pipes, tests).
     */
    static ProgressView progressView(PrintStream out) {
        if (out != OUT || !Boolean.getBoolean(TERMINAL_PROPERTY)) {
            return ProgressView.plain(out);
        }
        return ProgressView.terminal(out, Integer.getInteger(COLUMNS_PROPERTY, 0));
    }

    /** The repository checkout that local/run runs from. */
    public static Path root() {
        return Path.of(System.getProperty("personalizeimport.root", ".")).toAbsolutePath().normalize();
    }

    public static Path defaultDataDir() {
        return root().resolve(".local-data");
    }

    static Path dataDir(Args args) {
        return args.option("--data-dir").map(dir -> Path.of(dir).toAbsolutePath().normalize())
                .orElseGet(Cli::defaultDataDir);
    }

    /**
     * Empties {@code dataDir} for a command that always starts from nothing (demo, bench). It clears only a folder the
     * command made itself, marked by a file {@code .personalize-import-<command>}, so a mistyped --data-dir never costs
     * anyone their files.
     */
    static void freshDataDir(String command, Path dataDir) {
        Path marker = dataDir.resolve(".personalize-import-" + command);
        try {
            if (Files.isDirectory(dataDir) && !Files.exists(marker)) {
                try (Stream<Path> entries = Files.list(dataDir)) {
                    if (entries.findAny().isPresent()) {
                        throw new CommandFailedException(command + ": refusing to clear " + dataDir + ": it was not"
                                + " made by 'local/run " + command + "'; give an empty or new --data-dir");
                    }
                }
            }
            FileTrees.delete(dataDir);
            Files.createDirectories(dataDir);
            Files.writeString(marker, "made by local/run " + command + "; cleared at every " + command + " run\n");
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot clear the " + command + " data dir " + dataDir, e);
        }
    }

    static ObjectNode toJson(ExecutionView view) {
        return MAPPER.valueToTree(view);
    }

    static void printJson(Object value) {
        printJson(OUT, value);
    }

    static void printJson(PrintStream out, Object value) {
        try {
            out.println(MAPPER.writeValueAsString(value));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("output not serializable", e);
        }
    }

    static ArrayNode array() {
        return MAPPER.createArrayNode();
    }

    /**
     * Follows an execution until it ends, reporting each change (state, job status, polls) once.
     *
     * @return the final view
     */
    static ExecutionView follow(SfnClient sfn, String executionArn, Duration timeout, Consumer<ExecutionView> onChange) {
        Instant until = Instant.now().plus(timeout);
        String last = null;
        while (true) {
            ExecutionView view = ExecutionView.read(sfn, executionArn);
            String signature = view.status() + view.state() + view.jobStatus() + view.polls();
            if (!signature.equals(last)) {
                onChange.accept(view);
                last = signature;
            }
            if (!view.running()) {
                return view;
            }
            if (Instant.now().isAfter(until)) {
                throw new CommandFailedException("Execution " + view.name() + " is still running after " + timeout
                        + "; follow it with 'local/run executions' or 'local/run history " + view.name() + "'");
            }
            sleep(Duration.ofMillis(250));
        }
    }

    /** Watches every execution of the state machine, reporting each one's changes; returns when interrupted. */
    static void watchAll(SfnClient sfn, String stateMachineArn, Consumer<ExecutionView> onChange) {
        Map<String, String> seen = new HashMap<>();
        do {
            for (ExecutionListItem item : sfn.listExecutions(request -> request.stateMachineArn(stateMachineArn)
                    .maxResults(100)).executions()) {
                String known = seen.get(item.executionArn());
                if (known != null && known.startsWith("closed")) {
                    continue;
                }
                ExecutionView view = ExecutionView.read(sfn, item.executionArn());
                String signature = (view.running() ? "open" : "closed") + view.state() + view.jobStatus() + view.polls();
                if (!signature.equals(known)) {
                    seen.put(item.executionArn(), signature);
                    onChange.accept(view);
                }
            }
        } while (pause(Duration.ofMillis(500)));
    }

    /** Waits; false when interrupted (Ctrl-C), with the thread's interrupt flag kept for the caller. */
    static boolean pause(Duration duration) {
        try {
            Thread.sleep(duration);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CommandFailedException("interrupted", e);
        }
    }

    /** The cause of {@code error} of the given type, if any: how a port in use shows through the servers. */
    static <T extends Throwable> T cause(Throwable error, Class<T> type) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (type.isInstance(cause)) {
                return type.cast(cause);
            }
        }
        return null;
    }
}
