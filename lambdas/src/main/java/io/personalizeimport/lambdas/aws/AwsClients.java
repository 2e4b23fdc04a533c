package io.personalizeimport.lambdas.aws;

import io.personalizeimport.lambdas.FunctionSettings;
import io.personalizeimport.lambdas.config.Environment;
import java.util.Objects;
import java.util.function.Supplier;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.personalize.PersonalizeClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sfn.SfnClient;

/**
 * The SDK clients of the functions that import (trigger, create, lane), built once per container by
 * {@link ClientFactory}: four at init, and the EventBridge client, which carries their outcome events, on the first
 * event to publish (most invocations publish none; SnapStart's priming builds it before the snapshot). The describe
 * function calls Personalize alone and builds only that client.
 */
public final class AwsClients {

    public static final String S3_FORCE_PATH_STYLE = "S3_FORCE_PATH_STYLE";

    private final PersonalizeClient personalize;
    private final S3Client s3;
    private final SfnClient sfn;
    private final DynamoDbClient dynamoDb;
    private final Supplier<EventBridgeClient> eventBridgeFactory;
    private volatile EventBridgeClient eventBridge;

    AwsClients(PersonalizeClient personalize, S3Client s3, SfnClient sfn, DynamoDbClient dynamoDb,
               Supplier<EventBridgeClient> eventBridgeFactory) {
        this.personalize = Objects.requireNonNull(personalize, "personalize");
        this.s3 = Objects.requireNonNull(s3, "s3");
        this.sfn = Objects.requireNonNull(sfn, "sfn");
        this.dynamoDb = Objects.requireNonNull(dynamoDb, "dynamoDb");
        this.eventBridgeFactory = Objects.requireNonNull(eventBridgeFactory, "eventBridgeFactory");
    }

    /** The clients of one function, each call bounded by the function's SDK timeouts ({@link FunctionSettings}). */
    public static AwsClients forFunction(FunctionSettings function, Environment env) {
        ClientFactory factory = ClientFactory.forFunction(function, env);
        return new AwsClients(
                factory.build(PersonalizeClient.builder(), "PERSONALIZE"),
                factory.build(S3Client.builder().forcePathStyle(env.flag(S3_FORCE_PATH_STYLE, false)), "S3"),
                factory.build(SfnClient.builder(), "SFN"),
                factory.build(DynamoDbClient.builder(), "DYNAMODB"),
                () -> factory.build(EventBridgeClient.builder(), "EVENTBRIDGE"));
    }

    public PersonalizeClient personalize() {
        return personalize;
    }

    public S3Client s3() {
        return s3;
    }

    public SfnClient sfn() {
        return sfn;
    }

    public DynamoDbClient dynamoDb() {
        return dynamoDb;
    }

    /** The EventBridge client, built on the first call. */
    public EventBridgeClient eventBridge() {
        EventBridgeClient built = eventBridge;
        if (built == null) {
            synchronized (this) {
                built = eventBridge;
                if (built == null) {
                    built = eventBridgeFactory.get();
                    eventBridge = built;
                }
            }
        }
        return built;
    }
}
