package io.personalizeimport.local.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One function JVM's class loading log ({@code -Xlog:class+load,class+init:file=...}) of a bench run: the handler it ran
 * and the classes its first invocation loaded or initialized after priming, which the harness marks by loading
 * {@link Harness.FirstCallMark}. A class priming loaded but never initialized (a type it only named) shows as
 * initialized; so does one whose static initializer creates lambdas, the bulk of the SDK's answer types.
 *
 * @param handler the handler class the JVM loaded
 * @param afterPriming the classes loaded from a jar or class folder, or initialized, after the mark, that a function's
 *     list may name: neither the JDK's, nor hidden or generated ones, nor the harness's or Lambda's runtime client's
 */
public record ClassLoadLog(String handler, List<String> afterPriming) {

    /** {@code [0.512s][info][class,load] some.Name source: file:/...}, decorations as -Xlog writes them. */
    private static final Pattern LOADED = Pattern.compile("^(?:\\[[^]]*])*\\s*(\\S+) source: (.*)$");
    /** {@code [0.513s][info][class,init] 42 Initializing 'some/Name'(no method) (0x...) by thread "main"}. */
    private static final Pattern INITIALIZED = Pattern.compile("^(?:\\[[^]]*])*\\s*\\d+ Initializing '([^']+)'.*$");
    private static final List<String> NOT_RECORDED = List.of("java.", "javax.", "jdk.", "sun.", "com.sun.",
            "io.personalizeimport.local.", "com.amazonaws.services.lambda.runtime.api.client.",
            "com.amazonaws.services.lambda.crac.");

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
        Set<String> after = new LinkedHashSet<>();
        for (String line : lines) {
            Matcher loaded = LOADED.matcher(line);
            Matcher initialized = INITIALIZED.matcher(line);
            if (loaded.matches()) {
                String name = loaded.group(1);
                if (handlers.contains(name)) {
                    handler = name;
                } else if (name.equals(Harness.FirstCallMark.class.getName())) {
                    marked = true;
                } else if (marked && fromClassPath(loaded.group(2)) && recordable(name)) {
                    after.add(name);
                }
            } else if (marked && initialized.matches()) {
                String name = initialized.group(1).replace('/', '.');
                if (recordable(name) && !name.equals(Harness.FirstCallMark.class.getName())) {
                    after.add(name);
                }
            }
        }
        return handler == null || !marked ? Optional.empty() : Optional.of(new ClassLoadLog(handler, List.copyOf(after)));
    }

    private static boolean fromClassPath(String source) {
        return source.startsWith("file:") || source.startsWith("jar:");
    }

    /** Neither the JDK's, nor excluded, nor hidden ({@code Host$$Lambda/0x...}, {@code +0x...} once dotted). */
    private static boolean recordable(String name) {
        return !name.contains("/") && !name.contains("+0x") && !name.contains("$$Lambda")
                && NOT_RECORDED.stream().noneMatch(name::startsWith);
    }
}
