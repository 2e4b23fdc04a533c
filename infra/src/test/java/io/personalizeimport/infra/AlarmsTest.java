package io.personalizeimport.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.CfnElement;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awscdk.services.sqs.Queue;
import software.amazon.awscdk.services.stepfunctions.Pass;
import software.amazon.awscdk.services.stepfunctions.StateMachine;
import software.amazon.awscdk.services.stepfunctions.DefinitionBody;

/** The Alarms construct on a bare stack: the three dead-letter alarms, the failed-import alarm, the topic with an email. */
class AlarmsTest {

    @Test
    void withoutEmail_shouldMakeTheFourAlarmsAndNoTopic() {
        Stack stack = new Stack(new App(), "Test");
        Alarms alarms = new Alarms(stack, "Alarms", props(stack, Optional.empty()));
        Template template = Template.fromStack(stack);

        template.resourceCountIs("AWS::CloudWatch::Alarm", 4);
        template.resourceCountIs("AWS::SNS::Topic", 0);
        template.hasResourceProperties("AWS::CloudWatch::Alarm", Match.objectLike(Map.of(
                "MetricName", "ExecutionsFailed", "AlarmActions", Match.absent())));
        assertTrue(alarms.topic().isEmpty());
    }

    @Test
    void withEmail_shouldMailEveryAlarmThroughAnEncryptedTopic() {
        Stack stack = new Stack(new App(), "Test");
        Alarms alarms = new Alarms(stack, "Alarms", props(stack, Optional.of("ops@example.com")));
        Template template = Template.fromStack(stack);

        template.hasResourceProperties("AWS::SNS::Subscription", Map.of(
                "Protocol", "email", "Endpoint", "ops@example.com", "TopicArn", Match.anyValue()));
        template.hasResourceProperties("AWS::SNS::Topic", Match.objectLike(Map.of("KmsMasterKeyId", Match.anyValue())));
        template.resourcePropertiesCountIs("AWS::CloudWatch::Alarm", Match.objectLike(Map.of(
                "AlarmActions", Match.anyValue())), 4);
        assertTrue(alarms.topic().isPresent());
    }

    @Test
    void eachDeadLetterQueue_shouldHaveItsOwnAlarmOnVisibleMessages() {
        // GIVEN the dead-letter queues of the trigger, the ended-executions rule and the publish schedule
        Stack stack = new Stack(new App(), "Test");
        Alarms.Props props = props(stack, Optional.empty());

        // WHEN the alarms are made
        new Alarms(stack, "Alarms", props);
        Template template = Template.fromStack(stack);

        // THEN each queue's first visible message sets off an alarm of its own
        for (Queue queue : List.of((Queue) props.deadLetterQueue(), (Queue) props.recoveryDeadLetterQueue(),
                (Queue) props.publishDeadLetterQueue())) {
            template.resourcePropertiesCountIs("AWS::CloudWatch::Alarm", Match.objectLike(Map.of(
                    "Namespace", "AWS/SQS",
                    "MetricName", "ApproximateNumberOfMessagesVisible",
                    "Dimensions", List.of(Map.of("Name", "QueueName", "Value", Map.of("Fn::GetAtt", List.of(
                            stack.getLogicalId((CfnElement) queue.getNode().getDefaultChild()), "QueueName")))),
                    "Statistic", "Maximum",
                    "Threshold", 0,
                    "ComparisonOperator", "GreaterThanThreshold")), 1);
        }
    }

    @Test
    void noRecoveryDeadLetterQueue_shouldBeRefusedNamingTheProperty() {
        Stack stack = new Stack(new App(), "Test");
        Alarms.Props valid = props(stack, Optional.empty());
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> new Alarms.Props(
                valid.deadLetterQueue(), null, valid.publishDeadLetterQueue(), valid.stateMachine(), Optional.empty(),
                RemovalPolicy.DESTROY));
        assertEquals("Alarms.Props.recoveryDeadLetterQueue is missing: expected the dead-letter queue of the"
                + " ended-executions rule", refused.getMessage());
    }

    @Test
    void anAddressWithoutDomain_shouldBeRefusedNamingTheProperty() {
        Stack stack = new Stack(new App(), "Test");
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> props(stack, Optional.of("ops")));
        assertEquals("Alarms.Props.email is 'ops': expected an email address such as ops@example.com",
                refused.getMessage());
    }

    private static Alarms.Props props(Stack stack, Optional<String> email) {
        StateMachine machine = StateMachine.Builder.create(stack, "Machine")
                .definitionBody(DefinitionBody.fromChainable(new Pass(stack, "Pass")))
                .build();
        return new Alarms.Props(new Queue(stack, "Queue"), new Queue(stack, "RecoveryQueue"),
                new Queue(stack, "PublishQueue"), machine, email, RemovalPolicy.DESTROY);
    }
}
