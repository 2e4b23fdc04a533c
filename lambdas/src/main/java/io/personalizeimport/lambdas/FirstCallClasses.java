package io.personalizeimport.lambdas;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The classes a function's first invocation still loaded after priming ran its steps, as {@code local/run
 * first-call-classes} recorded them in {@code /priming/<function>.classes}: mostly the SDK's readers of a successful
 * answer, which priming's requests (refused or read-only) never get. Priming loads and initializes them before the
 * snapshot, so a restored container finds them ready (docs/performance.md, "Deployment packages and SnapStart").
 */
final class FirstCallClasses {

    /** The system property that, set to {@code off}, leaves the list unread: to record the list anew. */
    static final String SWITCH = "personalize-import.first-call-classes";

    /** What loading the list did: classes loaded and initialized, and names that could not be (an older list). */
    record Loaded(int loaded, List<String> failed) {
    }

    private FirstCallClasses() {
    }

    /** The resource that lists the function's classes, one name a line; {@code #} starts a comment. */
    static String resource(FunctionSettings function) {
        return "/priming/" + function.functionName() + ".classes";
    }

    /** Loads and initializes each class the function's list names; a function without a list loads nothing. */
    static Loaded load(FunctionSettings function) {
        if ("off".equals(System.getProperty(SWITCH))) {
            return new Loaded(0, List.of());
        }
        return load(names(function), FirstCallClasses.class.getClassLoader());
    }

    static Loaded load(List<String> names, ClassLoader loader) {
        int loaded = 0;
        List<String> failed = new ArrayList<>();
        for (String name : names) {
            try {
                Class.forName(name, true, loader);
                loaded++;
            } catch (ClassNotFoundException | LinkageError e) {
                // A name of an older dependency, or a class that cannot start before the snapshot: the first call
                // loads what it needs, as without the list.
                failed.add(name);
            }
        }
        return new Loaded(loaded, failed);
    }

    static List<String> names(FunctionSettings function) {
        try (InputStream in = FirstCallClasses.class.getResourceAsStream(resource(function))) {
            if (in == null) {
                return List.of();
            }
            List<String> names = new ArrayList<>();
            BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                String name = line.strip();
                if (!name.isEmpty() && !name.startsWith("#")) {
                    names.add(name);
                }
            }
            return names;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read " + resource(function), e);
        }
    }
}
