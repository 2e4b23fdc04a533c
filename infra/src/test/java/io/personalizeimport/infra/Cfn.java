package io.personalizeimport.infra;

import java.util.List;
import java.util.Map;
import software.amazon.awscdk.assertions.Match;

/** CloudFormation values as the synthesized template writes them, for the Template assertions of every test. */
final class Cfn {

    private Cfn() {
    }

    static Map<String, Object> ref(String logicalId) {
        return Map.of("Ref", logicalId);
    }

    static Map<String, Object> arnOf(String logicalId) {
        return Map.of("Fn::GetAtt", List.of(logicalId, "Arn"));
    }

    /** The objects under {@code prefix} of the bucket with this logical id. */
    static Map<String, Object> objects(String bucket, String prefix) {
        return Map.of("Fn::Join", List.of("", List.of(arnOf(bucket), "/" + prefix + "*")));
    }

    static Map<String, Object> importJobs() {
        return Map.of("Fn::Join", List.of("", List.of("arn:", ref("AWS::Partition"), ":personalize:",
                ref("AWS::Region"), ":", ref("AWS::AccountId"), ":dataset-import-job/*")));
    }

    /** The execution that SnapStart priming describes, which never exists (Priming.Targets). */
    static Map<String, Object> primingExecution() {
        return Map.of("Fn::Join", List.of("", List.of("arn:", ref("AWS::Partition"), ":states:", ref("AWS::Region"),
                ":", ref("AWS::AccountId"), ":execution:snapstart-priming:snapstart-priming")));
    }

    /** The import job that SnapStart priming describes, which never exists (Priming.Targets). */
    static Map<String, Object> primingImportJob() {
        return Map.of("Fn::Join", List.of("", List.of("arn:", ref("AWS::Partition"), ":personalize:",
                ref("AWS::Region"), ":", ref("AWS::AccountId"), ":dataset-import-job/snapstart-priming")));
    }

    /** The executions of the state machine with this logical id. */
    static Map<String, Object> executions(String stateMachine) {
        return Map.of("Fn::Join", List.of("", List.of("arn:", ref("AWS::Partition"), ":states:", ref("AWS::Region"),
                ":", ref("AWS::AccountId"), ":execution:", Map.of("Fn::GetAtt", List.of(stateMachine, "Name")), ":*")));
    }

    static Object allow(Object action, Object resource) {
        return Match.exact(Map.of("Effect", "Allow", "Action", action, "Resource", resource));
    }

    static Object allow(Object action, Object resource, Map<String, Object> condition) {
        return Match.exact(Map.of("Effect", "Allow", "Action", action, "Resource", resource, "Condition", condition));
    }
}
