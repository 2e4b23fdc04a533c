package io.personalizeimport.local.personalize;

import java.util.List;
import java.util.regex.Pattern;

/**
 * A string shape of the Personalize service model (2018-05-22): length bounds, pattern and enum.
 *
 * <p>The constants copy the constraints the model states for the members the emulator reads.
 */
record Shape(int minLength, int maxLength, Pattern pattern, List<String> enumValues) {

    static final Shape NAME = new Shape(1, 63, Pattern.compile("^[a-zA-Z0-9][a-zA-Z0-9\\-_]*"), List.of());
    static final Shape ARN = new Shape(0, 256, Pattern.compile("arn:([a-z\\d-]+):personalize:.*:.*:.+"), List.of());
    static final Shape ROLE_ARN = new Shape(0, 256,
            Pattern.compile("arn:([a-z\\d-]+):iam::\\d{12}:role/?[a-zA-Z_0-9+=,.@\\-_/]+"), List.of());
    static final Shape KMS_KEY_ARN = new Shape(0, Integer.MAX_VALUE,
            Pattern.compile("arn:aws.*:kms:.*:[0-9]{12}:key/.*"), List.of());
    static final Shape S3_LOCATION = new Shape(0, 256, Pattern.compile("(s3|http|https)://.+"), List.of());
    static final Shape AVRO_SCHEMA = new Shape(0, 20_000, null, List.of());
    static final Shape DATASET_TYPE = new Shape(0, 256, null, List.of());
    static final Shape DOMAIN = new Shape(0, Integer.MAX_VALUE, null, List.of("ECOMMERCE", "VIDEO_ON_DEMAND"));
    static final Shape IMPORT_MODE = new Shape(0, Integer.MAX_VALUE, null, List.of("FULL", "INCREMENTAL"));
    static final Shape INGESTION_MODE = new Shape(0, Integer.MAX_VALUE, null, List.of("BULK", "PUT", "ALL"));
    static final Shape NEXT_TOKEN = new Shape(0, 1500, Pattern.compile("\\p{ASCII}{0,1500}"), List.of());
    static final Shape TAG_KEY = new Shape(1, 128, null, List.of());
    static final Shape TAG_VALUE = new Shape(0, 256, null, List.of());

    /** The first constraint {@code value} breaks, worded as AWS words it, or null when it satisfies all. */
    String violation(String value) {
        int length = value.codePointCount(0, value.length());
        if (length < minLength) {
            return "Member must have length greater than or equal to " + minLength;
        }
        if (length > maxLength) {
            return "Member must have length less than or equal to " + maxLength;
        }
        // The model's patterns are anchored by AWS as whole-value matches.
        if (pattern != null && !pattern.matcher(value).matches()) {
            return "Member must satisfy regular expression pattern: " + pattern.pattern();
        }
        if (!enumValues.isEmpty() && !enumValues.contains(value)) {
            return "Member must satisfy enum value set: " + enumValues;
        }
        return null;
    }
}
