package io.personalizeimport.local.lambda;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/** One Lambda function as the host runs it: its name, handler, deployment jar, environment, timeout and memory. */
public record FunctionConfig(
        String name,
        String handler,
        Path codeJar,
        Map<String, String> environment,
        int timeoutSeconds,
        int memoryMb) {

    /** Lambda's defaults for a function created without these settings. */
    public static final int DEFAULT_TIMEOUT_SECONDS = 3;
    public static final int DEFAULT_MEMORY_MB = 128;

    private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9_-]{1,64}");

    // Lambda refuses these keys in a function's environment because the runtime sets them itself.
    private static final Set<String> RESERVED_KEYS = Set.of(
            "_HANDLER", "_X_AMZN_TRACE_ID", "AWS_DEFAULT_REGION", "AWS_REGION", "AWS_EXECUTION_ENV",
            "AWS_LAMBDA_FUNCTION_NAME", "AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "AWS_LAMBDA_FUNCTION_VERSION",
            "AWS_LAMBDA_INITIALIZATION_TYPE", "AWS_LAMBDA_LOG_GROUP_NAME", "AWS_LAMBDA_LOG_STREAM_NAME",
            "AWS_ACCESS_KEY", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN",
            "AWS_LAMBDA_RUNTIME_API", "LAMBDA_TASK_ROOT", "LAMBDA_RUNTIME_DIR");

    public FunctionConfig {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(handler, "handler");
        Objects.requireNonNull(codeJar, "codeJar");
        if (!NAME.matcher(name).matches()) {
            throw new InvalidFunctionConfigurationException(
                    "Function name must be 1 to 64 letters, digits, '-' or '_': " + name);
        }
        if (handler.isBlank()) {
            throw new InvalidFunctionConfigurationException("Handler of " + name + " is blank");
        }
        if (timeoutSeconds < 1 || timeoutSeconds > 900) {
            throw new InvalidFunctionConfigurationException(
                    "Timeout of " + name + " must be 1..900 seconds, was " + timeoutSeconds);
        }
        if (memoryMb < 128 || memoryMb > 10_240) {
            throw new InvalidFunctionConfigurationException(
                    "Memory of " + name + " must be 128..10240 MB, was " + memoryMb);
        }
        environment = Map.copyOf(environment == null ? Map.of() : environment);
        for (String key : environment.keySet()) {
            if (RESERVED_KEYS.contains(key)) {
                throw new InvalidFunctionConfigurationException(
                        "Environment of " + name + " contains the reserved key " + key + ", which Lambda sets itself");
            }
        }
    }

    /** A function with Lambda's default timeout and memory and no environment variables. */
    public static FunctionConfig of(String name, String handler, Path codeJar) {
        return new FunctionConfig(name, handler, codeJar, Map.of(), DEFAULT_TIMEOUT_SECONDS, DEFAULT_MEMORY_MB);
    }

    /** The same function deployed under another name. */
    public FunctionConfig withName(String newName) {
        return new FunctionConfig(newName, handler, codeJar, environment, timeoutSeconds, memoryMb);
    }

    /** This function with another environment. */
    public FunctionConfig withEnvironment(Map<String, String> newEnvironment) {
        return new FunctionConfig(name, handler, codeJar, newEnvironment, timeoutSeconds, memoryMb);
    }

    /** This function with another timeout. */
    public FunctionConfig withTimeoutSeconds(int newTimeoutSeconds) {
        return new FunctionConfig(name, handler, codeJar, environment, newTimeoutSeconds, memoryMb);
    }

    /** This function with another memory size. */
    public FunctionConfig withMemoryMb(int newMemoryMb) {
        return new FunctionConfig(name, handler, codeJar, environment, timeoutSeconds, newMemoryMb);
    }
}
