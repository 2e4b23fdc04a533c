package io.personalizeimport.lambdas.lane;

import io.personalizeimport.lambdas.domain.MonitorInput;
import io.personalizeimport.lambdas.json.Json;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Executions in memory, deduplicated by name as Step Functions does: the same name again starts nothing. */
final class InMemoryExecutions implements Executions {

    static final String STATE_MACHINE = "arn:aws:states:us-east-1:123456789012:stateMachine:imports";

    private final Map<String, String> inputs = new LinkedHashMap<>();
    private final Map<String, String> statuses = new LinkedHashMap<>();
    private int starts;

    @Override
    public String start(String name, MonitorInput input) {
        return start(name, Json.write(input));
    }

    @Override
    public synchronized String start(String name, String input) {
        starts++;
        if (inputs.putIfAbsent(name, input) == null) {
            statuses.put(name, "RUNNING");
        }
        return arn(name);
    }

    @Override
    public synchronized Optional<String> status(String name) {
        return Optional.ofNullable(statuses.get(name));
    }

    @Override
    public String arn(String name) {
        return STATE_MACHINE.replace(":stateMachine:", ":execution:") + ":" + name;
    }

    /** Ends the execution, as a stop, a failure or a timeout would. */
    synchronized void end(String name, String status) {
        statuses.put(name, status);
    }

    synchronized List<String> names() {
        return List.copyOf(inputs.keySet());
    }

    /** The execution's input as Step Functions received it. */
    synchronized String inputText(String name) {
        return inputs.get(name);
    }

    /** The execution's input, read as any input is; it must be of the form expected. */
    synchronized <T extends MonitorInput> T input(String name, Class<T> form) {
        MonitorInput input = Json.read(inputs.get(name), MonitorInput.class);
        if (!form.isInstance(input)) {
            throw new AssertionError("execution " + name + " has a " + input.getClass().getSimpleName() + " as input: "
                    + "expected a " + form.getSimpleName());
        }
        return form.cast(input);
    }

    /** StartExecution calls, duplicates included. */
    synchronized int starts() {
        return starts;
    }
}
