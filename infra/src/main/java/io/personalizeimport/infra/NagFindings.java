package io.personalizeimport.infra;

import io.github.cdklabs.cdknag.NagPackSuppression;
import io.github.cdklabs.cdknag.NagSuppressions;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.Token;
import software.constructs.IConstruct;

/**
 * The cdk-nag AwsSolutions findings this stack accepts. Each suppression names one resource and the exact
 * finding (with {@code appliesTo} for the granular IAM rules), and says why a security reviewer can accept it.
 */
final class NagFindings {

    private final Stack stack;

    NagFindings(Stack stack) {
        this.stack = stack;
    }

    /** The routed object prefixes: object names are chosen by whoever uploads, so only the prefix can be granted. */
    void objectPrefixes(IConstruct resource, String bucketArnPattern, List<String> prefixes, String reader) {
        List<NagPackSuppression> suppressions = new ArrayList<>();
        for (String prefix : prefixes) {
            suppressions.add(iam5(bucketArnPattern + "/" + prefix + "*", reader + " reads the CSV files uploaded"
                    + " under the routed prefix '" + prefix + "'; their names are chosen at upload time, so the"
                    + " grant is that prefix of this one bucket, never the whole bucket."));
        }
        suppress(resource, suppressions);
    }

    /** The staging folder of coalesced imports: its object names come from the files and jobs of run time. */
    void stagingFolder(IConstruct resource, String stagingArnPattern, String use) {
        suppress(resource, List.of(iam5(stagingArnPattern, use + ". The copies are named at run time after their"
                + " job and files, so the grant is the staging folder of this one bucket, which no route may overlap.")));
    }

    /** CreateDatasetImportJob, TagResource and DescribeDatasetImportJob act on jobs named at run time. */
    void importJobs(IConstruct resource, String actions) {
        suppress(resource, List.of(iam5(arn("personalize", "dataset-import-job/*"), actions + " act on import jobs"
                + " whose names derive from the uploaded objects (IAM resource type datasetImportJob), so the grant"
                + " is that resource type in this account and region, not any other Personalize resource.")));
    }

    /** CreateDataDeletionJob, TagResource and DescribeDataDeletionJob act on jobs named at run time. */
    void deletionJobs(IConstruct resource, String actions) {
        suppress(resource, List.of(iam5(arn("personalize", "data-deletion-job/*"), actions + " act on data deletion"
                + " jobs whose names derive from the uploaded files (IAM resource type dataDeletionJob), so the grant is"
                + " that resource type in this account and region; CreateDataDeletionJob's other resource, the dataset"
                + " group, is named exactly.")));
    }

    /** DescribeSchema of a dataset the user owns: its schema ARN is learnt only from DescribeDataset at run time. */
    void existingSchemas(IConstruct resource, List<String> schemaArns) {
        List<NagPackSuppression> suppressions = new ArrayList<>();
        for (String schemaArn : schemaArns) {
            suppressions.add(iam5(schemaArn, "Preflight calls DescribeSchema on the schema of an existing dataset,"
                    + " whose ARN is known only from DescribeDataset at run time; the grant is read-only and limited to"
                    + " the schemas of the dataset's account and region."));
        }
        suppress(resource, suppressions);
    }

    /** DescribeExecution of the import monitor's executions, which are named at run time after their jobs. */
    void executions(IConstruct resource, String stateMachineLogicalId) {
        suppress(resource, List.of(iam5(arn("states", "execution:<" + stateMachineLogicalId + ".Name>:*"), "DescribeExecution tells whether the execution holding a"
                + " dataset's lane still runs; executions are named at run time after their import jobs, so the grant"
                + " is the executions of this one state machine, read-only.")));
    }

    /** The statements CDK adds for a state machine with logging ALL and X-Ray tracing. */
    void stateMachineLoggingAndTracing(IConstruct resource) {
        suppress(resource, List.of(iam5("*", "CDK's statements for logging level ALL (logs:CreateLogDelivery and the"
                + " other log-delivery APIs) and X-Ray tracing (xray:PutTraceSegments, ...): these APIs support no"
                + " resource-level permissions (Service Authorization Reference), so '*' is the only resource.")));
    }

    /** CDK's singleton that writes the bucket's notification configuration during deployment. */
    void bucketNotificationsHandler(IConstruct resource) {
        suppress(resource, List.of(NagPackSuppression.builder()
                .id("AwsSolutions-IAM4")
                .appliesTo(List.of("Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"))
                .reason("CDK's BucketNotificationsHandler runs only while CloudFormation deploys the stack; the managed"
                        + " policy lets it write its own logs and nothing else.")
                .build()));
    }

    /** The wildcard CDK grants the notifications handler on a bucket the stack does not own. */
    void importedBucketNotifications(IConstruct resource) {
        suppress(resource, List.of(iam5("*", "CDK's BucketNotificationsHandler needs s3:PutBucketNotification and"
                + " s3:GetBucketNotification on the user's existing bucket; CDK emits the grant with '*' and the"
                + " handler runs only during deployment.")));
    }

    /** CDK's singleton that empties the buckets on stack deletion when removalPolicy=DESTROY was chosen. */
    void autoDeleteObjectsProvider(IConstruct resource) {
        suppress(resource, List.of(NagPackSuppression.builder()
                .id("AwsSolutions-L1")
                .reason("CDK's auto-delete-objects provider runs only when the stack is deleted with"
                        + " removalPolicy=DESTROY; CDK chooses and updates its Node.js runtime.")
                .build()));
    }

    /** The trigger's on-failure destination is itself the dead-letter queue. */
    void deadLetterQueue(IConstruct resource) {
        suppress(resource, List.of(NagPackSuppression.builder()
                .id("AwsSolutions-SQS3")
                .reason("This queue is the dead-letter destination of the trigger's asynchronous invocations (on-failure"
                        + " destination after 2 retries); a queue behind it would only move the same messages.")
                .build()));
    }

    /** The publish schedule's target sends the runs it could not deliver to this queue. */
    void publishDeadLetterQueue(IConstruct resource) {
        suppress(resource, List.of(NagPackSuppression.builder()
                .id("AwsSolutions-SQS3")
                .reason("This queue is the dead-letter queue of the publish schedule's target (after "
                        + Outcomes.PUBLISH_RETRY_ATTEMPTS + " retries or " + Outcomes.PUBLISH_MAX_EVENT_AGE.toMinutes()
                        + " minutes, when the next run does the same work); a queue behind it would only move the same"
                        + " messages.")
                .build()));
    }

    /** The ended-executions rule's target sends what it could not deliver to this queue. */
    void recoveryDeadLetterQueue(IConstruct resource) {
        suppress(resource, List.of(NagPackSuppression.builder()
                .id("AwsSolutions-SQS3")
                .reason("This queue is the dead-letter queue of the ended-executions rule's target, the recovery"
                        + " function (after " + ImportMonitor.ENDED_EXECUTION_RETRY_ATTEMPTS + " retries or "
                        + Functions.MAX_EVENT_AGE.toHours() + " hours); a queue behind it would only move the same"
                        + " messages.")
                .build()));
    }

    /** Access logs cannot be logged to themselves. */
    void accessLogsBucket(IConstruct resource) {
        suppress(resource, List.of(NagPackSuppression.builder()
                .id("AwsSolutions-S1")
                .reason("This bucket receives the data bucket's server access logs; logging it to itself would log"
                        + " its own log deliveries without end.")
                .build()));
    }

    private void suppress(IConstruct resource, List<NagPackSuppression> suppressions) {
        NagSuppressions.addResourceSuppressions(resource, suppressions);
    }

    private static NagPackSuppression iam5(String resource, String reason) {
        return NagPackSuppression.builder()
                .id("AwsSolutions-IAM5")
                .appliesTo(List.of("Resource::" + resource))
                .reason(reason)
                .build();
    }

    /** An ARN of this stack's account and region as cdk-nag prints it (tokens as pseudo parameters). */
    private String arn(String service, String resource) {
        String region = Token.isUnresolved(stack.getRegion()) ? "<AWS::Region>" : stack.getRegion();
        String account = Token.isUnresolved(stack.getAccount()) ? "<AWS::AccountId>" : stack.getAccount();
        return "arn:<AWS::Partition>:" + service + ":" + region + ":" + account + ":" + resource;
    }
}
