package io.personalizeimport.local.lambda;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * How the Lambda host starts a container of one function: its deployment jar, its handler
 * ({@code package.Class::method}), the JVM options and the environment.
 */
public record ContainerSpec(Path codeJar, String handler, List<String> jvmOptions, Map<String, String> environment) {

    public ContainerSpec {
        jvmOptions = List.copyOf(jvmOptions);
        environment = Map.copyOf(environment);
    }

    /** The handler's class, without the method. */
    public String handlerClass() {
        int method = handler.indexOf("::");
        return method < 0 ? handler : handler.substring(0, method);
    }
}
