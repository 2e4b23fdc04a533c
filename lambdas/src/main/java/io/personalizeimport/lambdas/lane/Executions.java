package io.personalizeimport.lambdas.lane;

import io.personalizeimport.lambdas.domain.MonitorInput;
import java.util.Optional;

/** The state machine's executions, each named after the import (or watch) it runs. */
public interface Executions {

    /** Starts the execution, or finds the one started earlier under that name with that input; returns its ARN. */
    String start(String name, MonitorInput input);

    /** Starts the execution with the input exactly as written before, see {@link #start(String, MonitorInput)}. */
    String start(String name, String input);

    /** The execution's status (RUNNING, SUCCEEDED, FAILED, ...); empty when there is no such execution. */
    Optional<String> status(String name);

    /** The ARN of the execution of that name. */
    String arn(String name);
}
