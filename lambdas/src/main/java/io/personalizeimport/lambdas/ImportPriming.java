package io.personalizeimport.lambdas;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import io.personalizeimport.lambdas.Priming.Step;
import io.personalizeimport.lambdas.Priming.Targets;
import io.personalizeimport.lambdas.aws.AwsCall;
import io.personalizeimport.lambdas.aws.AwsClients;
import io.personalizeimport.lambdas.aws.Preflight;
import io.personalizeimport.lambdas.config.Environment;
import io.personalizeimport.lambdas.config.PipelineConfig;
import io.personalizeimport.lambdas.config.Route;
import io.personalizeimport.lambdas.domain.ImportRequest;
import io.personalizeimport.lambdas.domain.ImportSource;
import io.personalizeimport.lambdas.domain.JobNames;
import io.personalizeimport.lambdas.domain.MonitorInput;
import io.personalizeimport.lambdas.domain.S3Object;
import io.personalizeimport.lambdas.ledger.Ledger;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The {@link Priming} of the functions that import: trigger, create and lane. Each gets its handler on an input it
 * answers without a change anywhere, a JSON round trip of an execution's input, and a read-only request on each of
 * its clients but EventBridge, which it only builds. The objects and resources it names are under the first route's
 * prefix and called {@value Priming#NAME}: no notification routes such a key (it is no CSV), and the pipeline never
 * creates them.
 */
final class ImportPriming {

    private ImportPriming() {
    }

    /** The trigger on an event whose only record is skipped once its route is found. */
    static Priming trigger(RequestStreamHandler handler, PipelineConfig config, AwsClients clients, Ledger ledger,
                           Environment env) {
        Targets targets = Targets.from(env, true);
        return new Priming(FunctionSettings.TRIGGER, () -> {
            List<Step> steps = new ArrayList<>();
            steps.add(Priming.handle("Skip an object that is no CSV", handler, skippedEvent(config)));
            steps.addAll(common(config, clients, ledger, targets));
            return steps;
        });
    }

    /** An event whose only record is an object under the first route's prefix that is no CSV. */
    private static byte[] skippedEvent(PipelineConfig config) {
        Route route = config.routes().routes().getFirst();
        return JsonText.write(Map.of("Records", List.of(Map.of(
                "eventVersion", "2.1",
                "eventTime", Instant.now().toString(),
                "eventName", "ObjectCreated:Put",
                "s3", Map.of(
                        "bucket", Map.of("name", config.dataBucket()),
                        "object", Map.of("key", key(route), "size", 1, "eTag", Priming.NAME, "sequencer", "0"))))));
    }

    /** The create task on an operator's request for an object that is no CSV, which it refuses before any request. */
    static Priming create(RequestStreamHandler handler, PipelineConfig config, AwsClients clients, Ledger ledger,
                          Environment env) {
        Targets targets = Targets.from(env, true);
        return new Priming(FunctionSettings.CREATE, () -> {
            byte[] input = JsonText.write(Map.of(
                    "input", Map.of("bucket", config.dataBucket(), "key", key(config.routes().routes().getFirst())),
                    "executionName", Priming.NAME,
                    "executionStartTime", Instant.now().toString()));
            List<Step> steps = new ArrayList<>();
            steps.add(Priming.handle("Refuse a request for an object that is no CSV", handler, input));
            steps.addAll(common(config, clients, ledger, targets));
            return steps;
        });
    }

    /** The lane task checking the marker of a folder that no file is in, which reads the ledger. */
    static Priming lane(RequestStreamHandler handler, PipelineConfig config, AwsClients clients, Ledger ledger,
                        Environment env) {
        Targets targets = Targets.from(env, true);
        return new Priming(FunctionSettings.LANE, () -> {
            Route route = config.routes().routes().getFirst();
            MonitorInput.FolderWatch watch = new MonitorInput.FolderWatch(targets.datasetArn(), config.dataBucket(),
                    key(route) + "/", route.name(), route.marker(), 0);
            byte[] input = JsonText.write(Map.of("input", Map.of("folderWatch", watch)));
            List<Step> steps = new ArrayList<>();
            steps.add(Priming.handle("Check the marker of a folder without files", handler, input));
            steps.addAll(common(config, clients, ledger, targets));
            return steps;
        });
    }

    /** An execution's input as the three write it, and one read-only request per client. */
    private static List<Step> common(PipelineConfig config, AwsClients clients, Ledger ledger, Targets targets) {
        Route route = config.routes().routes().getFirst();
        String key = key(route);
        S3Object object = new S3Object(config.dataBucket(), key, null, Priming.NAME, 1);
        ImportRequest request = new ImportRequest(JobNames.forWrite(route.name(), object, "0"), route.datasetArn(),
                object.location(), route.roleArn(), route.importMode(), route.tags(),
                route.publishAttributionMetricsToS3());
        MonitorInput input = new MonitorInput(request.jobArn(), request, ImportSource.of(object, route.name()), null,
                new MonitorInput.LaneTicket(route.datasetArn(), List.of(Priming.NAME), List.of(key)), null);
        return List.of(
                new Step("JSON round trip of an execution's input",
                        () -> JsonText.read(JsonText.parse(JsonText.toJson(input)), MonitorInput.class)),
                new Step("Personalize DescribeDatasetImportJob", () -> AwsCall.personalize("DescribeDatasetImportJob",
                        Priming.NAME).run(() -> clients.personalize().describeDatasetImportJob(
                                describe -> describe.datasetImportJobArn(targets.importJobArn())))),
                new Step("S3 GetObject of a file's first bytes", () -> new Preflight(clients.s3(),
                        clients.personalize(), Clock.systemUTC()).head(config.dataBucket(), key)),
                new Step("Step Functions DescribeExecution", () -> AwsCall.stepFunctions("DescribeExecution",
                        Priming.NAME).run(() -> clients.sfn().describeExecution(
                                describe -> describe.executionArn(targets.executionArn())))),
                new Step("DynamoDB GetItem", () -> ledger.lane(targets.datasetArn())),
                new Step("DynamoDB Query of a lane", () -> ledger.laneView(targets.datasetArn())),
                // Built on demand otherwise: PutEvents changes state, so the client is built but not called.
                new Step("EventBridge client", clients::eventBridge));
    }

    /** A key under the route's prefix that no notification routes and no file has. */
    private static String key(Route route) {
        return route.prefix() + Priming.NAME;
    }
}
