package io.personalizeimport.lambdas;

import com.amazonaws.services.lambda.runtime.events.S3Event;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import io.personalizeimport.lambdas.Priming.Step;
import io.personalizeimport.lambdas.Priming.Targets;
import io.personalizeimport.lambdas.aws.AwsCall;
import io.personalizeimport.lambdas.aws.AwsClients;
import io.personalizeimport.lambdas.config.Environment;
import io.personalizeimport.lambdas.config.PipelineConfig;
import io.personalizeimport.lambdas.config.Route;
import io.personalizeimport.lambdas.config.Staging;
import io.personalizeimport.lambdas.domain.ImportRequest;
import io.personalizeimport.lambdas.domain.ImportSource;
import io.personalizeimport.lambdas.domain.JobNames;
import io.personalizeimport.lambdas.domain.MonitorInput;
import io.personalizeimport.lambdas.domain.S3Object;
import io.personalizeimport.lambdas.json.Json;
import io.personalizeimport.lambdas.lane.CsvRecords;
import io.personalizeimport.lambdas.lane.Releases;
import io.personalizeimport.lambdas.ledger.Ledger;
import io.personalizeimport.lambdas.ledger.LedgerTable;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * The {@link Priming} of the functions that import: each runs its handler on an input it answers without a change
 * anywhere, round-trips the records it reads and writes through Jackson, sends a read-only request on each of its
 * clients, and the writes it makes in a form each service refuses. What it names is under the first route's prefix and called
 * {@value Priming#NAME}: no notification routes such a key (it is no CSV), and the pipeline never creates them.
 */
final class ImportPriming {

    private ImportPriming() {
    }

    /** The trigger on an event whose only record is skipped once its route is found. */
    static Priming trigger(TriggerHandler handler, Pipeline pipeline, Environment env) {
        Targets targets = Targets.from(env, true);
        return new Priming(FunctionSettings.TRIGGER, () -> steps(Priming.asRuntimeRuns("Skip an object that is no CSV",
                handler, S3Event.class, skippedEvent(pipeline.config()), TriggerHandler.Summary.class), pipeline,
                targets));
    }

    /** The create task on an operator's request for an object that is no CSV, which it refuses before any request. */
    static Priming create(CreateHandler handler, Pipeline pipeline, Environment env) {
        Targets targets = Targets.from(env, true);
        return new Priming(FunctionSettings.CREATE, () -> {
            PipelineConfig config = pipeline.config();
            byte[] task = Json.write(new CreateHandler.Task(Json.mapper().valueToTree(Map.of("bucket",
                    config.dataBucket(), "key", key(config))), Priming.NAME, Instant.now().toString(),
                    stateMachine(targets))).getBytes(StandardCharsets.UTF_8);
            return steps(Priming.handle("Refuse a request for an object that is no CSV", handler, task), pipeline,
                    targets);
        });
    }

    /** The verdict task on a folder watch whose folder no file is in, which reads the ledger and writes nothing. */
    static Priming finish(FinishHandler handler, Pipeline pipeline, Environment env) {
        Targets targets = Targets.from(env, true);
        return new Priming(FunctionSettings.FINISH, () -> {
            PipelineConfig config = pipeline.config();
            Route route = config.routes().routes().getFirst();
            var watch = new MonitorInput.FolderWatch(targets.datasetArn(), config.dataBucket(), key(config) + "/",
                    route.name(), route.marker(), 0);
            byte[] task = Json.write(new FinishHandler.Task(Json.mapper().valueToTree(Map.of("folderWatch", watch)),
                    Priming.NAME, stateMachine(targets))).getBytes(StandardCharsets.UTF_8);
            return steps(Priming.handle("Find no marker in a folder without files", handler, task), pipeline, targets);
        });
    }

    /** The recovery of an execution whose dataset's lane is free, which reads the lane and writes nothing. */
    static Priming recover(RecoveryHandler handler, Pipeline pipeline, Environment env) {
        Targets targets = Targets.from(env, true);
        return new Priming(FunctionSettings.RECOVER, () -> {
            byte[] event = Json.write(Map.of("version", "0", "id", Priming.NAME, "source", "aws.states",
                    "detail-type", "Step Functions Execution Status Change", "time", Instant.now().toString(),
                    "detail", Map.of("name", Priming.NAME, "stateMachineArn", stateMachine(targets), "status", "FAILED",
                            "input", Json.write(Map.of("lane", Map.of("datasetArn", targets.datasetArn()))))))
                    .getBytes(StandardCharsets.UTF_8);
            AwsClients clients = pipeline.clients();
            // Its role reads the ledger and the executions only: nothing of Personalize, S3 or the bus to warm.
            return List.of(Priming.asRuntimeRuns("Find the lane of an ended execution free", handler,
                            ScheduledEvent.class, event, Releases.Recovered.class),
                    Priming.jsonRoundTrip("JSON round trip of an execution's input", input(pipeline.config())),
                    new Step("Step Functions DescribeExecution", () -> AwsCall.stepFunctions("DescribeExecution",
                            Priming.NAME).run(() -> clients.sfn().describeExecution(
                                    describe -> describe.executionArn(targets.executionArn())))),
                    new Step("DynamoDB GetItem", () -> pipeline.ledger().lane(targets.datasetArn())));
        });
    }

    /** The handler's step, then a JSON round trip of an execution's input and one read-only request per client. */
    private static List<Step> steps(Step handler, Pipeline pipeline, Targets targets) {
        PipelineConfig config = pipeline.config();
        AwsClients clients = pipeline.clients();
        List<Step> steps = new ArrayList<>(List.of(handler,
                Priming.jsonRoundTrip("JSON round trip of an execution's input", input(config)),
                new Step("Personalize DescribeDatasetImportJob", () -> AwsCall.personalize("DescribeDatasetImportJob",
                        Priming.NAME).run(() -> clients.personalize().describeDatasetImportJob(
                                describe -> describe.datasetImportJobArn(targets.importJobArn())))),
                new Step("S3 GetObject of a file's first bytes", () -> pipeline.objects()
                        .head(config.dataBucket(), key(config), 1)),
                new Step("Step Functions DescribeExecution", () -> AwsCall.stepFunctions("DescribeExecution",
                        Priming.NAME).run(() -> clients.sfn().describeExecution(
                                describe -> describe.executionArn(targets.executionArn())))),
                new Step("DynamoDB GetItem", () -> pipeline.ledger().lane(targets.datasetArn())),
                new Step("DynamoDB Query of a lane", () -> pipeline.ledger().laneView(targets.datasetArn()))));
        steps.addAll(refusedWrites(pipeline, targets));
        return steps;
    }

    /**
     * The writes the functions make, each sent so that the service refuses it and nothing changes: the first real
     * invocation otherwise meets their request and response shapes cold. A condition on an item that never exists, a
     * job into a dataset that does not exist, an execution of a state machine that does not exist, no event, a copy of
     * an object that does not exist. The first route's dataset and schema are read for real.
     */
    private static List<Step> refusedWrites(Pipeline pipeline, Targets targets) {
        PipelineConfig config = pipeline.config();
        AwsClients clients = pipeline.clients();
        Route route = config.routes().routes().getFirst();
        Map<String, AttributeValue> nowhere = Map.of(LedgerTable.PARTITION_KEY,
                AttributeValue.fromS(Ledger.partition(targets.datasetArn())), LedgerTable.SORT_KEY,
                AttributeValue.fromS(Priming.NAME));
        String never = "attribute_exists(" + LedgerTable.PARTITION_KEY + ")";
        return List.of(
                new Step("Personalize DescribeDataset and DescribeSchema", () -> AwsCall.personalize("DescribeSchema",
                        route.datasetArn()).run(() -> clients.personalize().describeSchema(schema -> schema.schemaArn(
                                clients.personalize().describeDataset(dataset -> dataset.datasetArn(route.datasetArn()))
                                        .dataset().schemaArn())))),
                new Step("Preflight of a sample of the first route's columns, held in memory", () -> {
                    pipeline.preflight().checkSample(route.datasetArn(), config.dataBucket())
                            .ifPresent(problem -> Log.warn("Priming's sample failed its own check", "problem", problem));
                    return CsvRecords.count(new java.io.ByteArrayInputStream(("H\n" + Priming.NAME + "\n")
                            .getBytes(StandardCharsets.UTF_8)), 1_000);
                }),
                new Step("Personalize CreateDatasetImportJob refused", () -> AwsCall.personalize(
                        "CreateDatasetImportJob", Priming.NAME).run(() -> clients.personalize().createDatasetImportJob(
                                job -> job.jobName(Priming.NAME).datasetArn(targets.datasetArn()).roleArn(route.roleArn())
                                        .dataSource(source -> source.dataLocation("s3://" + config.dataBucket() + "/"
                                                + key(config)))))),
                new Step("DynamoDB UpdateItem refused by its condition", () -> AwsCall.dynamoDb("UpdateItem",
                        Priming.NAME).run(() -> clients.dynamoDb().updateItem(update -> update
                                .tableName(pipeline.ledgerTable()).key(nowhere).updateExpression("SET primed = :true")
                                .conditionExpression(never)
                                .expressionAttributeValues(Map.of(":true", AttributeValue.fromBool(true)))))),
                new Step("DynamoDB TransactWriteItems refused by its condition", () -> AwsCall.dynamoDb(
                        "TransactWriteItems", Priming.NAME).run(() -> clients.dynamoDb().transactWriteItems(
                                transaction -> transaction.transactItems(TransactWriteItem.builder().update(update ->
                                        update.tableName(pipeline.ledgerTable()).key(nowhere)
                                                .updateExpression("SET primed = :true").conditionExpression(never)
                                                .expressionAttributeValues(Map.of(":true",
                                                        AttributeValue.fromBool(true)))).build())))),
                new Step("Step Functions StartExecution refused", () -> AwsCall.stepFunctions("StartExecution",
                        Priming.NAME).run(() -> clients.sfn().startExecution(start -> start
                                .stateMachineArn(stateMachine(targets)).name(Priming.NAME).input("{}")))),
                new Step("EventBridge PutEvents of no event", () -> AwsCall.eventBridge("PutEvents", Priming.NAME)
                        .run(() -> clients.eventBridge().putEvents(put -> put.entries(List.of())))),
                new Step("S3 CopyObject of an object that does not exist", () -> AwsCall.s3("CopyObject",
                        Priming.NAME).run(() -> clients.s3().copyObject(copy -> copy.sourceBucket(config.dataBucket())
                                .sourceKey(key(config)).copySourceIfMatch(Priming.NAME)
                                .destinationBucket(config.dataBucket())
                                .destinationKey(Staging.PREFIX + Priming.NAME + "/" + Priming.NAME)))));
    }

    /** An execution's input as the lane writes it, for a file under the first route's prefix. */
    private static MonitorInput.LaneImport input(PipelineConfig config) {
        Route route = config.routes().routes().getFirst();
        S3Object object = new S3Object(config.dataBucket(), key(config), null, Priming.NAME, 1);
        ImportRequest request = new ImportRequest(JobNames.forWrite(route.name(), object, "0"), route.datasetArn(),
                object.location(), route.roleArn(), route.importMode(), route.tags(),
                route.publishAttributionMetricsToS3());
        return new MonitorInput.LaneImport(request.jobArn(), request, ImportSource.of(object, route.name()),
                new MonitorInput.LaneTicket(route.datasetArn(), List.of(Priming.NAME), List.of(object.key()),
                        Instant.EPOCH));
    }

    /** An event whose only record is an object under the first route's prefix that is no CSV. */
    private static byte[] skippedEvent(PipelineConfig config) {
        Map<String, Object> object = Map.of("key", key(config), "size", 1, "eTag", Priming.NAME, "sequencer", "0");
        Map<String, Object> record = Map.of("eventVersion", "2.1", "eventSource", "aws:s3",
                "eventTime", Instant.now().toString(), "eventName", "ObjectCreated:Put",
                "s3", Map.of("s3SchemaVersion", "1.0", "bucket", Map.of("name", config.dataBucket()), "object", object));
        return Json.write(Map.of("Records", List.of(record))).getBytes(StandardCharsets.UTF_8);
    }

    /** The state machine the targets' execution belongs to. */
    private static String stateMachine(Targets targets) {
        String execution = targets.executionArn();
        return execution.substring(0, execution.lastIndexOf(':')).replace(":execution:", ":stateMachine:");
    }

    /** A key under the first route's prefix that no notification routes and no file has. */
    private static String key(PipelineConfig config) {
        return config.routes().routes().getFirst().prefix() + Priming.NAME;
    }
}
