package io.personalizeimport.local.lambda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** The function names an Invoke call may use, as the Lambda API reference lists them. */
class FunctionAddressTest {

    private static final String ARN = "arn:aws:lambda:us-east-1:000000000000:function:trigger";

    @Test
    void plainName_shouldHaveNoQualifier() {
        // GIVEN / WHEN
        FunctionAddress address = FunctionAddress.parse("trigger", null);

        // THEN
        assertEquals("trigger", address.name());
        assertNull(address.qualifier());
        assertEquals(ARN, address.invokedArn(ARN));
    }

    @Test
    void nameWithQualifier_shouldSplitAtTheColon() {
        FunctionAddress address = FunctionAddress.parse("trigger:live", null);

        assertEquals("trigger", address.name());
        assertEquals("live", address.qualifier());
        assertEquals(ARN + ":live", address.invokedArn(ARN));
    }

    @Test
    void fullArnWithVersion_shouldYieldNameAndVersion() {
        FunctionAddress address = FunctionAddress.parse(ARN + ":7", null);

        assertEquals("trigger", address.name());
        assertEquals("7", address.qualifier());
    }

    @Test
    void partialArn_shouldYieldName() {
        FunctionAddress address = FunctionAddress.parse("000000000000:function:trigger", null);

        assertEquals("trigger", address.name());
        assertNull(address.qualifier());
    }

    @Test
    void qualifierQueryParameter_shouldWinOverNone() {
        FunctionAddress address = FunctionAddress.parse(ARN, "$LATEST");

        assertEquals("$LATEST", address.qualifier());
    }

    @Test
    void tooManyColons_shouldBeRejected() {
        assertThrows(IllegalArgumentException.class, () -> FunctionAddress.parse("a:b:c", null));
    }
}
