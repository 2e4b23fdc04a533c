package io.personalizeimport.infra;

import io.personalizeimport.lambdas.config.Route;
import io.personalizeimport.lambdas.config.Staging;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.kms.IKey;
import software.amazon.awscdk.services.kms.Key;
import software.amazon.awscdk.services.lambda.IFunction;
import software.amazon.awscdk.services.s3.BlockPublicAccess;
import software.amazon.awscdk.services.s3.Bucket;
import software.amazon.awscdk.services.s3.BucketEncryption;
import software.amazon.awscdk.services.s3.EventType;
import software.amazon.awscdk.services.s3.IBucket;
import software.amazon.awscdk.services.s3.LifecycleRule;
import software.amazon.awscdk.services.s3.NotificationKeyFilter;
import software.amazon.awscdk.services.s3.ObjectOwnership;
import software.amazon.awscdk.services.s3.notifications.LambdaDestination;
import software.constructs.Construct;

/**
 * The bucket users drop CSV files into, with its key and access logs, or the user's existing bucket; its staging
 * folder, and the notifications that send each routed file to the trigger.
 */
final class DataBucket extends Construct {

    /**
     * Staged copies are read only by the one import job they were made for, and the lifecycle rule expires them; a
     * version replaced or expired in the versioned bucket is never read again, so it goes the next day.
     */
    static final int STAGED_NONCURRENT_DAYS = 1;

    /**
     * @param existingBucketName the user's bucket to watch instead of one the construct creates
     * @param kmsKeyArn the user's key that encrypts the bucket's objects
     * @param createKey whether to create a customer managed key for the bucket the construct creates
     */
    record Props(Optional<String> existingBucketName, Optional<String> kmsKeyArn, boolean createKey,
                 RemovalPolicy removalPolicy) {

        Props {
            PropsCheck.present(existingBucketName, "DataBucket.Props.existingBucketName",
                    "a bucket name, or Optional.empty() for a bucket the construct creates");
            PropsCheck.present(kmsKeyArn, "DataBucket.Props.kmsKeyArn", "a KMS key ARN, or Optional.empty()");
            PropsCheck.present(removalPolicy, "DataBucket.Props.removalPolicy", "RETAIN or DESTROY");
            PropsCheck.require(!createKey || kmsKeyArn.isEmpty(), "DataBucket.Props.createKey", createKey
                    + " while kmsKeyArn is " + kmsKeyArn.orElse(""), "false when a key ARN is given");
            PropsCheck.require(!createKey || existingBucketName.isEmpty(), "DataBucket.Props.createKey", createKey
                    + " while existingBucketName is " + existingBucketName.orElse(""),
                    "false for an existing bucket, whose encryption is the user's");
        }
    }

    private final IKey key;
    private final IBucket bucket;
    private final Bucket accessLogs;

    DataBucket(Construct scope, String id, Props props) {
        super(scope, id);
        this.key = key(props);
        if (props.existingBucketName().isPresent()) {
            this.accessLogs = null;
            this.bucket = Bucket.fromBucketName(this, "DataBucket", props.existingBucketName().get());
            return;
        }
        boolean autoDelete = props.removalPolicy() == RemovalPolicy.DESTROY;
        this.accessLogs = Bucket.Builder.create(this, "AccessLogsBucket")
                .encryption(BucketEncryption.S3_MANAGED)
                .blockPublicAccess(BlockPublicAccess.BLOCK_ALL)
                .enforceSsl(true)
                .objectOwnership(ObjectOwnership.BUCKET_OWNER_ENFORCED)
                .removalPolicy(props.removalPolicy())
                .autoDeleteObjects(autoDelete)
                .build();
        Bucket.Builder data = Bucket.Builder.create(this, "DataBucket")
                .blockPublicAccess(BlockPublicAccess.BLOCK_ALL)
                .enforceSsl(true)
                .objectOwnership(ObjectOwnership.BUCKET_OWNER_ENFORCED)
                // A version id per write gives each upload its own job name (docs/lanes-and-ledger.md).
                .versioned(true)
                .serverAccessLogsBucket(accessLogs)
                .serverAccessLogsPrefix("data-bucket/")
                .removalPolicy(props.removalPolicy())
                .autoDeleteObjects(autoDelete);
        if (key == null) {
            data.encryption(BucketEncryption.S3_MANAGED);
        } else {
            data.encryption(BucketEncryption.KMS).encryptionKey(key).bucketKeyEnabled(true);
        }
        Bucket owned = data.build();
        // Staged copies serve one import job each, within its monitor's deadline; the rule removes what a failed or
        // finished import left behind. An existing bucket's lifecycle configuration is the user's (docs/operating.md).
        owned.addLifecycleRule(LifecycleRule.builder()
                .id("ExpireStagedCopies")
                .prefix(Staging.PREFIX)
                .expiration(Duration.days(Staging.EXPIRATION_DAYS))
                .noncurrentVersionExpiration(Duration.days(STAGED_NONCURRENT_DAYS))
                .build());
        this.bucket = owned;
    }

    private IKey key(Props props) {
        if (props.kmsKeyArn().isPresent()) {
            return Key.fromKeyArn(this, "DataKey", props.kmsKeyArn().get());
        }
        if (!props.createKey()) {
            return null;
        }
        return Key.Builder.create(this, "DataKey")
                .description("Encrypts the Personalize import pipeline's data bucket")
                .enableKeyRotation(true)
                .removalPolicy(props.removalPolicy())
                .build();
    }

    IBucket bucket() {
        return bucket;
    }

    /** The key of the bucket's objects, when it is a customer managed key. */
    Optional<IKey> key() {
        return Optional.ofNullable(key);
    }

    /** The bucket of the data bucket's access logs, when the construct created the data bucket. */
    Optional<Bucket> accessLogsBucket() {
        return Optional.ofNullable(accessLogs);
    }

    /** Whether the construct created the bucket, rather than watching the user's. */
    boolean owned() {
        return bucket instanceof Bucket;
    }

    /** The objects of the staging folder, where the lane copies the files of a coalesced import. */
    String stagingArn() {
        return bucket.arnForObjects(Staging.PREFIX + "*");
    }

    /** Sends each routed CSV file, each folder route's marker, and each file of users to forget to {@code trigger}. */
    void notify(IFunction trigger, List<DeployedRoute> routes, List<DeployedDeletion> deletions) {
        LambdaDestination destination = new LambdaDestination(trigger);
        for (DeployedRoute route : routes) {
            // One prefix with two suffixes is a valid configuration: S3 refuses overlapping filters for one event type,
            // but "two suffixes are considered overlapping if a given string can end with both", and no key ends with
            // both .csv and .CSV (Amazon S3 User Guide, "Configuring event notifications using object key name
            // filtering", https://docs.aws.amazon.com/AmazonS3/latest/userguide/notification-how-to-filtering.html).
            for (String suffix : Route.CSV_SUFFIXES) {
                bucket.addEventNotification(EventType.OBJECT_CREATED, destination, NotificationKeyFilter.builder()
                        .prefix(KeyFilters.encode(route.prefix()))
                        .suffix(suffix)
                        .build());
            }
            // A folder is complete when its marker arrives. The marker's suffix "/<marker>" overlaps neither CSV suffix,
            // since a marker never ends in .csv in any case (RouteTable).
            if (route.isFolder()) {
                bucket.addEventNotification(EventType.OBJECT_CREATED, destination, NotificationKeyFilter.builder()
                        .prefix(KeyFilters.encode(route.prefix()))
                        .suffix(KeyFilters.encode("/" + route.settings().marker()))
                        .build());
            }
        }
        // A deletion file is a CSV of user ids, named as imports are; its prefix overlaps no other route's (StackConfig).
        for (DeployedDeletion deletion : deletions) {
            for (String suffix : Route.CSV_SUFFIXES) {
                bucket.addEventNotification(EventType.OBJECT_CREATED, destination, NotificationKeyFilter.builder()
                        .prefix(KeyFilters.encode(deletion.prefix()))
                        .suffix(suffix)
                        .build());
            }
        }
    }

    /**
     * Writes into the staging folder only: PutObject and PutObjectTagging are what a server-side CopyObject needs on its
     * destination (the copy keeps the source's tags), and GenerateDataKey encrypts the copy under a KMS bucket key. The
     * folder's listing (ListBucket on its prefix only) is how the staging learns which copies exist.
     */
    void grantStagingWrites(Role role) {
        role.addToPolicy(PolicyStatement.Builder.create()
                .actions(List.of("s3:PutObject", "s3:PutObjectTagging"))
                .resources(List.of(stagingArn()))
                .build());
        role.addToPolicy(PolicyStatement.Builder.create()
                .actions(List.of("s3:ListBucket"))
                .resources(List.of(bucket.getBucketArn()))
                .conditions(Map.of("StringLike", Map.of("s3:prefix", List.of(Staging.PREFIX + "*"))))
                .build());
        if (key != null) {
            key.grant(role, "kms:GenerateDataKey");
        }
    }
}
