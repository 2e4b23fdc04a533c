package io.personalizeimport.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.cxapi.SynthesisMessage;

/** cdk-nag's AwsSolutions pack runs on the app: every finding is fixed or suppressed with a reason. */
class NagChecksTest {

    static Stream<Map<String, Object>> configurations() {
        return Stream.of(Synthesized.DEFAULTS, Synthesized.EXISTING, Synthesized.KMS_ALARMS_DESTROY);
    }

    @ParameterizedTest
    @MethodSource("configurations")
    void anyConfiguration_shouldSynthesizeWithoutUnsuppressedAwsSolutionsFindings(Map<String, Object> context) {
        Synthesized synth = Synthesized.of(context);
        List<SynthesisMessage> errors = synth.annotations().findError("*", Match.stringLikeRegexp("AwsSolutions-.*"));
        List<SynthesisMessage> warnings = synth.annotations()
                .findWarning("*", Match.stringLikeRegexp("AwsSolutions-.*"));
        assertEquals(List.of(), errors.stream().map(NagChecksTest::describe).toList());
        assertEquals(List.of(), warnings.stream().map(NagChecksTest::describe).toList());
    }

    private static String describe(SynthesisMessage message) {
        return message.getId() + ": " + message.getEntry().getData();
    }
}
