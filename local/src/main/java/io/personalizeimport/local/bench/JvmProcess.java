package io.personalizeimport.local.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A fresh JVM running {@link Harness} or {@link BareJvm}: its command line, environment and log file, the answers it
 * prints, and how long it lived, from just before the process is started to just after it has exited.
 */
final class JvmProcess implements AutoCloseable {

    private static final long EXIT_TIMEOUT_SECONDS = 120;

    private final String name;
    private final Process process;
    private final long startedNanos;
    private final BufferedReader answers;
    private final Writer events;
    private final Path log;

    private JvmProcess(String name, Process process, long startedNanos, Path log) {
        this.name = name;
        this.process = process;
        this.startedNanos = startedNanos;
        this.log = log;
        this.answers = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        this.events = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
    }

    /** Starts {@code java <command...>} with exactly {@code environment}; its standard error goes to {@code log}. */
    static JvmProcess start(String name, List<String> command, Map<String, String> environment, Path log) {
        ProcessBuilder builder = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().clear();
        builder.environment().putAll(environment);
        long started = System.nanoTime();
        try {
            return new JvmProcess(name, builder.start(), started, log);
        } catch (IOException e) {
            throw new BenchFailedException("Cannot start the " + name + " JVM: " + String.join(" ", command), e);
        }
    }

    /** The handler's construction time, as the harness reports it first. */
    long initNanos() {
        String line = answer("init ");
        return Long.parseLong(line.substring("init ".length()).trim());
    }

    /** What the CRaC hooks took in a primed JVM, as the harness reports it after init. */
    Primed primed() {
        return Primed.parse(answer(Primed.PREFIX), name);
    }

    /** Hands the harness one event and waits for the handler's answer. */
    Invocation invoke(String event) {
        send(event);
        return nextInvocation();
    }

    /** Writes one event line without waiting for its answer. */
    void send(String event) {
        if (event.indexOf('\n') >= 0) {
            throw new IllegalArgumentException("An event must be one line of JSON");
        }
        try {
            events.write(event);
            events.write('\n');
            events.flush();
        } catch (IOException e) {
            throw new BenchFailedException("The " + name + " JVM stopped reading events; see " + log, e);
        }
    }

    /** Writes the one event of a cold run and closes standard input, so the harness exits as soon as it answered. */
    void sendLast(String event) {
        send(event);
        try {
            events.close();
        } catch (IOException e) {
            throw new BenchFailedException("The " + name + " JVM stopped reading events; see " + log, e);
        }
    }

    /** The answer to the next event sent. */
    Invocation nextInvocation() {
        String line = answer("invoked ");
        int space = line.indexOf(' ', "invoked ".length());
        return new Invocation(Long.parseLong(line.substring("invoked ".length(), space)), line.substring(space + 1));
    }

    /** Closes its standard input, so the harness ends, and waits for the JVM to exit; returns its whole life. */
    long finish() {
        try {
            events.close();
            List<String> rest = new ArrayList<>();
            for (String line = answers.readLine(); line != null; line = answers.readLine()) {
                rest.add(line);
            }
            if (!process.waitFor(EXIT_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new BenchFailedException("The " + name + " JVM did not exit within " + EXIT_TIMEOUT_SECONDS
                        + " s; see " + log);
            }
            long lived = System.nanoTime() - startedNanos;
            if (process.exitValue() != 0) {
                throw new BenchFailedException("The " + name + " JVM exited with " + process.exitValue()
                        + (rest.isEmpty() ? "" : " after printing " + rest) + "; see " + log);
            }
            return lived;
        } catch (IOException e) {
            throw new UncheckedIOException("Lost the output of the " + name + " JVM", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new BenchFailedException("Interrupted while waiting for the " + name + " JVM", e);
        }
    }

    /** Lines that tell nothing are skipped; the end of the output before the answer means the JVM failed. */
    private String answer(String prefix) {
        try {
            for (String line = answers.readLine(); line != null; line = answers.readLine()) {
                if (line.startsWith(prefix)) {
                    return line;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Lost the output of the " + name + " JVM", e);
        }
        throw new BenchFailedException("The " + name + " JVM ended before answering '" + prefix.trim()
                + "'; its log " + log + " says why");
    }

    /** Kills the JVM if it is still running; a finished one is left alone. */
    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
        }
    }

    /** One invocation as the harness timed it, with the handler's output. */
    record Invocation(long nanos, String output) {
    }

    /** The hooks' run in a primed JVM: how long it took and how many classes the JVM loaded meanwhile. */
    record Primed(long nanos, long classes) {

        static final String PREFIX = "primed ";

        /** {@code primed <nanoseconds> <classes>}, as {@link Harness} prints it. */
        static Primed parse(String line, String jvm) {
            String[] fields = line.split(" ");
            if (fields.length == 3 && fields[0].equals(PREFIX.trim()) && fields[1].matches("\\d+")
                    && fields[2].matches("\\d+")) {
                return new Primed(Long.parseLong(fields[1]), Long.parseLong(fields[2]));
            }
            throw new BenchFailedException("The " + jvm + " JVM answered '" + line + "' for its priming: expected '"
                    + PREFIX + "<nanoseconds> <classes loaded>'");
        }
    }
}
