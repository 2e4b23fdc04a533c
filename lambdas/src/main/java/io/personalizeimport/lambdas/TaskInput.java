package io.personalizeimport.lambdas;

import io.personalizeimport.lambdas.errors.InvalidImportRequestException;
import software.amazon.awssdk.protocols.jsoncore.JsonNode;

/** The records in a task's input, which the state machine, the trigger, the create task or the lane wrote. */
final class TaskInput {

    private TaskInput() {
    }

    /**
     * Reads one, see {@link JsonText#read}.
     *
     * @throws InvalidImportRequestException naming the field of the wrong kind and what was expected
     */
    static <T extends Record> T read(JsonNode node, Class<T> type) {
        try {
            return JsonText.read(node, type);
        } catch (IllegalArgumentException e) {
            throw new InvalidImportRequestException("The task's input cannot be read: " + e.getMessage(), e);
        }
    }
}
