package io.personalizeimport.infra;

import static io.personalizeimport.infra.Cfn.allow;
import static io.personalizeimport.infra.Cfn.arnOf;
import static io.personalizeimport.infra.Cfn.objects;
import static io.personalizeimport.infra.Cfn.ref;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.personalizeimport.lambdas.config.DeletionRoute;
import io.personalizeimport.lambdas.config.Staging;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
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
    /** Personalize acting for this stack's account and region (confused-deputy guard). */
    static final Map<String, Object> THIS_ACCOUNTS_PERSONALIZE = Map.of(
            "StringEquals", Map.of("aws:SourceAccount", ref("AWS::AccountId")),
            "ArnLike", Map.of("aws:SourceArn", Map.of("Fn::Join", List.of("", List.of("arn:", ref("AWS::Partition"),
                    ":personalize:", ref("AWS::Region"), ":", ref("AWS::AccountId"), ":*")))));
    private static final DeployedRoute CLICKS = new DeployedRoute("clicks", "clicks/", Synthesized.DATASET_ARN,
            "arn:aws:personalize:us-east-1:123456789012:schema/*", null);

    @Test
    void ownedBucket_shouldLetPersonalizeReadTheRoutedPrefixesAndStagingThroughTheRoleAndTheBucketPolicy() {
        // GIVEN a bucket the stack creates, routed by one prefix
        Stack stack = stack();
        DataBucket data = bucket(stack);

        // WHEN Personalize is given access
        PersonalizeAccess access = new PersonalizeAccess(stack, "Access",
                new PersonalizeAccess.Props(data.bucket(), Optional.empty(), List.of(CLICKS), List.of(), PRIMING));
        Template template = Template.fromStack(stack);

        // THEN its role reads and lists the prefix and the staging folder, and the bucket policy lets this account's
        // Personalize do the same
        String bucket = logicalId(stack, data);
        Map<String, Object> listed = Map.of("s3:prefix", List.of("clicks/*", Staging.PREFIX + "*"));
        template.hasResourceProperties("AWS::IAM::Policy", Match.objectLike(Map.of(
                "Roles", List.of(ref(stack.getLogicalId((CfnElement) access.role().getNode().getDefaultChild()))),
                "PolicyDocument", Match.objectLike(Map.of("Statement", List.of(
                        allow("s3:GetObject", List.of(objects(bucket, "clicks/"), objects(bucket, Staging.PREFIX))),
                        allow("s3:ListBucket", arnOf(bucket), Map.of("StringLike", listed))))))));
        template.hasResourceProperties("AWS::S3::BucketPolicy", Match.objectLike(Map.of(
                "PolicyDocument", Match.objectLike(Map.of("Statement", Match.arrayWith(List.of(
                        Match.exact(Map.of(
                                "Sid", "AllowPersonalizeToReadRoutedPrefixes",
                                "Effect", "Allow",
                                "Principal", Map.of("Service", PersonalizeAccess.PERSONALIZE),
                                "Action", "s3:GetObject",
                                "Resource", List.of(objects(bucket, "clicks/"), objects(bucket, Staging.PREFIX)),
                                "Condition", THIS_ACCOUNTS_PERSONALIZE)),
                        Match.exact(Map.of(
                                "Sid", "AllowPersonalizeToListRoutedPrefixes",
                                "Effect", "Allow",
                                "Principal", Map.of("Service", PersonalizeAccess.PERSONALIZE),
                                "Action", "s3:ListBucket",
                                "Resource", arnOf(bucket),
                                "Condition", Map.of(
                                        "StringEquals", THIS_ACCOUNTS_PERSONALIZE.get("StringEquals"),
                                        "ArnLike", THIS_ACCOUNTS_PERSONALIZE.get("ArnLike"),
                                        "StringLike", listed))))))))));
    }

    @Test
    void folderRoutes_shouldListEveryFolderUnderTheirPrefixesAndNothingElse() {
        // GIVEN a folder route and a file route, whose folder imports Personalize lists by the folder's own prefix
        Stack stack = stack();
        DataBucket data = bucket(stack);
        DeployedRoute users = new DeployedRoute("users", "users/", Synthesized.DATASET_ARN, CLICKS.schemaArn(),
                null);

        // WHEN Personalize is given access
        PersonalizeAccess access = new PersonalizeAccess(stack, "Access",
                new PersonalizeAccess.Props(data.bucket(), Optional.empty(), List.of(CLICKS, users), List.of(), PRIMING));

        // THEN the role lists exactly the prefixes' patterns, which cover each folder below them and the staging folder
        Capture listed = new Capture();
        Template.fromStack(stack).hasResourceProperties("AWS::IAM::Policy", Match.objectLike(Map.of(
                "Roles", List.of(ref(stack.getLogicalId((CfnElement) access.role().getNode().getDefaultChild()))),
                "PolicyDocument", Match.objectLike(Map.of("Statement", Match.arrayWith(List.of(Match.objectLike(Map.of(
                        "Action", "s3:ListBucket",
                        "Condition", Map.of("StringLike", Map.of("s3:prefix", listed)))))))))));
        List<String> patterns = listed.asArray().stream().map(Object::toString).toList();
        assertEquals(List.of("clicks/*", "users/*", Staging.PREFIX + "*"), patterns);
        for (String folder : List.of("users/2025-06-01/", "clicks/exports/part-0001/", Staging.PREFIX + "job-1/",
                "users/2025-06-01/part-0000.csv")) {
            assertTrue(patterns.stream().anyMatch(pattern -> stringLike(pattern, folder)), folder + " is not listed");
        }
        for (String outside : List.of("items/", "", "user", "_stag")) {
            assertTrue(patterns.stream().noneMatch(pattern -> stringLike(pattern, outside)), "'" + outside + "' is listed");
        }
    }

    /** IAM's StringLike: '*' matches any characters, '?' one, the rest itself, over the whole value. */
    private static boolean stringLike(String pattern, String value) {
        StringBuilder regex = new StringBuilder();
        for (char c : pattern.toCharArray()) {
            regex.append(c == '*' ? ".*" : c == '?' ? "." : Pattern.quote(String.valueOf(c)));
        }
        return value.matches(regex.toString());
    }

    @Test
    void ownedKey_shouldLetThisAccountsPersonalizeAndTheRoleUseItAndCreateGrantsOnlyForAwsResources() {
        // GIVEN a bucket encrypted with a key the stack creates
        Stack stack = stack();
        DataBucket data = new DataBucket(stack, "Bucket", new DataBucket.Props(Optional.empty(), Optional.empty(), true,
                RemovalPolicy.RETAIN));

        // WHEN Personalize is given access
        PersonalizeAccess access = new PersonalizeAccess(stack, "Access",
                new PersonalizeAccess.Props(data.bucket(), data.key(), List.of(CLICKS), List.of(), PRIMING));
        Template template = Template.fromStack(stack);

        // THEN the key policy lets Personalize of this account use the key, and both create grants only for AWS
        // resources; the role's own policy says the same of the key
        Map<String, Object> role = arnOf(stack.getLogicalId((CfnElement) access.role().getNode().getDefaultChild()));
        Map<String, Object> forAwsResource = Map.of("kms:GrantIsForAWSResource", "true");
        template.hasResourceProperties("AWS::KMS::Key", Match.objectLike(Map.of(
                "KeyPolicy", Match.objectLike(Map.of("Statement", Match.arrayWith(List.of(
                        Match.exact(Map.of(
                                "Sid", "AllowPersonalizeToReadImportData",
                                "Effect", "Allow",
                                "Principal", Map.of("Service", PersonalizeAccess.PERSONALIZE),
                                "Action", PersonalizeAccess.KEY_ACTIONS,
                                "Resource", "*",
                                "Condition", THIS_ACCOUNTS_PERSONALIZE)),
                        Match.exact(Map.of(
                                "Sid", "AllowPersonalizeToGrantForImportData",
                                "Effect", "Allow",
                                "Principal", Map.of("Service", PersonalizeAccess.PERSONALIZE),
                                "Action", "kms:CreateGrant",
                                "Resource", "*",
                                "Condition", Map.of(
                                        "StringEquals", THIS_ACCOUNTS_PERSONALIZE.get("StringEquals"),
                                        "ArnLike", THIS_ACCOUNTS_PERSONALIZE.get("ArnLike"),
                                        "Bool", forAwsResource))),
                        Match.exact(Map.of(
                                "Sid", "AllowImportRoleToReadImportData",
                                "Effect", "Allow",
                                "Principal", Map.of("AWS", role),
                                "Action", PersonalizeAccess.KEY_ACTIONS,
                                "Resource", "*")),
                        Match.exact(Map.of(
                                "Sid", "AllowImportRoleToGrantForImportData",
                                "Effect", "Allow",
                                "Principal", Map.of("AWS", role),
                                "Action", "kms:CreateGrant",
                                "Resource", "*",
                                "Condition", Map.of("Bool", forAwsResource))))))))));
        Map<String, Object> key = arnOf(stack.getLogicalId((CfnElement) data.key().orElseThrow().getNode()
                .getDefaultChild()));
        template.hasResourceProperties("AWS::IAM::Policy", Match.objectLike(Map.of(
                "Roles", List.of(ref(stack.getLogicalId((CfnElement) access.role().getNode().getDefaultChild()))),
                "PolicyDocument", Match.objectLike(Map.of("Statement", Match.arrayWith(List.of(
                        allow(PersonalizeAccess.KEY_ACTIONS, key),
                        allow("kms:CreateGrant", key, Map.of("Bool", forAwsResource)))))))));
        assertNoUnconditionedCreateGrant(template);
    }

    @Test
    void grantStartImports_shouldGrantTheRoutesDatasetsImportJobsPrimingAndPassRoleInThisOrder() {
        // GIVEN the access of one route and a function's role
        Stack stack = stack();
        DataBucket data = bucket(stack);
        PersonalizeAccess access = new PersonalizeAccess(stack, "Access",
                new PersonalizeAccess.Props(data.bucket(), Optional.empty(), List.of(CLICKS), List.of(), PRIMING));
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
                "personalize:DescribeSchema", "personalize:CreateDatasetImportJob", List.of("personalize:TagResource",
                        "personalize:DescribeDatasetImportJob"), "states:DescribeExecution", "iam:PassRole"), actions);
    }

    @Test
    void deletionRoutes_shouldBeReadByPersonalizeAndStartedAndWatchedByTheFunctionsOnExactlyTheirGroups() {
        // GIVEN the access of one import route and two deletion routes, one tagged, and three functions' roles
        Stack stack = stack();
        DataBucket data = bucket(stack);
        String other = "arn:aws:personalize:us-east-1:123456789012:dataset-group/other";
        PersonalizeAccess access = new PersonalizeAccess(stack, "Access", new PersonalizeAccess.Props(data.bucket(),
                Optional.empty(), List.of(CLICKS), List.of(deletion("forget", "forget/", Synthesized.GROUP_ARN,
                        Map.of("purpose", "privacy")), deletion("erase", "erase/", other, Map.of())), PRIMING));
        Role reader = role(stack, "Reader");
        Role creator = role(stack, "Creator");
        Role watcher = role(stack, "Watcher");

        // WHEN each is given its part of deletions
        access.grantReadDeletions(reader);
        access.grantStartDeletions(creator);
        access.grantDescribeDeletions(watcher);
        Template template = Template.fromStack(stack);

        // THEN Personalize reads and lists the deletion prefixes as it does the import prefixes (Developer Guide,
        // 'Deleting users': the same permissions as importing data)
        String bucket = logicalId(stack, data);
        template.hasResourceProperties("AWS::IAM::Policy", Match.objectLike(Map.of(
                "Roles", List.of(ref(stack.getLogicalId((CfnElement) access.role().getNode().getDefaultChild()))),
                "PolicyDocument", Match.objectLike(Map.of("Statement", List.of(
                        allow("s3:GetObject", List.of(objects(bucket, "clicks/"), objects(bucket, Staging.PREFIX),
                                objects(bucket, "forget/"), objects(bucket, "erase/"))),
                        allow("s3:ListBucket", arnOf(bucket), Map.of("StringLike", Map.of("s3:prefix",
                                List.of("clicks/*", Staging.PREFIX + "*", "forget/*", "erase/*"))))))))));
        // the reader reads and lists the deletion prefixes only
        assertStatements(template, stack, reader, List.of(
                allow("s3:GetObject", List.of(objects(bucket, "forget/"), objects(bucket, "erase/"))),
                allow("s3:ListBucket", arnOf(bucket), Map.of("StringLike", Map.of("s3:prefix",
                        List.of("forget/*", "erase/*"))))));
        // the creator creates jobs on the two groups and this account's deletion jobs (CreateDataDeletionJob requires
        // both resource types), tags them with the routes' tag keys only, and describes them
        Map<String, Object> jobs = Map.of("Fn::Join", List.of("", List.of("arn:", ref("AWS::Partition"),
                ":personalize:", ref("AWS::Region"), ":", ref("AWS::AccountId"), ":data-deletion-job/*")));
        assertStatements(template, stack, creator, List.of(
                allow("personalize:CreateDataDeletionJob", List.of(Synthesized.GROUP_ARN, other, jobs)),
                allow("personalize:TagResource", jobs, Map.of("ForAllValues:StringEquals",
                        Map.of("aws:TagKeys", List.of("purpose")))),
                allow("personalize:DescribeDataDeletionJob", jobs)));
        // and the watcher only describes them
        assertStatements(template, stack, watcher, List.of(allow("personalize:DescribeDataDeletionJob", jobs)));
    }

    @Test
    void noDeletionRoutes_shouldGrantTheFunctionsNothing() {
        Stack stack = stack();
        DataBucket data = bucket(stack);
        PersonalizeAccess access = new PersonalizeAccess(stack, "Access",
                new PersonalizeAccess.Props(data.bucket(), Optional.empty(), List.of(CLICKS), List.of(), PRIMING));
        Role function = role(stack, "Function");
        access.grantReadDeletions(function);
        access.grantStartDeletions(function);
        access.grantDescribeDeletions(function);
        assertTrue(function.getNode().tryFindChild("DefaultPolicy") == null, "the function has no policy");
    }

    private static void assertStatements(Template template, Stack stack, Role role, List<Object> statements) {
        template.hasResourceProperties("AWS::IAM::Policy", Match.objectLike(Map.of(
                "Roles", List.of(ref(stack.getLogicalId((CfnElement) role.getNode().getDefaultChild()))),
                "PolicyDocument", Match.objectLike(Map.of("Statement", statements)))));
    }

    private static DeployedDeletion deletion(String name, String prefix, String groupArn, Map<String, String> tags) {
        return DeployedDeletion.of(new DeletionRoute(name, prefix, groupArn, "arn:aws:iam::123456789012:role/Import",
                tags));
    }

    private static Role role(Stack stack, String id) {
        return Role.Builder.create(stack, id).assumedBy(new ServicePrincipal("lambda.amazonaws.com")).build();
    }

    @Test
    void noRoutes_shouldBeRefusedNamingTheProperty() {
        Stack stack = stack();
        DataBucket data = bucket(stack);
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> new PersonalizeAccess.Props(data.bucket(), Optional.empty(), List.of(), List.of(), PRIMING));
        assertEquals("PersonalizeAccess.Props.routes is empty: expected at least one route: a prefix Personalize may"
                + " read", refused.getMessage());
    }

    @Test
    void anEmptyPrefix_shouldBeRefusedSinceItWouldGrantTheWholeBucket() {
        Stack stack = stack();
        DataBucket data = bucket(stack);
        DeployedRoute everything = new DeployedRoute("all", "", Synthesized.DATASET_ARN, "schema", null);
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> new PersonalizeAccess.Props(data.bucket(), Optional.empty(), List.of(everything), List.of(), PRIMING));
        assertTrue(refused.getMessage().startsWith("PersonalizeAccess.Props.routes prefix of 'all' is ''"),
                refused.getMessage());
    }

    /** No statement of any key or IAM policy allows kms:CreateGrant without kms:GrantIsForAWSResource. */
    @SuppressWarnings("unchecked")
    static void assertNoUnconditionedCreateGrant(Template template) {
        List<String> unconditioned = new ArrayList<>();
        Map<String, String> documents = Map.of("AWS::KMS::Key", "KeyPolicy", "AWS::IAM::Policy", "PolicyDocument");
        documents.forEach((type, property) -> template.findResources(type).forEach((id, resource) -> {
            Map<String, Object> document = (Map<String, Object>) ((Map<String, Object>) resource.get("Properties"))
                    .get(property);
            for (Map<String, Object> statement : (List<Map<String, Object>>) document.get("Statement")) {
                Object action = statement.get("Action");
                boolean grants = action instanceof List<?> list ? list.contains("kms:CreateGrant")
                        : "kms:CreateGrant".equals(action);
                Map<String, Object> condition = (Map<String, Object>) statement.getOrDefault("Condition", Map.of());
                if (grants && !Map.of("kms:GrantIsForAWSResource", "true").equals(condition.get("Bool"))) {
                    unconditioned.add(id + " " + statement.get("Sid"));
                }
            }
        }));
        assertEquals(List.of(), unconditioned, "kms:CreateGrant allowed without kms:GrantIsForAWSResource");
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
