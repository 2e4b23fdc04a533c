package io.personalizeimport.lambdas.lane;

/** An import an operator asks for by starting an execution by hand, in one of its two forms. */
public sealed interface OperatorRequest {

    /** The forms an execution's input may take, for error messages. */
    String FORMS = "expected {\"bucket\":\"...\",\"key\":\"...\"}, "
            + "{\"dataLocation\":\"s3://...\",\"datasetArn\":\"...\"} or {\"datasetImportJobArn\":\"...\"}";

    /** One uploaded CSV file, by its bucket and key. */
    record ForObject(String bucket, String key) implements OperatorRequest {
    }

    /**
     * A file or folder location into a dataset; the optional fields are null when not given.
     *
     * @param roleArn must be the route's role when given
     * @param importMode FULL or INCREMENTAL; the route's when null
     * @param jobName the job's name; derived from the request when null
     */
    record ForLocation(String dataLocation, String datasetArn, String roleArn, String importMode, String jobName)
            implements OperatorRequest {
    }
}
