package io.personalizeimport.infra;

import static io.personalizeimport.infra.Cfn.allow;
import static io.personalizeimport.infra.Cfn.objects;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.personalizeimport.lambdas.config.Staging;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.CfnElement;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.assertions.Capture;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.lambda.Runtime;

/** The DataBucket construct on a bare stack: the bucket it creates or watches, its key, notifications and staging. */
class DataBucketTest {

    private static final DeployedRoute CLICKS = new DeployedRoute("clicks", "clicks/", Synthesized.DATASET_ARN,
            "arn:aws:personalize:us-east-1:123456789012:schema/*", null);

    @Test
    void givenCreateKey_shouldCreateAVersionedLoggedBucketEncryptedWithItsKeyThatExpiresStagedCopies() {
        // GIVEN a bucket with a key of its own
        Stack stack = stack();
        DataBucket data = new DataBucket(stack, "Bucket", new DataBucket.Props(Optional.empty(), Optional.empty(), true,
                RemovalPolicy.RETAIN));
        Template template = Template.fromStack(stack);

        // THEN the data bucket and its access logs bucket, the data bucket under the key, with the staging rule
        template.resourceCountIs("AWS::S3::Bucket", 2);
        template.resourceCountIs("AWS::KMS::Key", 1);
        Capture key = new Capture();
        template.hasResourceProperties("AWS::S3::Bucket", Match.objectLike(Map.of(
                "VersioningConfiguration", Map.of("Status", "Enabled"),
                "BucketEncryption", Map.of("ServerSideEncryptionConfiguration", List.of(Map.of(
                        "BucketKeyEnabled", true,
                        "ServerSideEncryptionByDefault", Map.of("SSEAlgorithm", "aws:kms", "KMSMasterKeyID", key)))),
                "LifecycleConfiguration", Map.of("Rules", List.of(Match.objectLike(Map.of(
                        "Id", "ExpireStagedCopies", "Prefix", Staging.PREFIX,
                        "NoncurrentVersionExpiration", Map.of("NoncurrentDays", DataBucket.STAGED_NONCURRENT_DAYS))))))));
        assertTrue(data.owned());
        assertTrue(data.key().isPresent() && data.accessLogsBucket().isPresent());
    }

    @Test
    void givenAnExistingBucket_shouldCreateNoBucketButStillNotifyTheTriggerOfRoutedCsvFiles() {
        // GIVEN the user's bucket, watched for one route
        Stack stack = stack();
        DataBucket data = new DataBucket(stack, "Bucket", new DataBucket.Props(Optional.of("shop-data"),
                Optional.empty(), false, RemovalPolicy.RETAIN));

        // WHEN the trigger is notified of its files
        data.notify(function(stack), List.of(CLICKS), List.of());
        Template template = Template.fromStack(stack);

        // THEN no bucket, and a notification for each CSV suffix of the prefix
        template.resourceCountIs("AWS::S3::Bucket", 0);
        Capture configurations = new Capture();
        template.hasResourceProperties("Custom::S3BucketNotifications", Match.objectLike(Map.of(
                "BucketName", "shop-data",
                "NotificationConfiguration", Map.of("LambdaFunctionConfigurations", configurations))));
        assertEquals(2, configurations.asArray().size());
        assertTrue(data.accessLogsBucket().isEmpty());
    }

    @Test
    void grantStagingWrites_shouldLetTheRoleWriteObjectsAndTagsOfTheStagingFolderAndListItOnly() {
        Stack stack = stack();
        DataBucket data = new DataBucket(stack, "Bucket", new DataBucket.Props(Optional.empty(), Optional.empty(),
                false, RemovalPolicy.RETAIN));
        Role role = Role.Builder.create(stack, "Role").assumedBy(new ServicePrincipal("lambda.amazonaws.com")).build();

        data.grantStagingWrites(role);

        String bucket = stack.getLogicalId((CfnElement) data.bucket().getNode().getDefaultChild());
        Template.fromStack(stack).hasResourceProperties("AWS::IAM::Policy", Match.objectLike(Map.of(
                "PolicyDocument", Match.objectLike(Map.of("Statement", List.of(
                        allow(List.of("s3:PutObject", "s3:PutObjectTagging"), objects(bucket, Staging.PREFIX)),
                        allow("s3:ListBucket", Cfn.arnOf(bucket), Map.of("StringLike", Map.of("s3:prefix",
                                List.of(Staging.PREFIX + "*"))))))))));
    }

    @Test
    void createKeyWithAKeyArn_shouldBeRefusedNamingTheProperty() {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> new DataBucket.Props(
                Optional.empty(), Optional.of(Synthesized.KEY_ARN), true, RemovalPolicy.RETAIN));
        assertTrue(refused.getMessage().startsWith("DataBucket.Props.createKey is true while kmsKeyArn is "),
                refused.getMessage());
    }

    @Test
    void noRemovalPolicy_shouldBeRefusedNamingTheProperty() {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> new DataBucket.Props(
                Optional.empty(), Optional.empty(), false, null));
        assertEquals("DataBucket.Props.removalPolicy is missing: expected RETAIN or DESTROY", refused.getMessage());
    }

    static Function function(Stack stack) {
        return Function.Builder.create(stack, "Trigger")
                .runtime(Runtime.NODEJS_22_X)
                .handler("index.handler")
                .code(Code.fromInline("exports.handler = async () => {};"))
                .build();
    }

    /** A stack in an app with cdk.json's context, whose feature flags the bucket's access logging relies on. */
    private static Stack stack() {
        return new Stack(Synthesized.app(Map.of()), "Test");
    }
}
