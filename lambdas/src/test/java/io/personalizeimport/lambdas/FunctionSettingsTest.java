package io.personalizeimport.lambdas;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.personalizeimport.lambdas.aws.Preflight;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** A slow answer must become a classified error before Lambda kills the function. */
class FunctionSettingsTest {

    @ParameterizedTest
    @EnumSource(FunctionSettings.class)
    void sdkTimeouts_shouldEndEveryCallOfAnInvocationBeforeTheFunctionTimesOut(FunctionSettings function) {
        Duration functionTimeout = Duration.ofSeconds(function.timeoutSeconds());
        Duration calls = function.apiCallTimeout().multipliedBy(FunctionSettings.MAX_CALLS_PER_INVOCATION);
        Duration worstCase = function == FunctionSettings.DESCRIBE ? function.apiCallTimeout()
                : calls.plus(Preflight.PREFIX_BUDGET);

        assertTrue(function.apiCallAttemptTimeout().compareTo(function.apiCallTimeout()) < 0, function::name);
        assertTrue(worstCase.compareTo(functionTimeout) < 0,
                () -> function + ": calls may take " + worstCase + ", the function only " + functionTimeout);
    }
}
