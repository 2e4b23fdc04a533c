package io.personalizeimport.local.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One function JVM's class loading log ({@code -Xlog:class+load:file=...}) of a bench run: the handler it ran and the
 * classes its first invocation loaded after priming, which the harness marks by loading {@link Harness.FirstCallMark}.
 *
 * @param handler the handler class the JVM loaded
 * @param afterPriming the classes loaded after the mark that a function's list may name: from a jar or class folder,
 *     named (no hidden or generated class), neither the harness's nor Lambda's runtime client's own
 */
public record ClassLoadLog(String handler, List<String> afterPriming) {

    /** {@code [0.512s][info][class,load] some.Name source: file:/...}, decorations as -Xlog writes them. */
    private static final Pattern LINE = Pattern.compile("^(?:\\[[^]]*])*\\s*(\\S+) source: (.*)$");
    private static final List<String> NOT_RECORDED = List.of("io.personalizeimport.local.",
            "com.amazonaws.services.lambda.runtime.api.client.", "com.amazonaws.services.lambda.crac.");

    public ClassLoadLog {
        afterPriming = List.copyOf(afterPriming);
    }

    /**
     * The log's handler and first-call classes; empty when the JVM was not primed (no mark) or ran none of
     * {@code handlers}.
     */
    public static Optional<ClassLoadLog> read(Path log, Collection<String> handlers) {
        List<String> lines;
        try {
            lines = Files.readAllLines(log);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read the class loading log " + log, e);
        }
        String handler = null;
        boolean marked = false;
        List<String> after = new ArrayList<>();
        for (String line : lines) {
            Matcher loaded = LINE.matcher(line);
            if (!loaded.matches()) {
                continue;
            }
            String name = loaded.group(1);
            if (handlers.contains(name)) {
                handler = name;
            } else if (name.equals(Harness.FirstCallMark.class.getName())) {
                marked = true;
            } else if (marked && recordable(name, loaded.group(2))) {
                after.add(name);
            }
        }
        return handler == null || !marked ? Optional.empty() : Optional.of(new ClassLoadLog(handler, after));
    }

    private static boolean recordable(String name, String source) {
        return (source.startsWith("file:") || source.startsWith("jar:")) && !name.contains("/")
                && NOT_RECORDED.stream().noneMatch(name::startsWith);
    }
}
