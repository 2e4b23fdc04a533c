package io.personalizeimport.lambdas.config;

import io.personalizeimport.lambdas.errors.ConfigurationException;
import java.util.Map;
import java.util.Optional;

/** The function's environment variables, read once at init; tests pass their own map. */
public record Environment(Map<String, String> variables) {

    public Environment {
        variables = Map.copyOf(variables);
    }

    public static Environment system() {
        return new Environment(System.getenv());
    }

    public Optional<String> optional(String name) {
        String value = variables.get(name);
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
    }

    public String required(String name, String expected) {
        return optional(name).orElseThrow(() -> new ConfigurationException(
                "Environment variable " + name + " is not set: expected " + expected));
    }

    public int integer(String name, int defaultValue, int min, int max) {
        Optional<String> raw = optional(name);
        if (raw.isEmpty()) {
            return defaultValue;
        }
        try {
            int value = Integer.parseInt(raw.get());
            if (value < min || value > max) {
                throw new NumberFormatException("out of range");
            }
            return value;
        } catch (NumberFormatException e) {
            throw new ConfigurationException("Environment variable " + name + " is '" + raw.get()
                    + "': expected a whole number from " + min + " to " + max + " (default " + defaultValue + ")");
        }
    }

    public boolean flag(String name, boolean defaultValue) {
        Optional<String> raw = optional(name);
        if (raw.isEmpty()) {
            return defaultValue;
        }
        return switch (raw.get().toLowerCase(java.util.Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new ConfigurationException("Environment variable " + name + " is '" + raw.get()
                    + "': expected true or false (default " + defaultValue + ")");
        };
    }
}
