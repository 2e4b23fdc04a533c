package io.personalizeimport.infra;

import io.personalizeimport.lambdas.config.Staging;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awscdk.ArnComponents;
import software.amazon.awscdk.ArnFormat;
import software.amazon.awscdk.Aws;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.iam.Effect;
import software.amazon.awscdk.services.iam.IPrincipal;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.kms.IKey;
import software.amazon.awscdk.services.kms.Key;
import software.amazon.awscdk.services.s3.Bucket;
import software.amazon.awscdk.services.s3.IBucket;
import software.constructs.Construct;

/**
 * What Amazon Personalize reads and who may ask it to: the role it assumes to read the routed prefixes and the staging
 * folder, the bucket and key policies it needs besides (Amazon Personalize Developer Guide, 'Giving Amazon Personalize
 * access to Amazon S3 resources'), and the grants of the functions that start and watch its import and data deletion
 * jobs.
 */
final class PersonalizeAccess extends Construct {

    static final String PERSONALIZE = "personalize.amazonaws.com";
    /** What Personalize needs of a customer managed key to read the objects it encrypts, besides CreateGrant. */
    static final List<String> KEY_ACTIONS = List.of(
            "kms:Decrypt", "kms:GenerateDataKey", "kms:DescribeKey", "kms:ListGrants");
    /** The rest of what Personalize needs of the key, granted only for grants an AWS service asks for. */
    static final String CREATE_GRANT = "kms:CreateGrant";

    /**
     * @param key the bucket's customer managed key, if it has one
     * @param routes the routed prefixes, with the datasets they import into
     * @param deletions the deletion prefixes, with the dataset groups they delete users from
     * @param primingExecutionArn the execution SnapStart priming describes (Priming.Targets), which never exists
     */
    record Props(IBucket bucket, Optional<IKey> key, List<DeployedRoute> routes, List<DeployedDeletion> deletions,
                 String primingExecutionArn) {

        Props {
            PropsCheck.present(bucket, "PersonalizeAccess.Props.bucket", "the data bucket");
            PropsCheck.present(key, "PersonalizeAccess.Props.key", "the bucket's key, or Optional.empty()");
            PropsCheck.present(routes, "PersonalizeAccess.Props.routes", "the routes");
            PropsCheck.require(!routes.isEmpty(), "PersonalizeAccess.Props.routes", "empty",
                    "at least one route: a prefix Personalize may read");
            for (DeployedRoute route : routes) {
                PropsCheck.require(route.prefix() != null && !route.prefix().isEmpty(),
                        "PersonalizeAccess.Props.routes prefix of '" + route.name() + "'", "'" + route.prefix() + "'",
                        "a key prefix such as interactions/: an empty one would grant the whole bucket");
            }
            PropsCheck.present(deletions, "PersonalizeAccess.Props.deletions", "the deletion routes, or List.of()");
            for (DeployedDeletion deletion : deletions) {
                PropsCheck.require(deletion.prefix() != null && !deletion.prefix().isEmpty(),
                        "PersonalizeAccess.Props.deletions prefix of '" + deletion.name() + "'", "'"
                                + deletion.prefix() + "'",
                        "a key prefix such as forget/: an empty one would grant the whole bucket");
            }
            PropsCheck.present(primingExecutionArn, "PersonalizeAccess.Props.primingExecutionArn",
                    "Priming.Targets.executionArn()");
            routes = List.copyOf(routes);
            deletions = List.copyOf(deletions);
        }
    }

    private final Props props;
    private final Role role;

    PersonalizeAccess(Construct scope, String id, Props props) {
        super(scope, id);
        this.props = props;
        // Personalize decrypts the objects itself while importing (Amazon Personalize Developer Guide, 'Giving Amazon
        // Personalize permission to use your AWS KMS key').
        ownedKey().ifPresent(owned -> {
            ServicePrincipal personalize = new ServicePrincipal(PERSONALIZE);
            owned.addToResourcePolicy(keyStatement("AllowPersonalizeToReadImportData", personalize, KEY_ACTIONS,
                    thisAccountsPersonalize()));
            owned.addToResourcePolicy(keyStatement("AllowPersonalizeToGrantForImportData", personalize,
                    List.of(CREATE_GRANT), withGrantForAwsResource(thisAccountsPersonalize())));
        });
        this.role = importRole();
        if (props.bucket() instanceof Bucket) {
            // An existing bucket's policy is the user's.
            props.bucket().addToResourcePolicy(PolicyStatement.Builder.create()
                    .sid("AllowPersonalizeToReadRoutedPrefixes")
                    .effect(Effect.ALLOW)
                    .principals(List.of(new ServicePrincipal(PERSONALIZE)))
                    .actions(List.of("s3:GetObject"))
                    .resources(importedObjectArns())
                    .conditions(thisAccountsPersonalize())
                    .build());
            Map<String, Object> listing = new LinkedHashMap<>(thisAccountsPersonalize());
            listing.putAll(importedPrefixes());
            props.bucket().addToResourcePolicy(PolicyStatement.Builder.create()
                    .sid("AllowPersonalizeToListRoutedPrefixes")
                    .effect(Effect.ALLOW)
                    .principals(List.of(new ServicePrincipal(PERSONALIZE)))
                    .actions(List.of("s3:ListBucket"))
                    .resources(List.of(props.bucket().getBucketArn()))
                    .conditions(listing)
                    .build());
        }
    }

    /**
     * Confused-deputy guard: Personalize acting for this account and region only (Amazon Personalize Developer Guide,
     * 'Cross-service confused deputy prevention').
     */
    private static Map<String, Object> thisAccountsPersonalize() {
        Map<String, Object> conditions = new LinkedHashMap<>();
        conditions.put("StringEquals", Map.of("aws:SourceAccount", Aws.ACCOUNT_ID));
        conditions.put("ArnLike", Map.of("aws:SourceArn", "arn:" + Aws.PARTITION + ":personalize:" + Aws.REGION + ":"
                + Aws.ACCOUNT_ID + ":*"));
        return conditions;
    }

    /**
     * CreateGrant only when an AWS service integrated with KMS asks for the grant on the principal's behalf (AWS KMS
     * Developer Guide, 'Controlling access to grants', kms:GrantIsForAWSResource), never a grant of the principal's own.
     */
    private static Map<String, Object> withGrantForAwsResource(Map<String, Object> conditions) {
        Map<String, Object> all = new LinkedHashMap<>(conditions);
        all.put("Bool", Map.of("kms:GrantIsForAWSResource", "true"));
        return all;
    }

    /**
     * The listing of the routed prefixes, the staging folder and the deletion prefixes only: a folder import lists its
     * folder, which lies under its route's prefix or the staging folder, so each is covered by its {@code prefix*}
     * pattern.
     */
    private Map<String, Object> importedPrefixes() {
        List<String> patterns = new ArrayList<>(props.routes().stream().map(route -> route.prefix() + "*").toList());
        patterns.add(Staging.PREFIX + "*");
        props.deletions().forEach(deletion -> patterns.add(deletion.prefix() + "*"));
        return Map.of("StringLike", Map.of("s3:prefix", patterns));
    }

    private static PolicyStatement keyStatement(String sid, IPrincipal principal, List<String> actions,
                                                Map<String, Object> conditions) {
        PolicyStatement.Builder statement = PolicyStatement.Builder.create()
                .sid(sid)
                .principals(List.of(principal))
                .actions(actions)
                .resources(List.of("*"));
        if (!conditions.isEmpty()) {
            statement.conditions(conditions);
        }
        return statement.build();
    }

    private Role importRole() {
        ServicePrincipal personalize = ServicePrincipal.Builder.create(PERSONALIZE).build();
        // Only Personalize acting for this account and region may assume the role.
        IPrincipal trusted = personalize.withConditions(thisAccountsPersonalize());
        Role importRole = Role.Builder.create(this, "PersonalizeImportRole")
                .assumedBy(trusted)
                .description("Assumed by Amazon Personalize to read the routed prefixes and the staging folder of the"
                        + " data bucket")
                .build();
        importRole.addToPolicy(statement(List.of("s3:GetObject"), importedObjectArns()));
        importRole.addToPolicy(PolicyStatement.Builder.create()
                .actions(List.of("s3:ListBucket"))
                .resources(List.of(props.bucket().getBucketArn()))
                .conditions(importedPrefixes())
                .build());
        props.key().ifPresent(key -> {
            importRole.addToPolicy(statement(KEY_ACTIONS, List.of(key.getKeyArn())));
            importRole.addToPolicy(PolicyStatement.Builder.create()
                    .actions(List.of(CREATE_GRANT))
                    .resources(List.of(key.getKeyArn()))
                    .conditions(withGrantForAwsResource(Map.of()))
                    .build());
        });
        ownedKey().ifPresent(owned -> {
            owned.addToResourcePolicy(keyStatement("AllowImportRoleToReadImportData", importRole, KEY_ACTIONS,
                    Map.of()));
            owned.addToResourcePolicy(keyStatement("AllowImportRoleToGrantForImportData", importRole,
                    List.of(CREATE_GRANT), withGrantForAwsResource(Map.of())));
        });
        return importRole;
    }

    private Optional<Key> ownedKey() {
        return props.key().filter(Key.class::isInstance).map(Key.class::cast);
    }

    /** The role Personalize assumes. */
    Role role() {
        return role;
    }

    /** SnapStart priming describes an execution that never exists; StartExecution stays on the state machine alone. */
    void grantPrimingExecution(Role function) {
        function.addToPolicy(statement(List.of("states:DescribeExecution"), List.of(props.primingExecutionArn())));
    }

    /**
     * What the functions that start imports call: preflight reads, CreateDatasetImportJob, PassRole.
     *
     * @param objectReads the actions on the routed objects: reads, and for the lane reads of a version as a copy source
     */
    void grantStartImports(Role function, List<String> objectReads) {
        function.addToPolicy(statement(objectReads, objectArns()));
        function.addToPolicy(PolicyStatement.Builder.create()
                .actions(List.of("s3:ListBucket"))
                .resources(List.of(props.bucket().getBucketArn()))
                .conditions(Map.of("StringLike", Map.of("s3:prefix",
                        props.routes().stream().map(route -> route.prefix() + "*").toList())))
                .build());
        function.addToPolicy(statement(List.of("personalize:DescribeDataset"),
                props.routes().stream().map(DeployedRoute::datasetArn).distinct().toList()));
        function.addToPolicy(statement(List.of("personalize:DescribeSchema"),
                props.routes().stream().map(DeployedRoute::schemaArn).distinct().toList()));
        // The Service Authorization Reference lists both the dataset and the import job as the resources of
        // CreateDatasetImportJob (older copies of it list the job alone): the grant names the routed datasets exactly,
        // and, since job names come from the uploaded objects, the job type of this account and region.
        List<String> importInto = new ArrayList<>(props.routes().stream().map(DeployedRoute::datasetArn).distinct()
                .toList());
        importInto.add(importJobArns());
        function.addToPolicy(statement(List.of("personalize:CreateDatasetImportJob"), importInto));
        // Describe verifies that a job whose name is taken imports the same data into the same dataset.
        function.addToPolicy(statement(List.of("personalize:TagResource", "personalize:DescribeDatasetImportJob"),
                List.of(importJobArns())));
        grantPrimingExecution(function);
        function.addToPolicy(PolicyStatement.Builder.create()
                .actions(List.of("iam:PassRole"))
                .resources(List.of(role.getRoleArn()))
                .conditions(Map.of("StringEquals", Map.of("iam:PassedToService", PERSONALIZE)))
                .build());
        props.key().ifPresent(key -> key.grantDecrypt(function));
    }

    /** What the describe function calls: DescribeDatasetImportJob, on the import jobs of this account and region. */
    void grantDescribeImports(Role function) {
        function.addToPolicy(statement(List.of("personalize:DescribeDatasetImportJob"), List.of(importJobArns())));
    }

    private List<String> objectArns() {
        return props.routes().stream().map(route -> props.bucket().arnForObjects(route.prefix() + "*")).toList();
    }

    /**
     * What Personalize reads: the routed prefixes, the staging folder of coalesced imports, and the deletion prefixes. A
     * data deletion job reads its file with the same permissions as an import job reads its data: GetObject and
     * ListBucket (Amazon Personalize Developer Guide, 'Deleting users'; API Reference, CreateDataDeletionJob).
     */
    private List<String> importedObjectArns() {
        List<String> arns = new ArrayList<>(objectArns());
        arns.add(props.bucket().arnForObjects(Staging.PREFIX + "*"));
        arns.addAll(deletionObjectArns());
        return arns;
    }

    private List<String> deletionObjectArns() {
        return props.deletions().stream().map(deletion -> props.bucket().arnForObjects(deletion.prefix() + "*"))
                .toList();
    }

    /**
     * What a function that checks a deletion file before its job reads (its header and size): the objects under the
     * deletion prefixes, and their listing, without which S3 answers a missing object with 403 instead of 404. The
     * bucket key's Decrypt comes with the import grants, which every such function holds.
     */
    void grantReadDeletions(Role function) {
        if (props.deletions().isEmpty()) {
            return;
        }
        function.addToPolicy(statement(List.of("s3:GetObject"), deletionObjectArns()));
        function.addToPolicy(PolicyStatement.Builder.create()
                .actions(List.of("s3:ListBucket"))
                .resources(List.of(props.bucket().getBucketArn()))
                .conditions(Map.of("StringLike", Map.of("s3:prefix",
                        props.deletions().stream().map(deletion -> deletion.prefix() + "*").toList())))
                .build());
    }

    /**
     * What the function that starts data deletion jobs calls. The Service Authorization Reference for Amazon
     * Personalize lists two required resource types for CreateDataDeletionJob, dataDeletionJob and datasetGroup, so
     * the grant names the routed groups and the deletion jobs of this account and region (job names are made at run
     * time, so only the type can be named); TagResource acts on the dataDeletionJob it tags, limited to the routes'
     * tag keys; DescribeDataDeletionJob lists dataDeletionJob alone. PassRole of the import role comes with the import
     * grants (grantStartImports), which every function that starts jobs holds.
     */
    void grantStartDeletions(Role function) {
        if (props.deletions().isEmpty()) {
            return;
        }
        List<String> resources = new ArrayList<>(props.deletions().stream().map(DeployedDeletion::datasetGroupArn)
                .distinct().toList());
        resources.add(deletionJobArns());
        function.addToPolicy(statement(List.of("personalize:CreateDataDeletionJob"), resources));
        List<String> tagKeys = props.deletions().stream().flatMap(deletion -> deletion.settings().tags().keySet()
                .stream()).distinct().sorted().toList();
        if (!tagKeys.isEmpty()) {
            function.addToPolicy(PolicyStatement.Builder.create()
                    .actions(List.of("personalize:TagResource"))
                    .resources(List.of(deletionJobArns()))
                    .conditions(Map.of("ForAllValues:StringEquals", Map.of("aws:TagKeys", tagKeys)))
                    .build());
        }
        grantDescribeDeletions(function);
    }

    /**
     * What the function that takes lists of users in calls before it records one: DescribeDatasetGroup on exactly the
     * routed groups, so that a list routed to a group that does not exist is REJECTED before any job.
     */
    void grantCheckDeletionGroups(Role function) {
        if (props.deletions().isEmpty()) {
            return;
        }
        function.addToPolicy(statement(List.of("personalize:DescribeDatasetGroup"), props.deletions().stream()
                .map(DeployedDeletion::datasetGroupArn).distinct().toList()));
    }

    /** What a function that watches data deletion jobs calls: DescribeDataDeletionJob, on this account's and region's. */
    void grantDescribeDeletions(Role function) {
        if (props.deletions().isEmpty()) {
            return;
        }
        function.addToPolicy(statement(List.of("personalize:DescribeDataDeletionJob"), List.of(deletionJobArns())));
    }

    private String deletionJobArns() {
        return Stack.of(this).formatArn(ArnComponents.builder()
                .service("personalize")
                .resource("data-deletion-job")
                .resourceName("*")
                .arnFormat(ArnFormat.SLASH_RESOURCE_NAME)
                .build());
    }

    private String importJobArns() {
        return Stack.of(this).formatArn(ArnComponents.builder()
                .service("personalize")
                .resource("dataset-import-job")
                .resourceName("*")
                .arnFormat(ArnFormat.SLASH_RESOURCE_NAME)
                .build());
    }

    private static PolicyStatement statement(List<String> actions, List<String> resources) {
        return PolicyStatement.Builder.create().actions(actions).resources(resources).build();
    }
}
