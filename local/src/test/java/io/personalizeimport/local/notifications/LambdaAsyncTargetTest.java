package io.personalizeimport.local.notifications;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** How a function error body becomes a dead letter's errorMessage; invoking the host is tested with the host. */
class LambdaAsyncTargetTest {

    @Test
    void runtimeErrorBody_shouldYieldItsErrorMessage() {
        // GIVEN the body the Java runtime writes for an uncaught exception
        String body = """
                {"errorMessage":"Personalize is unavailable","errorType":"java.lang.IllegalStateException",\
                "stackTrace":["a.b.C.d(C.java:1)"]}""";

        // WHEN / THEN the message is the exception's
        assertEquals("Personalize is unavailable", LambdaAsyncTarget.errorMessage(body));
    }

    @Test
    void bodyThatIsNoErrorObject_shouldBeTheMessageItself() {
        // GIVEN bodies that are not the runtime's error object
        // WHEN / THEN they are kept whole, so the dead letter still says what came back
        assertEquals("Task timed out after 3.00 seconds", LambdaAsyncTarget.errorMessage("Task timed out after 3.00 seconds"));
        assertEquals("{\"message\":\"x\"}", LambdaAsyncTarget.errorMessage("{\"message\":\"x\"}"));
    }
}
