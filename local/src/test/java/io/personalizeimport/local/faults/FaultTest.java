package io.personalizeimport.local.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The two forms of a fault, counted and probabilistic, and what the record refuses. */
class FaultTest {

    @Test
    void randomError_shouldBeUnlimitedWithItsProbabilityAndDefaultStatus() {
        // GIVEN / WHEN a 30% throttling fault
        Fault fault = Fault.randomError("*", "ThrottlingException", 0.3);

        // THEN it lasts until cleared, with AWS's status for the code
        assertTrue(fault.unlimited());
        assertEquals(0.3, fault.probability());
        assertEquals(400, fault.status());
        assertEquals("Injected fault: ThrottlingException", fault.messageOrDefault());
    }

    @Test
    void countedFault_shouldAlwaysApply() {
        Fault fault = Fault.error("GetObject", "SlowDown", 2);

        assertEquals(1, fault.probability());
        assertEquals(2, fault.count());
        assertEquals(503, fault.status());
    }

    @ParameterizedTest
    @ValueSource(doubles = {0, -0.1, 1.01, Double.NaN})
    void probabilityOutsideZeroToOne_shouldBeRejected(double probability) {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> Fault.error("*", "InternalFailure", 1).withProbability(probability));

        assertTrue(error.getMessage().startsWith("probability must be greater than 0 and at most 1"),
                error.getMessage());
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -2})
    void countBelowOneOtherThanUnlimited_shouldBeRejected(int count) {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> Fault.error("*", "InternalFailure", count));

        assertTrue(error.getMessage().contains("or -1 for unlimited"), error.getMessage());
    }

    @Test
    void faultWithNeitherErrorNorLatency_shouldBeRejected() {
        assertThrows(IllegalArgumentException.class, () -> new Fault("*", null, 0, 1, 0, null));
    }

    @ParameterizedTest
    @CsvSource({"InternalFailure, 500", "ServiceUnavailable, 503", "SlowDown, 503", "InternalError, 500",
        "AccessDenied, 403", "NoSuchKey, 404", "ThrottlingException, 400", "ResourceInUseException, 400"})
    void defaultStatus_shouldBeTheOneAwsAnswersWith(String error, int status) {
        assertEquals(status, Fault.defaultStatus(error));
    }
}
