package io.personalizeimport.local.cli;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.personalizeimport.lambdas.config.Route;
import io.personalizeimport.local.s3.LocalS3Clients;
import io.personalizeimport.local.stack.LocalStack;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sfn.SfnClient;

/**
 * What a running {@code local/run up} tells the other commands: its endpoints, bucket and routes, written to
 * {@code <data dir>/stack.json} while it runs.
 */
public record StackFile(
        long pid,
        Map<String, URI> endpoints,
        String bucket,
        Path bucketFolder,
        String stateMachineArn,
        String region,
        String accessKey,
        String secretKey,
        List<RouteInfo> routes) {

    static final String FILE_NAME = "stack.json";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /**
     * A route as the trigger sees it.
     *
     * @param marker the marker object that completes a folder, for a folder route; null for a file route
     */
    public record RouteInfo(String name, String prefix, String datasetArn, String marker) {

        @JsonIgnore
        public boolean isFolderRoute() {
            return marker != null;
        }
    }

    public static StackFile of(LocalStack stack) {
        List<RouteInfo> routes = stack.routes().stream()
                .map(route -> new RouteInfo(route.name(), route.prefix(), route.datasetArn(),
                        route.group() == Route.Group.FOLDER ? route.marker() : null))
                .toList();
        return new StackFile(ProcessHandle.current().pid(), stack.endpoints(), LocalStack.BUCKET, stack.bucketFolder(),
                stack.stateMachineArn(), LocalStack.REGION, stack.s3().accessKey(), stack.s3().secretKey(), routes);
    }

    public void write(Path dataDir) throws IOException {
        Files.createDirectories(dataDir);
        Path temp = dataDir.resolve(FILE_NAME + ".tmp");
        MAPPER.writerWithDefaultPrettyPrinter().writeValue(temp.toFile(), this);
        Files.move(temp, dataDir.resolve(FILE_NAME), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    public static void delete(Path dataDir) throws IOException {
        Files.deleteIfExists(dataDir.resolve(FILE_NAME));
    }

    /** The running stack's file, or a failure that says how to start one. */
    public static StackFile read(Path dataDir) {
        return running(dataDir).orElseThrow(() -> new CommandFailedException("The local stack is not running on "
                + dataDir + ": start it with 'local/run up" + (dataDir.equals(Cli.defaultDataDir()) ? ""
                : " --data-dir " + dataDir) + "' in another terminal"));
    }

    /** The stack whose file is in {@code dataDir}, if its process is alive; a stale file counts as none. */
    public static Optional<StackFile> running(Path dataDir) {
        Path file = dataDir.resolve(FILE_NAME);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        StackFile stack;
        try {
            stack = MAPPER.readValue(file.toFile(), StackFile.class);
        } catch (IOException e) {
            throw new CommandFailedException("Cannot read " + file + ": " + e.getMessage(), e);
        }
        return ProcessHandle.of(stack.pid()).filter(ProcessHandle::isAlive).map(process -> stack);
    }

    public RouteInfo route(String name) {
        return routes.stream().filter(route -> route.name().equals(name)).findFirst()
                .orElseThrow(() -> new UsageException("unknown route '" + name + "'; the routes are "
                        + routes.stream().map(RouteInfo::name).toList()));
    }

    public S3Client s3Client() {
        return LocalS3Clients.client(endpoints.get("s3"), Region.of(region), credentials());
    }

    public SfnClient sfnClient() {
        return SfnClient.builder().endpointOverride(endpoints.get("stepfunctions"))
                .region(Region.of(region)).credentialsProvider(credentials())
                .httpClient(UrlConnectionHttpClient.create()).build();
    }

    /** A client of the stack's DynamoDB Local, where the import ledger is. */
    public DynamoDbClient dynamoDbClient() {
        URI endpoint = endpoints.get("dynamodb");
        if (endpoint == null) {
            throw new CommandFailedException("The running stack (process " + pid + ") has no DynamoDB endpoint: it was"
                    + " started by an older local/run; stop it and start it again");
        }
        return DynamoDbClient.builder().endpointOverride(endpoint)
                .region(Region.of(region)).credentialsProvider(credentials())
                .httpClient(UrlConnectionHttpClient.create()).build();
    }

    private StaticCredentialsProvider credentials() {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey));
    }
}
