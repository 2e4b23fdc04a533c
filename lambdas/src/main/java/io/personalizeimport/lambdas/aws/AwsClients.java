package io.personalizeimport.lambdas.aws;

import io.personalizeimport.lambdas.FunctionSettings;
import io.personalizeimport.lambdas.config.Environment;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.personalize.PersonalizeClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sfn.SfnClient;

/**
 * The SDK clients of the functions that import (trigger, create, lane), built once at init by {@link ClientFactory};
 * EventBridge carries their outcome events. The describe function calls Personalize alone and builds only that client.
 */
public record AwsClients(PersonalizeClient personalize, S3Client s3, SfnClient sfn, DynamoDbClient dynamoDb,
                         EventBridgeClient eventBridge) {

    public static final String S3_FORCE_PATH_STYLE = "S3_FORCE_PATH_STYLE";

    /** The clients of one function, each call bounded by the function's SDK timeouts ({@link FunctionSettings}). */
    public static AwsClients forFunction(FunctionSettings function, Environment env) {
        ClientFactory factory = ClientFactory.forFunction(function, env);
        return new AwsClients(
                factory.build(PersonalizeClient.builder(), "PERSONALIZE"),
                factory.build(S3Client.builder().forcePathStyle(env.flag(S3_FORCE_PATH_STYLE, false)), "S3"),
                factory.build(SfnClient.builder(), "SFN"),
                factory.build(DynamoDbClient.builder(), "DYNAMODB"),
                factory.build(EventBridgeClient.builder(), "EVENTBRIDGE"));
    }
}
