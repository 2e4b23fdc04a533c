package io.personalizeimport.infra;

import static io.personalizeimport.infra.Cfn.allow;
import static io.personalizeimport.infra.Cfn.arnOf;
import static io.personalizeimport.infra.Cfn.objects;
import static io.personalizeimport.infra.Cfn.ref;
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

/** The PersonalizeAccess construct on a bare stack: the import role, the bucket policy, the functions' import grants. */
class PersonalizeAccessTest {

    private static final String PRIMING = "arn:aws:states:us-east-1:123456789012:execution:snapstart-priming:snapstart-priming";
    private static final DeployedRoute CLICKS = new DeployedRoute("clicks", "clicks/", Synthesized.DATASET_ARN,
            "arn:aws:personalize:us-east-1:123456789012:schema/*", null);

    @Test
    void ownedBucket_shouldLetPersonalizeReadTheRoutedPrefixesAndStagingThroughTheRoleAndTheBucketPolicy() {
        // GIVEN a bucket the stack creates, routed by one prefix
        Stack stack = stack();
        DataBucket data = bucket(stack);

        // WHEN Personalize is given access
        PersonalizeAccess access = new PersonalizeAccess(stack, "Access",
                new PersonalizeAccess.Props(data.bucket(), Optional.empty(), List.of(CLICKS), PRIMING));
        Template template = Template.fromStack(stack);

        // THEN its role reads the prefix and the staging folder, and the bucket policy lets Personalize do the same
        String bucket = logicalId(stack, data);
        template.hasResourceProperties("AWS::IAM::Policy", Match.objectLike(Map.of(
                "Roles", List.of(ref(stack.getLogicalId((CfnElement) access.role().getNode().getDefaultChild()))),
                "PolicyDocument", Match.objectLike(Map.of("Statement", List.of(
                        allow("s3:GetObject", List.of(objects(bucket, "clicks/"), objects(bucket, Staging.PREFIX))),
                        allow("s3:ListBucket", arnOf(bucket))))))));
        template.hasResourceProperties("AWS::S3::BucketPolicy", Match.objectLike(Map.of(
                "PolicyDocument", Match.objectLike(Map.of("Statement", Match.arrayWith(List.of(Match.objectLike(Map.of(
                        "Sid", "AllowPersonalizeToReadRoutedPrefixes",
                        "Principal", Map.of("Service", PersonalizeAccess.PERSONALIZE))))))))));
    }

    @Test
    void grantStartImports_shouldGrantTheRoutesDatasetsImportJobsPrimingAndPassRoleInThisOrder() {
        // GIVEN the access of one route and a function's role
        Stack stack = stack();
        DataBucket data = bucket(stack);
        PersonalizeAccess access = new PersonalizeAccess(stack, "Access",
                new PersonalizeAccess.Props(data.bucket(), Optional.empty(), List.of(CLICKS), PRIMING));
        Role function = Role.Builder.create(stack, "Function")
                .assumedBy(new ServicePrincipal("lambda.amazonaws.com")).build();

        // WHEN it may start imports
        access.grantStartImports(function, List.of("s3:GetObject"));

        // THEN its policy holds, in order, the reads, the listing, the dataset and schema, the jobs, priming and PassRole
        Capture statements = new Capture();
        Template.fromStack(stack).hasResourceProperties("AWS::IAM::Policy", Match.objectLike(Map.of(
                "Roles", List.of(ref(stack.getLogicalId((CfnElement) function.getNode().getDefaultChild()))),
                "PolicyDocument", Match.objectLike(Map.of("Statement", statements)))));
        List<Object> actions = statements.asArray().stream().<Object>map(s -> ((Map<?, ?>) s).get("Action")).toList();
        assertEquals(List.of("s3:GetObject", "s3:ListBucket", "personalize:DescribeDataset",
                "personalize:DescribeSchema", List.of("personalize:CreateDatasetImportJob", "personalize:TagResource",
                        "personalize:DescribeDatasetImportJob"), "states:DescribeExecution", "iam:PassRole"), actions);
    }

    @Test
    void noRoutes_shouldBeRefusedNamingTheProperty() {
        Stack stack = stack();
        DataBucket data = bucket(stack);
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> new PersonalizeAccess.Props(data.bucket(), Optional.empty(), List.of(), PRIMING));
        assertEquals("PersonalizeAccess.Props.routes is empty: expected at least one route: a prefix Personalize may"
                + " read", refused.getMessage());
    }

    @Test
    void anEmptyPrefix_shouldBeRefusedSinceItWouldGrantTheWholeBucket() {
        Stack stack = stack();
        DataBucket data = bucket(stack);
        DeployedRoute everything = new DeployedRoute("all", "", Synthesized.DATASET_ARN, "schema", null);
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> new PersonalizeAccess.Props(data.bucket(), Optional.empty(), List.of(everything), PRIMING));
        assertTrue(refused.getMessage().startsWith("PersonalizeAccess.Props.routes prefix of 'all' is ''"),
                refused.getMessage());
    }

    private static DataBucket bucket(Stack stack) {
        return new DataBucket(stack, "Bucket", new DataBucket.Props(Optional.empty(), Optional.empty(), false,
                RemovalPolicy.RETAIN));
    }

    private static String logicalId(Stack stack, DataBucket data) {
        return stack.getLogicalId((CfnElement) data.bucket().getNode().getDefaultChild());
    }

    /** A stack in an app with cdk.json's context, whose feature flags the bucket's access logging relies on. */
    private static Stack stack() {
        return new Stack(Synthesized.app(Map.of()), "Test");
    }
}
