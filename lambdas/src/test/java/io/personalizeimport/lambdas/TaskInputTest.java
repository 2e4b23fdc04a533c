package io.personalizeimport.lambdas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.personalizeimport.lambdas.domain.ImportRequest;
import io.personalizeimport.lambdas.errors.InvalidImportRequestException;
import org.junit.jupiter.api.Test;

/** A task input the functions cannot read is an invalid request that says which field and what was expected. */
class TaskInputTest {

    @Test
    void fieldOfTheWrongKind_shouldBeAnInvalidRequestNamingIt() {
        var error = assertThrows(InvalidImportRequestException.class, () -> TaskInput.read(
                JsonText.parse("{\"jobName\":\"j\",\"importMode\":\"PARTIAL\"}"), ImportRequest.class));

        assertEquals("The task's input cannot be read: ImportRequest.importMode is \"PARTIAL\": expected one of"
                + " [FULL, INCREMENTAL]", error.getMessage());
    }
}
