package io.personalizeimport.lambdas.lane;

import io.personalizeimport.lambdas.domain.MonitorInput;
import io.personalizeimport.lambdas.json.Json;

/** An execution's input as the lane keeps it in its lane item, so that starting it again is the same request. */
final class ExecutionInputs {

    private ExecutionInputs() {
    }

    static String write(MonitorInput.LaneImport input) {
        return Json.write(input);
    }

    static MonitorInput.LaneImport read(String input) {
        try {
            return Json.read(input, MonitorInput.LaneImport.class);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("the lane's stored execution input is not readable: " + input, e);
        }
    }
}
