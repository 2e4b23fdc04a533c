package io.personalizeimport.local.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.personalizeimport.local.stack.LocalStack;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.sfn.SfnClient;

/** The console's one write, a CSV put under a route's prefix, and how it refuses what it cannot take; no server. */
class ConsoleApiTest {

    private static final byte[] CSV = "USER_ID,MEMBERSHIP,AGE\nu1,gold,30\n".getBytes(StandardCharsets.UTF_8);

    /** An S3 client that keeps the keys it was asked to put. */
    private static final class RecordingS3 implements S3Client {
        final List<String> keys = new ArrayList<>();

        @Override
        public PutObjectResponse putObject(PutObjectRequest request, RequestBody body) {
            keys.add(request.key());
            return PutObjectResponse.builder().eTag("\"etag\"").build();
        }

        @Override
        public String serviceName() {
            return "s3";
        }

        @Override
        public void close() {
        }
    }

    private final RecordingS3 s3 = new RecordingS3();
    private final ConsoleApi api;

    ConsoleApiTest() throws Exception {
        Path routes = Path.of(getClass().getResource("/routes/folder-and-two-routes-one-dataset.json").toURI());
        api = new ConsoleApi(new ConsoleApi.Sources(new SfnStub(), new DynamoDbStub(), s3,
                URI.create("http://127.0.0.1:1"), "arn:aws:states:us-east-1:000000000000:stateMachine:m",
                LocalStack.BUCKET, LocalStack.LEDGER_TABLE, LocalStack.parseRoutes(Files.readString(routes)).routes()));
    }

    @Test
    void uploadToFileRoute_shouldPutTheFileUnderTheRoutesPrefix() {
        ConsoleApi.Upload upload = api.upload("users", "users-monday.csv", CSV);

        assertEquals(List.of("users/users-monday.csv"), s3.keys);
        assertEquals(LocalStack.demoDatasetArn("USERS"), upload.datasetArn());
        assertNull(upload.markerKey());
    }

    @Test
    void uploadToFolderRoute_shouldPutAOnePartFolderAndItsMarker() {
        ConsoleApi.Upload upload = api.upload("exports", "part-0000.csv", CSV);

        assertEquals(2, s3.keys.size());
        assertTrue(s3.keys.get(0).matches("exports/console-\\d{8}-\\d{6}-\\d{3}/part-0000\\.csv"), s3.keys.toString());
        assertEquals(s3.keys.get(0).replace("part-0000.csv", "_DONE"), s3.keys.get(1));
        assertEquals(s3.keys.get(1), upload.markerKey());
    }

    @Test
    void uploadToUnknownRoute_shouldNameTheRoutes() {
        BadRequestException error = assertThrows(BadRequestException.class, () -> api.upload("nowhere", "a.csv", CSV));

        assertEquals("Unknown route 'nowhere': expected one of [clicks, exports, users]", error.getMessage());
        assertTrue(s3.keys.isEmpty());
    }

    @ParameterizedTest
    @ValueSource(strings = {"users.json", "users.csv.gz", "../users.csv", "my users.csv", ".csv"})
    void uploadOfNameThatIsNoCsvFile_shouldBeRefused(String name) {
        BadRequestException error = assertThrows(BadRequestException.class, () -> api.upload("users", name, CSV));

        assertTrue(error.getMessage().contains("is not a CSV file name"), error.getMessage());
        assertTrue(s3.keys.isEmpty());
    }

    @Test
    void uploadOfEmptyFile_shouldBeRefused() {
        assertThrows(BadRequestException.class, () -> api.upload("users", "users.csv", new byte[0]));
        assertTrue(s3.keys.isEmpty());
    }

    @Test
    void executionsWithUnknownStatus_shouldNameTheStatuses() {
        BadRequestException error = assertThrows(BadRequestException.class, () -> api.executions("DONE", null));

        assertTrue(error.getMessage().startsWith("Unknown status 'DONE': expected one of [RUNNING, SUCCEEDED"),
                error.getMessage());
    }

    private static final class SfnStub implements SfnClient {
        @Override
        public String serviceName() {
            return "states";
        }

        @Override
        public void close() {
        }
    }

    private static final class DynamoDbStub implements DynamoDbClient {
        @Override
        public String serviceName() {
            return "dynamodb";
        }

        @Override
        public void close() {
        }
    }
}
