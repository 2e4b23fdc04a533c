package io.personalizeimport.lambdas.config;

import java.util.regex.Pattern;

/**
 * The Personalize API's own limits on identifiers (Amazon Personalize API Reference, CreateDatasetImportJob request).
 */
public final class Patterns {

    public static final int MAX_ARN_LENGTH = 256;
    public static final int MAX_DATA_LOCATION_LENGTH = 256;
    public static final int MAX_JOB_NAME_LENGTH = 63;
    public static final int MAX_TAG_KEY_LENGTH = 128;
    public static final int MAX_TAG_VALUE_LENGTH = 256;
    public static final int MAX_TAGS = 50;

    /** An EventBridge bus name (Amazon EventBridge API Reference, PutEventsRequestEntry EventBusName). */
    public static final Pattern EVENT_BUS_NAME = Pattern.compile("[/.\\-_A-Za-z0-9]{1,256}");
    public static final Pattern DATASET_ARN = Pattern.compile("arn:([a-z\\d-]+):personalize:[^:]*:[^:]*:dataset/.+");
    /** A dataset group's ARN; its name as CreateDatasetGroup allows it (Amazon Personalize API Reference). */
    public static final Pattern DATASET_GROUP_ARN = Pattern.compile(
            "arn:([a-z\\d-]+):personalize:[^:]*:[^:]*:dataset-group/[a-zA-Z0-9][a-zA-Z0-9\\-_]{0,62}");
    public static final Pattern ROLE_ARN = Pattern.compile("arn:([a-z\\d-]+):iam::\\d{12}:role/?[a-zA-Z_0-9+=,.@\\-_/]+");
    public static final Pattern IMPORT_JOB_ARN =
            Pattern.compile("arn:([a-z\\d-]+):personalize:[^:]*:[^:]*:dataset-import-job/[a-zA-Z0-9][a-zA-Z0-9\\-_]*");
    /** A data deletion job's ARN (Amazon Personalize API Reference, DescribeDataDeletionJob). */
    public static final Pattern DELETION_JOB_ARN =
            Pattern.compile("arn:([a-z\\d-]+):personalize:[^:]*:[^:]*:data-deletion-job/[a-zA-Z0-9][a-zA-Z0-9\\-_]*");
    public static final Pattern JOB_NAME = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9\\-_]{0,62}");
    public static final Pattern DATA_LOCATION = Pattern.compile("(s3|http|https)://.+");
    /** S3's rule for bucket names (general purpose buckets). */
    public static final Pattern BUCKET_NAME = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
    public static final Pattern ROUTE_NAME = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_-]{0,19}");
    public static final Pattern STATE_MACHINE_ARN = Pattern.compile("arn:([a-z\\d-]+):states:[^:]+:\\d{12}:stateMachine:[0-9A-Za-z_-]{1,80}");

    private Patterns() {
    }
}
