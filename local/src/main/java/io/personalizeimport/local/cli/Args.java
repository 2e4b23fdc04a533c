package io.personalizeimport.local.cli;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A parsed command line: {@code --name value} options, {@code --flag} switches and positional arguments. An option
 * given twice keeps its last value for {@link #option(String)}; {@link #all(String)} has every one.
 */
public final class Args {

    private final Map<String, String> options = new HashMap<>();
    private final Map<String, List<String>> repeated = new HashMap<>();
    private final List<String> positional = new ArrayList<>();

    private Args() {
    }

    /**
     * Parses {@code args}; any option outside {@code valued} and {@code switches} is a usage error naming it.
     */
    public static Args parse(String command, String[] args, Set<String> valued, Set<String> switches) {
        Args parsed = new Args();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--")) {
                parsed.positional.add(arg);
            } else if (switches.contains(arg)) {
                parsed.options.put(arg, "true");
            } else if (valued.contains(arg)) {
                if (i + 1 >= args.length || args[i + 1].startsWith("--")) {
                    throw new UsageException(command + ": " + arg + " needs a value");
                }
                parsed.options.put(arg, args[++i]);
                parsed.repeated.computeIfAbsent(arg, name -> new ArrayList<>()).add(args[i]);
            } else {
                throw new UsageException(command + ": unknown option " + arg + "; expected one of "
                        + new java.util.TreeSet<>(union(valued, switches)));
            }
        }
        return parsed;
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        var all = new java.util.HashSet<>(a);
        all.addAll(b);
        return all;
    }

    public Optional<String> option(String name) {
        return Optional.ofNullable(options.get(name));
    }

    /** Every value of a repeatable option, in the order given. */
    public List<String> all(String name) {
        return List.copyOf(repeated.getOrDefault(name, List.of()));
    }

    public boolean flag(String name) {
        return options.containsKey(name);
    }

    public List<String> positional() {
        return List.copyOf(positional);
    }

    public double number(String command, String name, double defaultValue, double min, double max) {
        String raw = options.get(name);
        if (raw == null) {
            return defaultValue;
        }
        try {
            double value = Double.parseDouble(raw);
            if (value < min || value > max) {
                throw new NumberFormatException();
            }
            return value;
        } catch (NumberFormatException e) {
            throw new UsageException(command + ": " + name + " expects a number from " + min + " to " + max
                    + ", got '" + raw + "'");
        }
    }
}
