package io.personalizeimport.local.lambda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Function settings that Lambda would refuse are refused at registration, not at the first invoke. */
class FunctionConfigTest {

    private static final Path JAR = Path.of("function.jar");

    @Test
    void reservedEnvironmentKey_shouldBeRefusedNamingTheKey() {
        // GIVEN an environment that sets AWS_REGION, which Lambda reserves
        Map<String, String> env = Map.of("AWS_REGION", "eu-west-1");

        // WHEN the function is configured THEN it is refused with the key in the message
        InvalidFunctionConfigurationException refused = assertThrows(InvalidFunctionConfigurationException.class,
                () -> new FunctionConfig("trigger", "a.B::handle", JAR, env, 3, 128));
        assertTrue(refused.getMessage().contains("AWS_REGION"), refused.getMessage());
    }

    @Test
    void endpointOverrideVariables_shouldBeAccepted() {
        // GIVEN the variables the local stack uses to point handlers at local endpoints
        Map<String, String> env = Map.of("AWS_ENDPOINT_URL_PERSONALIZE", "http://127.0.0.1:1234");

        // WHEN / THEN
        assertEquals(env, new FunctionConfig("trigger", "a.B::handle", JAR, env, 3, 128).environment());
    }

    @Test
    void timeoutBeyondFifteenMinutes_shouldBeRefused() {
        assertThrows(InvalidFunctionConfigurationException.class,
                () -> new FunctionConfig("trigger", "a.B::handle", JAR, Map.of(), 901, 128));
    }

    @Test
    void nameWithColon_shouldBeRefused() {
        assertThrows(InvalidFunctionConfigurationException.class,
                () -> FunctionConfig.of("trigger:live", "a.B::handle", JAR));
    }
}
