package io.personalizeimport.infra;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import software.amazon.awscdk.Aws;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.cloudwatch.Alarm;
import software.amazon.awscdk.services.cloudwatch.ComparisonOperator;
import software.amazon.awscdk.services.cloudwatch.IAlarm;
import software.amazon.awscdk.services.cloudwatch.MetricOptions;
import software.amazon.awscdk.services.cloudwatch.TreatMissingData;
import software.amazon.awscdk.services.cloudwatch.actions.SnsAction;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.kms.Key;
import software.amazon.awscdk.services.sns.ITopic;
import software.amazon.awscdk.services.sns.Topic;
import software.amazon.awscdk.services.sns.subscriptions.EmailSubscription;
import software.amazon.awscdk.services.sqs.IQueue;
import software.amazon.awscdk.services.stepfunctions.IStateMachine;
import software.constructs.Construct;

/**
 * The alarms on what needs a person: S3 events in the trigger's dead-letter queue, ended executions the recovery
 * function was not sent, and failed import monitor executions; with an email address, the encrypted topic that mails
 * them and the outcome events that need reading.
 */
final class Alarms extends Construct {

    private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s]+");

    /**
     * @param recoveryDeadLetterQueue the ended executions EventBridge could not deliver to the recovery function, or
     *     that it failed on
     * @param publishDeadLetterQueue the scheduled runs of the publish function that were not delivered or failed
     * @param email where alarms and failure notifications go, or Optional.empty() for no topic
     */
    record Props(IQueue deadLetterQueue, IQueue recoveryDeadLetterQueue, IQueue publishDeadLetterQueue,
                 IStateMachine stateMachine,
                 Optional<String> email, RemovalPolicy removalPolicy) {

        Props {
            PropsCheck.present(deadLetterQueue, "Alarms.Props.deadLetterQueue", "the trigger's dead-letter queue");
            PropsCheck.present(recoveryDeadLetterQueue, "Alarms.Props.recoveryDeadLetterQueue",
                    "the dead-letter queue of the ended-executions rule");
            PropsCheck.present(publishDeadLetterQueue, "Alarms.Props.publishDeadLetterQueue",
                    "the dead-letter queue of the publish schedule");
            PropsCheck.present(stateMachine, "Alarms.Props.stateMachine", "the import monitor");
            PropsCheck.present(email, "Alarms.Props.email", "an email address, or Optional.empty() for no topic");
            email.ifPresent(address -> PropsCheck.require(EMAIL.matcher(address).matches(), "Alarms.Props.email",
                    "'" + address + "'", "an email address such as ops@example.com"));
            PropsCheck.present(removalPolicy, "Alarms.Props.removalPolicy", "RETAIN or DESTROY");
        }
    }

    private final List<IAlarm> alarms;
    private final ITopic topic;

    Alarms(Construct scope, String id, Props props) {
        super(scope, id);
        Alarm deadLetters = messagesIn(props.deadLetterQueue(), "DeadLetterAlarm", "S3 events the trigger could not"
                + " process after its retries are in the dead-letter queue: read them, fix the cause, and start"
                + " executions for their objects");
        Alarm recoveryDeadLetters = messagesIn(props.recoveryDeadLetterQueue(), "RecoveryDeadLetterAlarm",
                "Status changes of ended import monitor executions that EventBridge could not deliver to the"
                        + " recovery function, or that it failed on, after their retries are in the dead-letter queue:"
                        + " a lane such an execution still held is resumed only when a function next finds it held (a"
                        + " new file for its dataset); read the events and the executions they name");
        Alarm publishDeadLetters = messagesIn(props.publishDeadLetterQueue(), "PublishDeadLetterAlarm",
                "Scheduled runs of the publish function failed or were not delivered: outcome events may wait in the"
                        + " ledger's outbox, and each later run publishes them once the cause (its error in the"
                        + " queue's messages and the function's logs) is gone");
        Alarm failedImports = Alarm.Builder.create(this, "FailedImportsAlarm")
                .alarmDescription("An import monitor execution failed: its Error and Cause in the Step Functions"
                        + " console say why")
                .metric(props.stateMachine().metricFailed(MetricOptions.builder()
                        .period(Duration.minutes(5)).statistic("Sum").build()))
                .threshold(0)
                .comparisonOperator(ComparisonOperator.GREATER_THAN_THRESHOLD)
                .evaluationPeriods(1)
                .treatMissingData(TreatMissingData.NOT_BREACHING)
                .build();
        List<Alarm> created = List.of(deadLetters, recoveryDeadLetters, publishDeadLetters, failedImports);
        this.alarms = List.<IAlarm>copyOf(created);
        this.topic = props.email().map(email -> topic(email, props.removalPolicy())).orElse(null);
        if (topic != null) {
            created.forEach(alarm -> alarm.addAlarmAction(new SnsAction(topic)));
        }
    }

    /** Alarms as soon as a message is visible in {@code queue}. */
    private Alarm messagesIn(IQueue queue, String id, String description) {
        return Alarm.Builder.create(this, id)
                .alarmDescription(description)
                .metric(queue.metricApproximateNumberOfMessagesVisible(
                        MetricOptions.builder().period(Duration.minutes(5)).statistic("Maximum").build()))
                .threshold(0)
                .comparisonOperator(ComparisonOperator.GREATER_THAN_THRESHOLD)
                .evaluationPeriods(1)
                .treatMissingData(TreatMissingData.NOT_BREACHING)
                .build();
    }

    private Topic topic(String email, RemovalPolicy removalPolicy) {
        Key topicKey = Key.Builder.create(this, "AlarmTopicKey")
                .description("Encrypts the Personalize import pipeline's alarm topic")
                .enableKeyRotation(true)
                .removalPolicy(removalPolicy)
                .build();
        // CloudWatch alarms and EventBridge rules publish to an encrypted topic only when the key lets them use it.
        allowToPublish(topicKey, "AllowCloudWatchAlarmsToPublish", "cloudwatch.amazonaws.com");
        allowToPublish(topicKey, "AllowEventBridgeToPublish", "events.amazonaws.com");
        Topic created = Topic.Builder.create(this, "AlarmTopic")
                .masterKey(topicKey)
                .enforceSsl(true)
                .build();
        created.addSubscription(new EmailSubscription(email));
        return created;
    }

    /** Lets an AWS service of this account use the topic's key to publish to it. */
    private static void allowToPublish(Key topicKey, String sid, String servicePrincipal) {
        topicKey.addToResourcePolicy(PolicyStatement.Builder.create()
                .sid(sid)
                .principals(List.of(new ServicePrincipal(servicePrincipal)))
                .actions(List.of("kms:Decrypt", "kms:GenerateDataKey*"))
                .resources(List.of("*"))
                .conditions(Map.of("StringEquals", Map.of("aws:SourceAccount", Aws.ACCOUNT_ID)))
                .build());
    }

    /** The two dead-letter alarms and the failed-import alarm. */
    List<IAlarm> alarms() {
        return alarms;
    }

    /** The topic that mails alarms and failure notifications, when an email address was given. */
    Optional<ITopic> topic() {
        return Optional.ofNullable(topic);
    }
}
