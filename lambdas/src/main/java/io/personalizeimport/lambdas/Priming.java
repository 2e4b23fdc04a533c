package io.personalizeimport.lambdas;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.amazonaws.services.lambda.runtime.serialization.factories.JacksonFactory;
import io.personalizeimport.lambdas.aws.AwsCallException;
import io.personalizeimport.lambdas.aws.ImportJobWatch;
import io.personalizeimport.lambdas.config.Environment;
import io.personalizeimport.lambdas.config.Patterns;
import io.personalizeimport.lambdas.errors.ConfigurationException;
import io.personalizeimport.lambdas.json.Json;
import java.io.ByteArrayInputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.crac.Context;
import org.crac.Core;
import org.crac.Resource;
import software.amazon.awssdk.services.personalize.model.DataSource;
import software.amazon.awssdk.services.personalize.model.DatasetImportJob;
import software.amazon.awssdk.services.personalize.model.DescribeDatasetImportJobResponse;

/**
 * SnapStart priming (docs/performance.md): before Lambda snapshots a function's initialized
 * JVM, the function runs what its first invocation would otherwise run cold (its handler on inputs it answers without
 * changing anything, a JSON round trip of the records it reads and writes, a read-only request on each of its SDK
 * clients), so every container restored from the snapshot starts with that code loaded and initialized.
 *
 * <p>Priming changes nothing: it describes an import job and an execution named {@value #NAME}, which the pipeline
 * never creates, reads the ledger, heads an object it never writes, and gives the handlers inputs they refuse or skip.
 * A step that fails is logged and never fails the snapshot; it only leaves its work to the first invocation.
 * {@link ImportPriming} holds the steps of the functions that import, so that this class names no client but
 * Personalize's: the describe function's package holds no other.
 */
public final class Priming implements Resource {

    public static final String IMPORT_JOB_ARN = "PRIMING_IMPORT_JOB_ARN";
    public static final String EXECUTION_ARN = "PRIMING_EXECUTION_ARN";
    /** The name of the import job, execution and dataset that priming reads; the pipeline never names one so. */
    public static final String NAME = "snapstart-priming";

    private static final Pattern EXECUTION_ARN_PATTERN =
            Pattern.compile("arn:([a-z\\d-]+):states:[^:]+:\\d{12}:execution:[0-9A-Za-z_-]{1,80}:[0-9A-Za-z_-]{1,80}");

    /** How often priming runs its steps at most before the snapshot, and for how long it starts new rounds. */
    static final int ROUNDS = 200;
    static final Duration ROUNDS_BUDGET = Duration.ofSeconds(5);

    /** Lambda's CRaC context holds its resources weakly: these stay reachable for the container's life. */
    private static final List<Priming> REGISTERED = new CopyOnWriteArrayList<>();

    private final FunctionSettings function;
    private final Supplier<List<Step>> steps;

    /**
     * @param steps what priming does, built only when it runs: a container that is never snapshot (no SnapStart, as on
     *     the local stack) spends nothing on it at init
     */
    public Priming(FunctionSettings function, Supplier<List<Step>> steps) {
        this.function = function;
        this.steps = steps;
    }

    /**
     * What priming reads in the function's own account and region: resources that never exist, which the functions'
     * roles may read (docs/performance.md, "Deployment packages and SnapStart").
     *
     * @param executionArn null for the describe function, which has no Step Functions client
     */
    public record Targets(String importJobArn, String executionArn) {

        public static Targets of(String partition, String region, String account) {
            String scope = ":" + region + ":" + account + ":";
            return new Targets("arn:" + partition + ":personalize" + scope + "dataset-import-job/" + NAME,
                    "arn:" + partition + ":states" + scope + "execution:" + NAME + ":" + NAME);
        }

        /** The targets set in the environment; the execution only where {@code withExecution}. */
        public static Targets from(Environment env, boolean withExecution) {
            String job = env.required(IMPORT_JOB_ARN, "an import job ARN in the function's account and region, like"
                    + " arn:aws:personalize:us-east-1:123456789012:dataset-import-job/" + NAME);
            if (!Patterns.IMPORT_JOB_ARN.matcher(job).matches()) {
                throw new ConfigurationException("Environment variable " + IMPORT_JOB_ARN + " is '" + job
                        + "': expected arn:aws:personalize:<region>:<account>:dataset-import-job/" + NAME);
            }
            if (!withExecution) {
                return new Targets(job, null);
            }
            String execution = env.required(EXECUTION_ARN, "an execution ARN in the function's account and region,"
                    + " like arn:aws:states:us-east-1:123456789012:execution:" + NAME + ":" + NAME);
            if (!EXECUTION_ARN_PATTERN.matcher(execution).matches()) {
                throw new ConfigurationException("Environment variable " + EXECUTION_ARN + " is '" + execution
                        + "': expected arn:aws:states:<region>:<account>:execution:" + NAME + ":" + NAME);
            }
            return new Targets(job, execution);
        }

        /** A dataset of the same account and region that does not exist, whose ledger partition is empty. */
        public String datasetArn() {
            return importJobArn.substring(0, importJobArn.indexOf("dataset-import-job/")) + "dataset/" + NAME + "/"
                    + NAME;
        }
    }

    /** One thing priming does. */
    public record Step(String name, Callable<?> work) {
    }

    /**
     * How a step ended: {@code completed}, or the exception it ended with and, for an AWS error, the service's code,
     * such as {@code AwsCallException ResourceNotFoundException}. Either is a warm-up: the code ran.
     */
    public record Outcome(String step, String result) {
    }

    /** Registers the priming with the runtime, which runs it before it takes the snapshot. */
    public static Priming register(Priming priming) {
        REGISTERED.add(priming);
        Core.getGlobalContext().register(priming);
        return priming;
    }

    /** Runs every step once, each to its end. */
    public List<Outcome> run() {
        return run(1, Duration.ZERO).getFirst();
    }

    /**
     * Runs every step in rounds, each to its end: the first round, then more while fewer than {@code rounds} ran and
     * {@code budget} has not passed since the start. Later rounds find the classes loaded; they run the same code
     * often enough for the JIT to compile its hot methods, and the snapshot holds the compiled code too.
     *
     * @return the outcomes of each round that ran
     */
    List<List<Outcome>> run(int rounds, Duration budget) {
        long start = System.nanoTime();
        List<Step> planned;
        try {
            planned = steps.get();
        } catch (RuntimeException e) {
            // A snapshot that is not primed still works; a hook that throws would fail the version's publication.
            return List.of(List.of(new Outcome("Plan the steps", e.getClass().getSimpleName())));
        }
        List<List<Outcome>> ran = new ArrayList<>();
        do {
            ran.add(runOnce(planned));
        } while (ran.size() < rounds && System.nanoTime() - start < budget.toNanos()
                && !Thread.currentThread().isInterrupted());
        return ran;
    }

    private static List<Outcome> runOnce(List<Step> planned) {
        List<Outcome> outcomes = new ArrayList<>();
        for (Step step : planned) {
            String result;
            try {
                step.work().call();
                result = "completed";
            } catch (AwsCallException e) {
                result = e.getClass().getSimpleName() + " " + e.code();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                outcomes.add(new Outcome(step.name(), "interrupted"));
                break;
            } catch (Exception e) {
                // Priming only warms: what a step ends with, even an error, is for the log, never for the snapshot.
                result = e.getClass().getSimpleName();
            }
            outcomes.add(new Outcome(step.name(), result));
        }
        return outcomes;
    }

    @Override
    public void beforeCheckpoint(Context<? extends Resource> context) {
        long start = System.nanoTime();
        List<List<Outcome>> rounds = run(ROUNDS, ROUNDS_BUDGET);
        FirstCallClasses.Loaded classes = FirstCallClasses.load(function);
        Log.info("Primed before the snapshot", "function", function.functionName(),
                "millis", (System.nanoTime() - start) / 1_000_000, "rounds", rounds.size(),
                "steps", rounds.getFirst().stream().map(outcome -> outcome.step() + ": " + outcome.result()).toList(),
                "firstCallClasses", classes.loaded(), "notLoaded", classes.failed());
    }

    @Override
    public void afterRestore(Context<? extends Resource> context) {
        // Nothing to redo: the clients read their credentials on every call and reconnect as needed.
    }

    /**
     * The describe function's priming: its handler on a job that does not exist, a finished job's description as
     * Personalize's answer holds it (built with the SDK's model, as the client reads an answer into it), and the JSON of
     * its result.
     */
    public static Priming describe(RequestStreamHandler handler, ImportJobWatch watch, Environment env) {
        Targets targets = Targets.from(env, false);
        return new Priming(FunctionSettings.DESCRIBE, () -> {
            byte[] input = Json.write(new DescribeHandler.Task(new DescribeHandler.State(targets.importJobArn(), null,
                    null, null), Instant.now().toString())).getBytes(StandardCharsets.UTF_8);
            var job = new ImportJobWatch.JobDescription(NAME, targets.importJobArn(), targets.datasetArn(),
                    "s3://bucket/" + NAME + ".csv", "FULL", ImportJobWatch.ACTIVE, null, Instant.EPOCH.toString(),
                    Instant.EPOCH.toString(), 0, 0, 1);
            return List.of(handle("Describe a job that does not exist", handler, input),
                    new Step("Read a finished job's description", () -> watch.observed(DescribeDatasetImportJobResponse
                            .builder().datasetImportJob(DatasetImportJob.builder().jobName(NAME)
                                    .datasetImportJobArn(targets.importJobArn()).datasetArn(targets.datasetArn())
                                    .dataSource(DataSource.builder().dataLocation(job.dataLocation()).build())
                                    .importMode(job.importMode()).status("CREATE FAILED").failureReason(NAME)
                                    .creationDateTime(Instant.EPOCH).lastUpdatedDateTime(Instant.EPOCH).build())
                            .build().datasetImportJob(), 1, Instant.now())),
                    jsonRoundTrip("Write an observation", new ImportJobWatch.Observation(job, 0, null)));
        });
    }

    /**
     * A step that writes each sample as JSON and reads it back as its type, so that the mapper has built its
     * serializer and deserializer for every type the samples hold before the snapshot.
     */
    public static Step jsonRoundTrip(String name, Object... samples) {
        return new Step(name, () -> {
            for (Object sample : samples) {
                Json.read(Json.write(sample), sample.getClass());
            }
            return null;
        });
    }

    /**
     * A step that runs a {@code RequestHandler} on an event as Lambda's Java runtime does: the event read from its JSON
     * and the result written as JSON with aws-lambda-java-serialization, which the runtime holds and would otherwise
     * load and build at the first invocation.
     */
    static <I, O> Step asRuntimeRuns(String name, RequestHandler<I, O> handler, Class<I> eventType, byte[] event,
                                     Class<O> resultType) {
        return new Step(name, () -> {
            PojoSerializer<I> reader;
            PojoSerializer<O> writer;
            try {
                ClassLoader loader = handler.getClass().getClassLoader();
                reader = LambdaEventSerializers.isLambdaSupportedEvent(eventType.getName())
                        ? LambdaEventSerializers.serializerFor(eventType, loader)
                        : JacksonFactory.getInstance().getSerializer(eventType);
                writer = JacksonFactory.getInstance().getSerializer(resultType);
            } catch (NoClassDefFoundError e) {
                throw new IllegalStateException("aws-lambda-java-serialization, which Lambda's Java runtime holds, is"
                        + " not on the classpath: " + e.getMessage(), e);
            }
            O result = handler.handleRequest(reader.fromJson(new ByteArrayInputStream(event)), null);
            writer.toJson(result, OutputStream.nullOutputStream());
            return null;
        });
    }

    /** A step that runs the handler on one input, as JSON, and drops what it writes. */
    static Step handle(String name, RequestStreamHandler handler, byte[] input) {
        return new Step(name, () -> {
            handler.handleRequest(new ByteArrayInputStream(input), OutputStream.nullOutputStream(), null);
            return null;
        });
    }
}
