package io.personalizeimport.lambdas;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.personalizeimport.lambdas.Priming.Outcome;
import io.personalizeimport.lambdas.aws.ClientFactory;
import io.personalizeimport.lambdas.aws.EventPublisher;
import io.personalizeimport.lambdas.aws.ImportJobWatch;
import io.personalizeimport.lambdas.config.Environment;
import io.personalizeimport.lambdas.domain.PollPolicy;
import io.personalizeimport.lambdas.ledger.Ledger;
import io.personalizeimport.lambdas.ledger.LedgerTable;
import io.personalizeimport.local.stack.LocalStack;
import io.personalizeimport.tests.StackAccess;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.personalize.PersonalizeClient;

/**
 * SnapStart priming (Priming, ImportPriming) run as the runtime runs it before a snapshot, against a stack of its own
 * so that nothing else writes there: every step reaches its service and gets the answer it expects, and afterwards
 * there is no import job, no execution, no ledger item and no object that was not there before.
 */
class PrimingSystemTest {

    private static final String NOT_FOUND = "AwsCallException ResourceNotFoundException";
    private static LocalStack stack;

    @BeforeAll
    static void startStack() {
        stack = StackAccess.start(LocalStack.builder().personalizeStepMillis(400)
                .monitorDeadline(Duration.ofMinutes(5)));
    }

    @AfterAll
    static void stopStack() {
        stack.close();
    }

    private static Environment environment(FunctionSettings function) {
        Map<String, String> variables = new HashMap<>(stack.functionEnvironment(function));
        variables.put("AWS_REGION", LocalStack.REGION);
        variables.put("AWS_ACCESS_KEY_ID", stack.s3().accessKey());
        variables.put("AWS_SECRET_ACCESS_KEY", stack.s3().secretKey());
        return new Environment(variables);
    }

    /** How the functions would find the stack after priming: whatever priming wrote would show here. */
    private static List<Object> state() {
        List<Object> state = new ArrayList<>();
        try (var personalize = stack.personalizeClient(); var sfn = stack.sfnClient();
             var dynamoDb = stack.dynamoDbClient(); var s3 = stack.s3Client()) {
            state.add(personalize.listDatasetImportJobs(list -> list.maxResults(100)).datasetImportJobs());
            state.add(sfn.listExecutions(list -> list.stateMachineArn(stack.stateMachineArn())).executions());
            state.add(dynamoDb.scan(scan -> scan.tableName(LocalStack.LEDGER_TABLE)).items());
            state.add(s3.listObjectsV2(list -> list.bucket(LocalStack.BUCKET)).contents());
        }
        return state;
    }

    @Test
    void theSampleThatPrimesThePreflight_shouldPassItsOwnCheckForEachDemoDataset() {
        Pipeline pipeline = Pipeline.from(FunctionSettings.TRIGGER, environment(FunctionSettings.TRIGGER));
        for (String route : List.of("users", "items", "interactions")) {
            assertEquals(java.util.Optional.empty(),
                    pipeline.preflight().checkSample(stack.datasetArn(route), LocalStack.BUCKET), route);
        }
    }

    private static List<Outcome> importPriming(FunctionSettings function) {
        Environment env = environment(function);
        Pipeline pipeline = Pipeline.from(function, env);
        Priming priming = switch (function) {
            case TRIGGER -> ImportPriming.trigger(new TriggerHandler(pipeline, stack.stateMachineArn()), pipeline, env);
            case CREATE -> ImportPriming.create(new CreateHandler(pipeline, PollPolicy.from(env), Clock.systemUTC()),
                    pipeline, env);
            case FINISH -> ImportPriming.finish(new FinishHandler(pipeline), pipeline, env);
            case RECOVER -> ImportPriming.recover(new RecoveryHandler(pipeline), pipeline, env);
            case DESCRIBE, PUBLISH -> throw new IllegalArgumentException(function + " is no import function");
        };
        return priming.run();
    }

    private static List<Outcome> clientOutcomes() {
        return List.of(
                new Outcome("JSON round trip of an execution's input", "completed"),
                new Outcome("Personalize DescribeDatasetImportJob", NOT_FOUND),
                new Outcome("S3 GetObject of a file's first bytes", "completed"),
                new Outcome("Step Functions DescribeExecution", "AwsCallException ExecutionDoesNotExist"),
                new Outcome("DynamoDB GetItem", "completed"),
                new Outcome("DynamoDB Query of a lane", "completed"),
                new Outcome("Personalize DescribeDataset and DescribeSchema", "completed"),
                new Outcome("Preflight of a sample of the first route's columns, held in memory", "completed"),
                new Outcome("Personalize CreateDatasetImportJob refused", "AwsCallException ResourceNotFoundException"),
                new Outcome("DynamoDB UpdateItem refused by its condition",
                        "AwsCallException ConditionalCheckFailedException"),
                new Outcome("DynamoDB TransactWriteItems refused by its condition",
                        "AwsCallException TransactionCanceledException"),
                new Outcome("Step Functions StartExecution refused", "AwsCallException StateMachineDoesNotExist"),
                new Outcome("EventBridge PutEvents of no event", "AwsCallException ValidationException"),
                new Outcome("S3 CopyObject of an object that does not exist", "AwsCallException NoSuchKey"));
    }

    private static List<Outcome> expected(Outcome handler) {
        List<Outcome> outcomes = new ArrayList<>(List.of(handler));
        outcomes.addAll(clientOutcomes());
        return outcomes;
    }

    @Test
    void importFunctions_shouldPrimeEachClientAndTheirHandlersWithoutChangingAnything() {
        // GIVEN the stack as it started
        List<Object> before = state();

        // WHEN each function that imports runs its priming
        List<Outcome> trigger = importPriming(FunctionSettings.TRIGGER);
        List<Outcome> create = importPriming(FunctionSettings.CREATE);
        List<Outcome> finish = importPriming(FunctionSettings.FINISH);
        List<Outcome> recover = importPriming(FunctionSettings.RECOVER);

        // THEN every step got the answer of a resource that does not exist, or completed, and nothing changed
        assertEquals(expected(new Outcome("Skip an object that is no CSV", "completed")), trigger);
        assertEquals(expected(new Outcome("Refuse a request for an object that is no CSV",
                "InvalidImportRequestException")), create);
        assertEquals(expected(new Outcome("Find no marker in a folder without files", "completed")), finish);
        assertEquals(List.of(new Outcome("Find the lane of an ended execution free", "completed"),
                new Outcome("JSON round trip of an execution's input", "completed"),
                new Outcome("Step Functions DescribeExecution", "AwsCallException ExecutionDoesNotExist"),
                new Outcome("DynamoDB GetItem", "completed")), recover);
        assertEquals(before, state());
    }

    @Test
    void describeFunction_shouldPrimeItsClientThroughItsHandlerWithoutChangingAnything() {
        // GIVEN the stack as it started, and the describe function built as its package builds it
        List<Object> before = state();
        Environment env = environment(FunctionSettings.DESCRIBE);
        PersonalizeClient personalize = ClientFactory.forFunction(FunctionSettings.DESCRIBE, env)
                .build(PersonalizeClient.builder(), "PERSONALIZE");
        ImportJobWatch watch = new ImportJobWatch(personalize, PollPolicy.from(env), Clock.systemUTC());
        DescribeHandler handler = new DescribeHandler(personalize, PollPolicy.from(env), Clock.systemUTC());

        // WHEN it runs its priming
        List<Outcome> outcomes = Priming.describe(handler, watch, env).run();

        // THEN its handler described a job that does not exist, read a finished job's description, wrote its
        // result's JSON, and nothing changed
        assertEquals(List.of(new Outcome("Describe a job that does not exist", "DatasetImportJobNotFoundException"),
                new Outcome("Read a finished job's description", "completed"),
                new Outcome("Write an observation", "completed")), outcomes);
        assertEquals(before, state());
    }

    @Test
    void publishFunction_shouldPrimeTheDrainAndItsWritesWithoutChangingAnything() {
        // GIVEN the stack as it started, and the publish function's clients built as its package builds them
        List<Object> before = state();
        Environment env = environment(FunctionSettings.PUBLISH);
        ClientFactory clients = ClientFactory.forFunction(FunctionSettings.PUBLISH, env);
        Ledger ledger = new Ledger(clients.build(DynamoDbClient.builder(), "DYNAMODB"), LedgerTable.name(env),
                Clock.systemUTC());
        EventBridgeClient events = clients.build(EventBridgeClient.builder(), "EVENTBRIDGE");
        OutcomeReporter reporter = new OutcomeReporter(ledger, new EventPublisher(() -> events,
                EventPublisher.PIPELINE_BUS), Clock.systemUTC());

        // WHEN it runs its priming
        List<Outcome> outcomes = PublishPriming.of(reporter, ledger, events, env).run();

        // THEN it drained an empty outbox, its claim, release and removal found no item, and nothing changed
        assertEquals(List.of(new Outcome("Drain an outbox that holds no event", "completed"),
                new Outcome("DynamoDB UpdateItem of a claim, refused by its condition", "completed"),
                new Outcome("DynamoDB UpdateItem of a release, refused by its condition", "completed"),
                new Outcome("DynamoDB DeleteItem of an item that does not exist", "completed"),
                new Outcome("EventBridge PutEvents of no event", "AwsCallException ValidationException")), outcomes);
        assertEquals(before, state());
    }
}
