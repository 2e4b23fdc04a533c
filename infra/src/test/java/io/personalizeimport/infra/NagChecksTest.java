package io.personalizeimport.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awscdk.cxapi.SynthesisMessage;

/** Security checks on every configuration: cdk-nag's AwsSolutions pack, and no wildcard action in any policy. */
class NagChecksTest {

    static Stream<Map<String, Object>> configurations() {
        return Synthesized.CONFIGURATIONS.stream();
    }

    @ParameterizedTest
    @MethodSource("configurations")
    @SuppressWarnings("deprecation") // Annotations.findError still returns cxapi.SynthesisMessage in aws-cdk-lib 2.263.
    void anyConfiguration_shouldSynthesizeWithoutUnsuppressedAwsSolutionsFindings(Map<String, Object> context) {
        Synthesized synth = Synthesized.of(context);
        List<SynthesisMessage> errors = synth.annotations().findError("*", Match.stringLikeRegexp("AwsSolutions-.*"));
        List<SynthesisMessage> warnings = synth.annotations()
                .findWarning("*", Match.stringLikeRegexp("AwsSolutions-.*"));
        assertEquals(List.of(), errors.stream().map(NagChecksTest::describe).toList());
        assertEquals(List.of(), warnings.stream().map(NagChecksTest::describe).toList());
    }

    /**
     * No Allow statement of any policy in the template grants a wildcard action. Two CDK statements are exceptions:
     * the one in every key policy that lets the account's IAM policies govern the key (without it the key could not
     * be administered at all), and, with removalPolicy=DESTROY only, the bucket-policy grant to CDK's auto-delete
     * provider role, which lists and deletes the objects of that one bucket when the stack is destroyed.
     */
    @ParameterizedTest
    @MethodSource("configurations")
    @SuppressWarnings("unchecked")
    void anyConfiguration_shouldAllowNoWildcardAction(Map<String, Object> context) {
        Template template = Synthesized.of(context).template();
        Map<String, String> documents = Map.of(
                "AWS::IAM::Policy", "PolicyDocument",
                "AWS::IAM::Role", "AssumeRolePolicyDocument",
                "AWS::S3::BucketPolicy", "PolicyDocument",
                "AWS::SQS::QueuePolicy", "PolicyDocument",
                "AWS::SNS::TopicPolicy", "PolicyDocument",
                "AWS::KMS::Key", "KeyPolicy");
        List<String> wildcards = new ArrayList<>();
        documents.forEach((type, property) -> template.findResources(type).forEach((id, resource) -> {
            Map<String, Object> properties = (Map<String, Object>) resource.get("Properties");
            List<Object> statements = new ArrayList<>();
            if (properties.get(property) instanceof Map<?, ?> document) {
                statements.addAll((List<Object>) document.get("Statement"));
            }
            for (Object inline : (List<Object>) properties.getOrDefault("Policies", List.of())) {
                statements.addAll((List<Object>) ((Map<String, Object>) ((Map<String, Object>) inline)
                        .get("PolicyDocument")).get("Statement"));
            }
            for (Object item : statements) {
                Map<String, Object> statement = (Map<String, Object>) item;
                if (!"Allow".equals(statement.get("Effect")) || isAccountRootOfKey(type, statement)
                        || isAutoDeleteProvider(type, statement)) {
                    continue;
                }
                Object action = statement.get("Action");
                for (Object name : action instanceof List<?> list ? list : List.of(action)) {
                    if (name.toString().contains("*") && !name.toString().equals("kms:GenerateDataKey*")) {
                        wildcards.add(id + " allows " + name);
                    }
                }
            }
        }));
        assertEquals(List.of(), wildcards);
    }

    @SuppressWarnings("unchecked")
    private static boolean isAccountRootOfKey(String type, Map<String, Object> statement) {
        if (!type.equals("AWS::KMS::Key") || !(statement.get("Principal") instanceof Map<?, ?> principal)) {
            return false;
        }
        Object aws = principal.get("AWS");
        return aws instanceof Map<?, ?> join && join.get("Fn::Join") instanceof List<?> parts
                && ((List<Object>) parts.get(1)).contains(":root");
    }

    private static boolean isAutoDeleteProvider(String type, Map<String, Object> statement) {
        return type.equals("AWS::S3::BucketPolicy") && statement.get("Principal") instanceof Map<?, ?> principal
                && principal.get("AWS") instanceof Map<?, ?> role && role.get("Fn::GetAtt") instanceof List<?> getAtt
                && getAtt.get(0).toString().startsWith("CustomS3AutoDeleteObjectsCustomResourceProviderRole");
    }

    @SuppressWarnings("deprecation")
    private static String describe(SynthesisMessage message) {
        return message.getId() + ": " + message.getEntry().getData();
    }
}
