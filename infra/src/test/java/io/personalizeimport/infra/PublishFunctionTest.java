package io.personalizeimport.infra;

import static io.personalizeimport.infra.Cfn.allow;
import static io.personalizeimport.infra.Cfn.arnOf;
import static io.personalizeimport.infra.Cfn.ref;

import io.personalizeimport.lambdas.FunctionSettings;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

/** The publish function drains the outboxes every five minutes, with only the ledger's outbox and the bus to touch. */
class PublishFunctionTest {

    private static Synthesized synth;
    private static Template template;

    @BeforeAll
    static void synthesize() {
        synth = Synthesized.of(Synthesized.DEFAULTS);
        template = synth.template();
    }

    @Test
    void publishFunction_shouldRunEveryFiveMinutesRetriedThenToADeadLetterQueue() {
        // GIVEN the publish function's alias and the schedule's dead-letter queue
        String alias = synth.logicalId("PublishAlias", "AWS::Lambda::Alias");
        String deadLetters = synth.logicalId("OutcomesPublishDeadLetterQueue", "AWS::SQS::Queue");

        // WHEN / THEN a rule on the default bus invokes the alias every 5 minutes; a run it cannot deliver is retried
        // until the next run would start, then kept in the queue; and EventBridge may invoke the alias
        template.hasResourceProperties("AWS::Events::Rule", Match.objectLike(Map.of(
                "ScheduleExpression", "rate(5 minutes)",
                "EventBusName", Match.absent(),
                "State", "ENABLED",
                "Targets", Match.arrayEquals(List.of(Match.objectLike(Map.of(
                        "Arn", ref(alias),
                        "RetryPolicy", Map.of("MaximumRetryAttempts", Outcomes.PUBLISH_RETRY_ATTEMPTS,
                                "MaximumEventAgeInSeconds", 300),
                        "DeadLetterConfig", Map.of("Arn", arnOf(deadLetters)))))))));
        template.hasResourceProperties("AWS::SQS::Queue", Match.objectLike(Map.of(
                "SqsManagedSseEnabled", true,
                "MessageRetentionPeriod", 14 * 24 * 3600)));
        template.hasResourceProperties("AWS::Lambda::Permission", Match.objectLike(Map.of(
                "Action", "lambda:InvokeFunction",
                "FunctionName", ref(alias),
                "Principal", "events.amazonaws.com",
                "SourceArn", arnOf(synth.logicalId("OutcomesPublishSchedule", "AWS::Events::Rule")))));
    }

    @Test
    void publishRole_shouldHoldItsLogsTheOutboxWritesPutEventsAndItsDeadLettersOnly() {
        template.hasResourceProperties("AWS::IAM::Policy", Match.objectLike(Map.of(
                "Roles", List.of(ref(synth.logicalId("PublishRole", "AWS::IAM::Role"))),
                "PolicyDocument", Match.objectLike(Map.of("Statement", Match.arrayEquals(List.of(
                        allow(List.of("logs:CreateLogStream", "logs:PutLogEvents"),
                                arnOf(synth.logicalId("PublishLogs", "AWS::Logs::LogGroup"))),
                        allow(List.of("dynamodb:Query", "dynamodb:UpdateItem", "dynamodb:DeleteItem"),
                                arnOf(synth.logicalId("LedgerTable", "AWS::DynamoDB::Table"))),
                        allow("events:PutEvents", arnOf(synth.logicalId("OutcomesBus", "AWS::Events::EventBus")),
                                Map.of("StringEquals", Map.of("events:source", "personalize-import"))),
                        allow(List.of("sqs:SendMessage", "sqs:GetQueueAttributes", "sqs:GetQueueUrl"),
                                arnOf(synth.logicalId("OutcomesPublishDeadLetterQueue", "AWS::SQS::Queue"))))))))));
    }

    @Test
    void publishFunction_shouldRunItsHandlerWithTheLedgerAndTheBusItDrainsTo() {
        template.hasResourceProperties("AWS::Lambda::Function", Match.objectLike(Map.of(
                "Handler", FunctionSettings.PUBLISH.handler(),
                "Environment", Map.of("Variables", Match.objectLike(Map.of(
                        "LEDGER_TABLE", ref(synth.logicalId("LedgerTable", "AWS::DynamoDB::Table")),
                        "EVENT_BUS_NAME", Outcomes.BUS_NAME))))));
    }

    @Test
    void publishRole_givenAKmsKey_shouldUseItForTheLedgerOnly() {
        Synthesized kms = Synthesized.of(Synthesized.KMS_ALARMS_DESTROY);

        kms.template().hasResourceProperties("AWS::IAM::Policy", Match.objectLike(Map.of(
                "Roles", List.of(ref(kms.logicalId("PublishRole", "AWS::IAM::Role"))),
                "PolicyDocument", Match.objectLike(Map.of("Statement", Match.arrayWith(List.of(
                        Match.objectLike(Map.of("Action", Ledger.KEY_ACTIONS)))))))));
    }
}
