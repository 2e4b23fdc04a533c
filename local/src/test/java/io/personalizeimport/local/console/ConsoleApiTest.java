package io.personalizeimport.local.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.personalizeimport.local.stack.LocalStack;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sfn.SfnClient;

/**
 * How the console's API refuses what it cannot take, before any request: its clients point at a port where nothing
 * listens, so a request made before the refusal would end in the SDK's connection error instead. What it does with
 * good input is tested against the local stack, in a browser and over HTTP ({@code tests/.../ConsoleBrowserTest}).
 */
class ConsoleApiTest {

    private static final byte[] CSV = "USER_ID,MEMBERSHIP,AGE\nu1,gold,30\n".getBytes(StandardCharsets.UTF_8);
    private static final URI NOWHERE = URI.create("http://127.0.0.1:1");

    private final ConsoleApi api;

    ConsoleApiTest() throws Exception {
        Path routes = Path.of(getClass().getResource("/routes/folder-and-two-routes-one-dataset.json").toURI());
        api = new ConsoleApi(new ConsoleApi.Sources(client(SfnClient.builder()), client(DynamoDbClient.builder()),
                client(S3Client.builder()), NOWHERE, "arn:aws:states:us-east-1:000000000000:stateMachine:m",
                LocalStack.BUCKET, LocalStack.LEDGER_TABLE, LocalStack.parseRoutes(Files.readString(routes)).routes()));
    }

    private static <B extends AwsClientBuilder<B, C>, C> C client(B builder) {
        return builder.region(Region.US_EAST_1).endpointOverride(NOWHERE)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .build();
    }

    @Test
    void uploadToUnknownRoute_shouldNameTheRoutes() {
        BadRequestException error = assertThrows(BadRequestException.class, () -> api.upload("nowhere", "a.csv", CSV));

        assertEquals("Unknown route 'nowhere': expected one of [clicks, exports, users]", error.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"users.json", "users.csv.gz", "../users.csv", "my users.csv", ".csv"})
    void uploadOfNameThatIsNoCsvFile_shouldBeRefused(String name) {
        BadRequestException error = assertThrows(BadRequestException.class, () -> api.upload("users", name, CSV));

        assertTrue(error.getMessage().contains("is not a CSV file name"), error.getMessage());
    }

    @Test
    void uploadOfEmptyFile_shouldBeRefused() {
        BadRequestException error = assertThrows(BadRequestException.class,
                () -> api.upload("users", "users.csv", new byte[0]));

        assertTrue(error.getMessage().contains("empty"), error.getMessage());
    }

    @Test
    void executionsWithUnknownStatus_shouldNameTheStatuses() {
        BadRequestException error = assertThrows(BadRequestException.class, () -> api.executions("DONE", null));

        assertTrue(error.getMessage().startsWith("Unknown status 'DONE': expected one of [RUNNING, SUCCEEDED"),
                error.getMessage());
    }
}
