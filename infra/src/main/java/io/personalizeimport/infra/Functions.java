package io.personalizeimport.infra;

import io.personalizeimport.lambdas.FunctionEnvironment;
import io.personalizeimport.lambdas.FunctionSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import software.amazon.awscdk.Annotations;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.lambda.Alias;
import software.amazon.awscdk.services.lambda.Architecture;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.lambda.LoggingFormat;
import software.amazon.awscdk.services.lambda.Runtime;
import software.amazon.awscdk.services.lambda.SnapStartConf;
import software.amazon.awscdk.services.lambda.destinations.SqsDestination;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.amazon.awscdk.services.sqs.Queue;
import software.constructs.Construct;

/**
 * One function per {@link FunctionSettings} value, each with its own role, log group and deployment package
 * (docs/performance.md), SnapStart on its published versions, primed before each snapshot (Priming), behind the alias
 * that S3, EventBridge and the state machine invoke; and the dead-letter queue of the trigger, which S3 invokes.
 */
final class Functions extends Construct {

    /** The alias that S3 notifications and the state machine invoke, so they always reach a SnapStart version. */
    static final String ALIAS = "live";
    /** The function that S3 invokes asynchronously, so whose failed events go to the dead-letter queue. */
    static final FunctionSettings ASYNC = FunctionSettings.TRIGGER;
    /**
     * An S3-invoked function gets at most two retries within six hours (AWS Lambda Developer Guide, 'Asynchronous
     * invocation').
     */
    static final int RETRY_ATTEMPTS = FunctionSettings.TRIGGER_RETRY_ATTEMPTS;
    static final Duration MAX_EVENT_AGE = Duration.hours(FunctionSettings.TRIGGER_MAX_EVENT_AGE_HOURS);

    /**
     * @param environment the variables of every function (FunctionEnvironment)
     * @param packages the deployment package of each function, built before synthesis (RepositoryPaths.functionPackage)
     */
    record Props(FunctionEnvironment environment, Map<FunctionSettings, Path> packages, RetentionDays logRetention,
                 RemovalPolicy removalPolicy) {

        Props {
            PropsCheck.present(environment, "Functions.Props.environment", "the functions' FunctionEnvironment");
            PropsCheck.present(packages, "Functions.Props.packages", "a deployment package per FunctionSettings value");
            for (FunctionSettings settings : FunctionSettings.values()) {
                Path jar = packages.get(settings);
                PropsCheck.require(jar != null && Files.isRegularFile(jar), "Functions.Props.packages of "
                        + settings.functionName(), jar, "the function's built jar, " + settings.packagePath()
                        + " (mvn -pl lambdas package)");
            }
            PropsCheck.present(logRetention, "Functions.Props.logRetention", "a CloudWatch Logs retention period");
            PropsCheck.present(removalPolicy, "Functions.Props.removalPolicy", "RETAIN or DESTROY");
            packages = Map.copyOf(packages);
        }
    }

    /** A function as deployed: its role, and the function behind its alias. */
    record Deployed(Role role, Function function, Alias alias) {
    }

    private final Queue deadLetterQueue;
    private final Map<FunctionSettings, Deployed> functions = new EnumMap<>(FunctionSettings.class);

    Functions(Construct scope, String id, Props props) {
        super(scope, id);
        this.deadLetterQueue = DeadLetters.queue(this, "TriggerDeadLetterQueue");
        for (FunctionSettings settings : FunctionSettings.values()) {
            functions.put(settings, deploy(settings, props));
        }
    }

    private Deployed deploy(FunctionSettings settings, Props props) {
        String id = idOf(settings);
        Role role = Role.Builder.create(this, id + "Role")
                .assumedBy(new ServicePrincipal("lambda.amazonaws.com"))
                .build();
        LogGroup logs = LogGroup.Builder.create(this, id + "Logs")
                .retention(props.logRetention())
                .removalPolicy(props.removalPolicy())
                .build();
        logs.grant(role, "logs:CreateLogStream", "logs:PutLogEvents");
        Function function = Function.Builder.create(this, id + "Function")
                .description("Personalize import pipeline: " + settings.functionName())
                .runtime(Runtime.JAVA_25)
                .architecture(Architecture.ARM_64)
                .handler(settings.handler())
                .code(Code.fromAsset(props.packages().get(settings).toString()))
                .memorySize(settings.memoryMb())
                .timeout(Duration.seconds(settings.timeoutSeconds()))
                .snapStart(SnapStartConf.ON_PUBLISHED_VERSIONS)
                .loggingFormat(LoggingFormat.JSON)
                .logGroup(logs)
                .role(role)
                .environment(props.environment().variables(settings))
                .build();
        Annotations.of(function).acknowledgeWarning("@aws-cdk/aws-lambda:snapStartRequirePublish",
                "S3 and the state machine invoke the alias of a published version, never $LATEST");
        Alias.Builder alias = Alias.Builder.create(this, id + "Alias")
                .aliasName(ALIAS)
                .version(function.getCurrentVersion());
        if (settings == ASYNC) {
            alias.retryAttempts(RETRY_ATTEMPTS)
                    .maxEventAge(MAX_EVENT_AGE)
                    .onFailure(new SqsDestination(deadLetterQueue));
        }
        return new Deployed(role, function, alias.build());
    }

    /** The function's part of its resources' ids: Trigger for trigger, so TriggerRole, TriggerFunction, TriggerAlias. */
    static String idOf(FunctionSettings settings) {
        String name = settings.functionName();
        return name.substring(0, 1).toUpperCase(Locale.ROOT) + name.substring(1);
    }

    Role role(FunctionSettings settings) {
        return functions.get(settings).role();
    }

    /** The alias of the function's published version: what S3, EventBridge and the state machine invoke. */
    Alias alias(FunctionSettings settings) {
        return functions.get(settings).alias();
    }

    /** Adds a variable only known once the function exists, such as the ARN of the state machine it starts. */
    void addEnvironment(FunctionSettings settings, String name, String value) {
        functions.get(settings).function().addEnvironment(name, value);
    }

    /** The queue of the S3 events the trigger could not process after its retries. */
    Queue deadLetterQueue() {
        return deadLetterQueue;
    }
}
