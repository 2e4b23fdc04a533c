package io.personalizeimport.local.cli;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Where a command's stack logs while it runs: the file {@code logs/stack.log} of its data directory, or the console
 * (stderr) when asked to stream it.
 */
final class StackLog implements AutoCloseable {

    static final String FILE = "logs/stack.log";

    private final Path file;
    private final PrintStream stream;
    private final PrintStream console;

    private StackLog(Path file, PrintStream stream, PrintStream console) {
        this.file = file;
        this.stream = stream;
        this.console = console;
    }

    /** Streams the stack's log to stderr, as {@code local/run up} does. */
    static StackLog toConsole() {
        return new StackLog(null, System.err, null);
    }

    /**
     * Appends the stack's log to {@value #FILE} under {@code dataDir} until closed: the functions', Step Functions' and
     * the notifications' lines through {@link #sink()}, and what the emulators and DynamoDB Local write to stderr, which
     * this process's stderr is pointed at meanwhile. The command's own messages go to {@link Cli#ERR}, kept apart.
     */
    static StackLog toFile(Path dataDir) {
        Path file = dataDir.resolve(FILE);
        try {
            Files.createDirectories(file.getParent());
            PrintStream stream = new PrintStream(new FileOutputStream(file.toFile(), true), true,
                    StandardCharsets.UTF_8);
            PrintStream console = System.err;
            System.setErr(stream);
            return new StackLog(file, stream, console);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot open the stack's log " + file, e);
        }
    }

    /** Where the stack's parts send their lines: the LocalStack builder's log sink. */
    Consumer<String> sink() {
        return stream::println;
    }

    /** The log file, empty when the log streams to the console. */
    Optional<Path> file() {
        return Optional.ofNullable(file);
    }

    /** Points stderr back at the console and closes the file. */
    @Override
    public void close() {
        if (console != null) {
            System.setErr(console);
            stream.close();
        }
    }
}
