package io.personalizeimport.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Capture;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

/** The stack with the user's own routes, bucket and key, and with the key, alarms and DESTROY options. */
class ConfiguredStackTest {

    @Test
    void givenRoutes_shouldUseTheUsersDatasetsAndCreateNoPersonalizeResources() throws Exception {
        Template template = Synthesized.of(Synthesized.EXISTING).template();
        template.resourceCountIs("AWS::Personalize::DatasetGroup", 0);
        template.resourceCountIs("AWS::Personalize::Dataset", 0);
        template.resourceCountIs("AWS::Personalize::Schema", 0);
        Capture routes = new Capture();
        template.hasResourceProperties("AWS::Lambda::Function", Match.objectLike(Map.of(
                "Handler", "io.personalizeimport.lambdas.TriggerHandler::handleRequest",
                "Environment", Map.of("Variables", Match.objectLike(Map.of(
                        "ROUTES", routes, "PREFLIGHT", "false"))))));
        JsonNode parsed = new ObjectMapper().readTree(routes.asString());
        // Each route as validated: an INCREMENTAL interactions route coalesces by default (RouteTable).
        assertEquals(new ObjectMapper().readTree("[{\"name\":\"clicks\",\"prefix\":\"clicks/\",\"datasetArn\":\""
                + Synthesized.DATASET_ARN + "\",\"importMode\":\"INCREMENTAL\",\"tags\":{\"team\":\"ml\"},"
                + "\"group\":\"file\",\"coalesce\":true},"
                + "{\"name\":\"catalog\",\"prefix\":\"catalog/\",\"datasetArn\":"
                + "\"arn:aws:personalize:us-east-1:123456789012:dataset/shop/ITEMS\",\"importMode\":\"FULL\","
                + "\"group\":\"file\",\"coalesce\":false}]"),
                parsed);
        template.hasResourceProperties("AWS::Lambda::Function", Match.objectLike(Map.of(
                "Environment", Map.of("Variables", Map.of(
                        "POLL_INITIAL_SECONDS", "30", "POLL_MAX_SECONDS", "600", "MONITOR_DEADLINE", "PT72H")))));
        template.hasOutput("RoutedPrefixes", Map.of("Value", "clicks/,catalog/"));
    }

    @Test
    void givenExistingDatasets_shouldScopeDescribeToThemAndSchemasToTheirAccountAndRegion() {
        Synthesized synth = Synthesized.of(Synthesized.EXISTING);
        synth.template().hasResourceProperties("AWS::IAM::Policy", Match.objectLike(Map.of(
                "Roles", List.of(Map.of("Ref", synth.logicalId("TriggerRole", "AWS::IAM::Role"))),
                "PolicyDocument", Match.objectLike(Map.of("Statement", Match.arrayWith(List.of(
                        Match.objectLike(Map.of("Action", "personalize:DescribeDataset", "Resource", List.of(
                                Synthesized.DATASET_ARN,
                                "arn:aws:personalize:us-east-1:123456789012:dataset/shop/ITEMS"))),
                        Match.objectLike(Map.of("Action", "personalize:DescribeSchema",
                                "Resource", "arn:aws:personalize:us-east-1:123456789012:schema/*")),
                        Match.objectLike(Map.of("Action", "kms:Decrypt", "Resource", Synthesized.KEY_ARN)))))))));
    }

    @Test
    void givenExistingBucket_shouldCreateNoBucketButNotifyForItsPrefixesAndGrantTheKey() {
        Synthesized synth = Synthesized.of(Synthesized.EXISTING);
        Template template = synth.template();
        template.resourceCountIs("AWS::S3::Bucket", 0);
        template.resourceCountIs("AWS::S3::BucketPolicy", 0);
        template.hasResourceProperties("Custom::S3BucketNotifications", Match.objectLike(Map.of(
                "BucketName", "shop-data",
                "Managed", false)));
        template.hasResourceProperties("AWS::IAM::Policy", Match.objectLike(Map.of(
                "Roles", List.of(Map.of("Ref", synth.logicalId("PersonalizeImportRole", "AWS::IAM::Role"))),
                "PolicyDocument", Match.objectLike(Map.of("Statement", Match.arrayWith(List.of(
                        Match.exact(Map.of(
                                "Effect", "Allow",
                                "Action", List.of("kms:Decrypt", "kms:GenerateDataKey", "kms:DescribeKey",
                                        "kms:ListGrants"),
                                "Resource", Synthesized.KEY_ARN)),
                        Match.exact(Map.of(
                                "Effect", "Allow",
                                "Action", "kms:CreateGrant",
                                "Resource", Synthesized.KEY_ARN,
                                "Condition", Map.of("Bool", Map.of("kms:GrantIsForAWSResource", "true")))))))))));
        PersonalizeAccessTest.assertNoUnconditionedCreateGrant(template);
    }

    @Test
    void givenCreateKmsKey_shouldEncryptTheBucketWithARotatedKeyPersonalizeMayUse() {
        Synthesized synth = Synthesized.of(Synthesized.KMS_ALARMS_DESTROY);
        Template template = synth.template();
        String key = synth.logicalId("DataKey", "AWS::KMS::Key");
        template.hasResourceProperties("AWS::S3::Bucket", Match.objectLike(Map.of(
                "BucketEncryption", Map.of("ServerSideEncryptionConfiguration", List.of(Map.of(
                        "BucketKeyEnabled", true,
                        "ServerSideEncryptionByDefault", Map.of("SSEAlgorithm", "aws:kms",
                                "KMSMasterKeyID", Map.of("Fn::GetAtt", List.of(key, "Arn")))))))));
        List<String> actions = List.of("kms:Decrypt", "kms:GenerateDataKey", "kms:DescribeKey", "kms:ListGrants");
        Map<String, Object> role = Map.of("Fn::GetAtt", List.of(
                synth.logicalId("PersonalizeImportRole", "AWS::IAM::Role"), "Arn"));
        Map<String, Object> forAwsResource = Map.of("kms:GrantIsForAWSResource", "true");
        template.hasResourceProperties("AWS::KMS::Key", Match.objectLike(Map.of(
                "EnableKeyRotation", true,
                "KeyPolicy", Match.objectLike(Map.of("Statement", Match.arrayWith(List.of(
                        Match.objectLike(Map.of(
                                "Sid", "AllowPersonalizeToReadImportData",
                                "Principal", Map.of("Service", "personalize.amazonaws.com"),
                                "Action", actions,
                                "Condition", PersonalizeAccessTest.THIS_ACCOUNTS_PERSONALIZE)),
                        Match.objectLike(Map.of(
                                "Sid", "AllowPersonalizeToGrantForImportData",
                                "Principal", Map.of("Service", "personalize.amazonaws.com"),
                                "Action", "kms:CreateGrant",
                                "Condition", Map.of(
                                        "StringEquals", PersonalizeAccessTest.THIS_ACCOUNTS_PERSONALIZE
                                                .get("StringEquals"),
                                        "ArnLike", PersonalizeAccessTest.THIS_ACCOUNTS_PERSONALIZE.get("ArnLike"),
                                        "Bool", forAwsResource))),
                        Match.objectLike(Map.of(
                                "Sid", "AllowImportRoleToReadImportData",
                                "Principal", Map.of("AWS", role),
                                "Action", actions)),
                        Match.objectLike(Map.of(
                                "Sid", "AllowImportRoleToGrantForImportData",
                                "Principal", Map.of("AWS", role),
                                "Action", "kms:CreateGrant",
                                "Condition", Map.of("Bool", forAwsResource))))))))));
        PersonalizeAccessTest.assertNoUnconditionedCreateGrant(template);
    }

    @Test
    void givenAlarmEmail_shouldNotifyAnEncryptedTopicFromTheDeadLetterAndFailedImportAlarms() {
        Synthesized synth = Synthesized.of(Synthesized.KMS_ALARMS_DESTROY);
        Template template = synth.template();
        String topic = synth.logicalId("AlarmTopic", "AWS::SNS::Topic");
        template.hasResourceProperties("AWS::SNS::Topic", Map.of("KmsMasterKeyId",
                Map.of("Fn::GetAtt", List.of(synth.logicalId("AlarmTopicKey", "AWS::KMS::Key"), "Arn"))));
        template.hasResourceProperties("AWS::SNS::Subscription", Map.of(
                "Protocol", "email", "Endpoint", "ops@example.com", "TopicArn", Map.of("Ref", topic)));
        template.resourcePropertiesCountIs("AWS::CloudWatch::Alarm", Match.objectLike(Map.of(
                "AlarmActions", List.of(Map.of("Ref", topic)))), 4);
    }

    @Test
    void givenRemovalPolicyDestroy_shouldDeleteBucketsDatasetsAndTheLedgerAndEmptyTheBuckets() {
        Template template = Synthesized.of(Synthesized.KMS_ALARMS_DESTROY).template();
        for (String type : List.of("AWS::S3::Bucket", "AWS::Personalize::Dataset", "AWS::KMS::Key",
                "AWS::DynamoDB::Table")) {
            template.allResources(type, Map.of("DeletionPolicy", "Delete", "UpdateReplacePolicy", "Delete"));
        }
        template.resourceCountIs("Custom::S3AutoDeleteObjects", 2);
        template.allResourcesProperties("AWS::Logs::LogGroup", Map.of("RetentionInDays", 30));
    }
}
