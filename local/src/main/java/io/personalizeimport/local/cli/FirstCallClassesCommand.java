package io.personalizeimport.local.cli;

import io.personalizeimport.lambdas.FunctionSettings;
import io.personalizeimport.local.bench.ClassLoadLog;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * {@code local/run first-call-classes LOGDIR}: from the class loading logs of a bench run, writes each function's list of
 * the classes its first invocation still loaded after priming, which priming then loads before the snapshot.
 */
final class FirstCallClassesCommand {

    static final String USAGE = """
            first-call-classes LOGDIR [--to DIR]
              write each function's list of the classes its first call loads after priming (default DIR
              lambdas/src/main/resources/priming) from the logs of a bench run made with
              --jvm-option -Dpersonalize-import.first-call-classes=off
              --jvm-option -Xlog:class+load,class+init:file=LOGDIR/%p.log""";

    private FirstCallClassesCommand() {
    }

    static int run(String[] argv) {
        return run(argv, Cli.OUT, Cli.root());
    }

    static int run(String[] argv, PrintStream out, Path root) {
        Args args = Args.parse("first-call-classes", argv, Set.of("--to"), Set.of());
        if (args.positional().size() != 1) {
            throw new UsageException("first-call-classes: expected one LOGDIR, the folder of a bench run's class"
                    + " loading logs, got " + args.positional());
        }
        Path logs = Path.of(args.positional().getFirst());
        if (!Files.isDirectory(logs)) {
            throw new UsageException("first-call-classes: " + logs + " is not a folder: expected the LOGDIR of"
                    + " -Xlog:class+load,class+init:file=LOGDIR/%p.log");
        }
        Path to = args.option("--to").map(Path::of).orElseGet(() -> root.resolve("lambdas/src/main/resources/priming"));
        Map<FunctionSettings, TreeSet<String>> classes = read(logs);
        if (classes.isEmpty()) {
            throw new CommandFailedException("first-call-classes: no log in " + logs + " is of a primed function JVM:"
                    + " run local/run bench with --jvm-option -Xlog:class+load,class+init:file=" + logs + "/%p.log");
        }
        for (Map.Entry<FunctionSettings, TreeSet<String>> function : classes.entrySet()) {
            Path list = write(to, function.getKey(), function.getValue());
            out.println(function.getKey().functionName() + ": " + function.getValue().size() + " classes in " + list);
        }
        return Cli.OK;
    }

    /** Each primed function's first-call classes, over every log of it in {@code logs}. */
    static Map<FunctionSettings, TreeSet<String>> read(Path logs) {
        Map<String, FunctionSettings> byHandler = new HashMap<>();
        for (FunctionSettings function : FunctionSettings.values()) {
            byHandler.put(function.handler().substring(0, function.handler().indexOf("::")), function);
        }
        Map<FunctionSettings, TreeSet<String>> classes = new EnumMap<>(FunctionSettings.class);
        List<Path> files;
        try (Stream<Path> listed = Files.list(logs)) {
            files = listed.filter(file -> file.toString().endsWith(".log")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not list " + logs, e);
        }
        for (Path file : files) {
            ClassLoadLog.read(file, byHandler.keySet()).ifPresent(log -> classes
                    .computeIfAbsent(byHandler.get(log.handler()), function -> new TreeSet<>())
                    .addAll(log.afterPriming()));
        }
        return classes;
    }

    private static Path write(Path to, FunctionSettings function, TreeSet<String> names) {
        List<String> lines = new ArrayList<>(List.of(
                "# The classes the " + function.functionName() + " function's first invocation loaded after priming,"
                        + " in a bench run",
                "# (local/run first-call-classes; docs/performance.md). Priming loads them"
                        + " before the snapshot."));
        lines.addAll(names);
        Path list = to.resolve(function.functionName() + ".classes");
        try {
            Files.createDirectories(to);
            Files.write(list, lines);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not write " + list, e);
        }
        return list;
    }
}
