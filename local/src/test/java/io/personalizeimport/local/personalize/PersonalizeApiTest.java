package io.personalizeimport.local.personalize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.personalizeimport.local.testing.SdkClients;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.personalize.PersonalizeClient;
import software.amazon.awssdk.services.personalize.model.CreateDatasetImportJobRequest;
import software.amazon.awssdk.services.personalize.model.Dataset;
import software.amazon.awssdk.services.personalize.model.DatasetGroup;
import software.amazon.awssdk.services.personalize.model.DatasetImportJobSummary;
import software.amazon.awssdk.services.personalize.model.DatasetSchema;
import software.amazon.awssdk.services.personalize.model.DatasetSummary;
import software.amazon.awssdk.services.personalize.model.Domain;
import software.amazon.awssdk.services.personalize.model.InvalidInputException;
import software.amazon.awssdk.services.personalize.model.ListDatasetImportJobsResponse;
import software.amazon.awssdk.services.personalize.model.ResourceAlreadyExistsException;
import software.amazon.awssdk.services.personalize.model.ResourceNotFoundException;
import software.amazon.awssdk.services.personalize.model.Tag;
import software.amazon.awssdk.services.personalize.model.TooManyTagsException;

/** The synchronous operations, driven by the real PersonalizeClient; no S3 involved. */
class PersonalizeApiTest {

    private static final String GROUP_ARN = "arn:aws:personalize:us-east-1:000000000000:dataset-group/shop";
    private static final String DATASET_ARN = "arn:aws:personalize:us-east-1:000000000000:dataset/shop/INTERACTIONS";

    private PersonalizeEmulator emulator;
    private PersonalizeClient client;

    @BeforeEach
    void start() {
        // A long step keeps every job pending: these tests look at the API, not the import.
        emulator = PersonalizeEmulator.builder().stepMillis(60_000).build().start();
        client = SdkClients.personalize(emulator.endpoint(), Region.US_EAST_1);
    }

    @AfterEach
    void stop() {
        client.close();
        emulator.close();
    }

    private String createInteractionsDataset() {
        client.createDatasetGroup(b -> b.name("shop"));
        String schemaArn = client.createSchema(b -> b.name("shop-interactions")
                .schema(EmulatorHarness.INTERACTIONS_SCHEMA)).schemaArn();
        return client.createDataset(b -> b.name("shop-interactions").datasetGroupArn(GROUP_ARN).schemaArn(schemaArn)
                .datasetType("Interactions")).datasetArn();
    }

    @Test
    void datasetGroup_shouldBeCreatedAndDescribed() {
        // WHEN a domain dataset group is created
        var created = client.createDatasetGroup(b -> b.name("shop").domain(Domain.ECOMMERCE));
        DatasetGroup group = client.describeDatasetGroup(b -> b.datasetGroupArn(GROUP_ARN)).datasetGroup();

        // THEN its ARN follows Personalize's format and it is ACTIVE
        assertEquals(GROUP_ARN, created.datasetGroupArn());
        assertEquals(Domain.ECOMMERCE, created.domain());
        assertEquals("shop", group.name());
        assertEquals("ACTIVE", group.status());
        assertEquals(Domain.ECOMMERCE, group.domain());
        assertNotNull(group.creationDateTime());
    }

    @Test
    void schema_shouldBeCreatedAndDescribedWithItsText() {
        String arn = client.createSchema(b -> b.name("users").schema(EmulatorHarness.USERS_SCHEMA)).schemaArn();

        DatasetSchema schema = client.describeSchema(b -> b.schemaArn(arn)).schema();

        assertEquals("arn:aws:personalize:us-east-1:000000000000:schema/users", arn);
        assertEquals(EmulatorHarness.USERS_SCHEMA, schema.schema());
        assertEquals("users", schema.name());
    }

    @Test
    void dataset_shouldBeCreatedDescribedAndListedWithTheTypeInItsArn() {
        String arn = createInteractionsDataset();

        Dataset dataset = client.describeDataset(b -> b.datasetArn(arn)).dataset();
        List<DatasetSummary> listed = client.listDatasets(b -> b.datasetGroupArn(GROUP_ARN)).datasets();

        assertEquals(DATASET_ARN, arn);
        assertEquals("INTERACTIONS", dataset.datasetType());
        assertEquals(GROUP_ARN, dataset.datasetGroupArn());
        assertEquals("ACTIVE", dataset.status());
        assertEquals(List.of(arn), listed.stream().map(DatasetSummary::datasetArn).toList());
    }

    @Test
    void updateDataset_shouldReplaceTheSchemaOfADataset() {
        // GIVEN an interactions dataset and a second, compatible schema with one more field
        String datasetArn = createInteractionsDataset();
        String wider = client.createSchema(b -> b.name("shop-interactions-v2").schema(EmulatorHarness.INTERACTIONS_SCHEMA
                .replace("{\"name\": \"TIMESTAMP\"", "{\"name\": \"EVENT_TYPE\", \"type\": \"string\"}, "
                        + "{\"name\": \"TIMESTAMP\""))).schemaArn();

        // WHEN the dataset is updated to it
        String updated = client.updateDataset(b -> b.datasetArn(datasetArn).schemaArn(wider)).datasetArn();

        // THEN the dataset names the new schema
        assertEquals(datasetArn, updated);
        assertEquals(wider, client.describeDataset(b -> b.datasetArn(datasetArn)).dataset().schemaArn());
    }

    @Test
    void updateDataset_shouldRefuseAnIncompatibleSchemaAndADatasetBusyImporting() {
        // GIVEN an interactions dataset with an import pending, and a users schema
        String datasetArn = createInteractionsDataset();
        String users = client.createSchema(b -> b.name("users").schema(EmulatorHarness.USERS_SCHEMA)).schemaArn();
        String same = "arn:aws:personalize:us-east-1:000000000000:schema/shop-interactions";
        client.createDatasetImportJob(job("pending", datasetArn));

        // WHEN the dataset is updated to the users schema, and to its own schema while the import is pending
        InvalidInputException incompatible = assertThrows(InvalidInputException.class,
                () -> client.updateDataset(b -> b.datasetArn(datasetArn).schemaArn(users)));
        var busy = assertThrows(software.amazon.awssdk.services.personalize.model.ResourceInUseException.class,
                () -> client.updateDataset(b -> b.datasetArn(datasetArn).schemaArn(same)));

        // THEN each is refused, saying why
        assertTrue(incompatible.awsErrorDetails().errorMessage().contains("has no ITEM_ID field"),
                incompatible.awsErrorDetails().errorMessage());
        assertTrue(busy.awsErrorDetails().errorMessage().contains("is CREATE PENDING"), busy.awsErrorDetails().errorMessage());
    }

    @Test
    void importJobs_shouldBeListedNewestFirstWithoutSourceAndPaged() {
        // GIVEN two jobs on two datasets
        String interactions = createInteractionsDataset();
        String usersSchema = client.createSchema(b -> b.name("users").schema(EmulatorHarness.USERS_SCHEMA)).schemaArn();
        String users = client.createDataset(b -> b.name("users").datasetGroupArn(GROUP_ARN).schemaArn(usersSchema)
                .datasetType("USERS")).datasetArn();
        client.createDatasetImportJob(job("first", interactions));
        client.createDatasetImportJob(job("second", users));

        // WHEN listed one per page
        ListDatasetImportJobsResponse page1 = client.listDatasetImportJobs(b -> b.maxResults(1));
        ListDatasetImportJobsResponse page2 = client.listDatasetImportJobs(b -> b.maxResults(1)
                .nextToken(page1.nextToken()));
        List<DatasetImportJobSummary> ofUsers = client.listDatasetImportJobs(b -> b.datasetArn(users))
                .datasetImportJobs();

        // THEN newest first, the second page ends the list, and the dataset filter applies
        assertEquals("second", page1.datasetImportJobs().getFirst().jobName());
        assertEquals("first", page2.datasetImportJobs().getFirst().jobName());
        assertEquals(null, page2.nextToken());
        assertEquals(List.of("second"), ofUsers.stream().map(DatasetImportJobSummary::jobName).toList());
        assertEquals("CREATE PENDING", ofUsers.getFirst().status());
    }

    @Test
    void sameNames_shouldBeResourceAlreadyExists() {
        String datasetArn = createInteractionsDataset();
        client.createDatasetImportJob(job("once", datasetArn));

        assertThrows(ResourceAlreadyExistsException.class, () -> client.createDatasetGroup(b -> b.name("shop")));
        assertThrows(ResourceAlreadyExistsException.class, () -> client.createSchema(b -> b.name("shop-interactions")
                .schema(EmulatorHarness.INTERACTIONS_SCHEMA)));
        assertThrows(ResourceAlreadyExistsException.class, () -> client.createDataset(b -> b.name("again")
                .datasetGroupArn(GROUP_ARN).datasetType("interactions")
                .schemaArn("arn:aws:personalize:us-east-1:000000000000:schema/shop-interactions")));
        assertThrows(ResourceAlreadyExistsException.class, () -> client.createDatasetImportJob(job("once", datasetArn)));
    }

    @Test
    void unknownArns_shouldBeResourceNotFound() {
        String missing = "arn:aws:personalize:us-east-1:000000000000:dataset/nope/USERS";

        assertThrows(ResourceNotFoundException.class, () -> client.describeDatasetGroup(b -> b.datasetGroupArn(
                "arn:aws:personalize:us-east-1:000000000000:dataset-group/nope")));
        assertThrows(ResourceNotFoundException.class, () -> client.describeSchema(b -> b.schemaArn(
                "arn:aws:personalize:us-east-1:000000000000:schema/nope")));
        assertThrows(ResourceNotFoundException.class, () -> client.describeDataset(b -> b.datasetArn(missing)));
        assertThrows(ResourceNotFoundException.class, () -> client.describeDatasetImportJob(b -> b
                .datasetImportJobArn("arn:aws:personalize:us-east-1:000000000000:dataset-import-job/nope")));
        ResourceNotFoundException error = assertThrows(ResourceNotFoundException.class,
                () -> client.createDatasetImportJob(job("j", missing)));
        assertTrue(error.awsErrorDetails().errorMessage().contains(missing));
    }

    static Stream<Arguments> invalidImportJobRequests() {
        String dataset = DATASET_ARN;
        return Stream.of(
                Arguments.of("jobName missing", request(b -> b.jobName(null)),
                        "Value null at 'jobName' failed to satisfy constraint: Member must not be null"),
                Arguments.of("jobName pattern", request(b -> b.jobName("-starts-with-dash")),
                        "at 'jobName' failed to satisfy constraint: Member must satisfy regular expression pattern: "
                                + "^[a-zA-Z0-9][a-zA-Z0-9\\-_]*"),
                Arguments.of("jobName too long", request(b -> b.jobName("j".repeat(64))),
                        "at 'jobName' failed to satisfy constraint: Member must have length less than or equal to 63"),
                Arguments.of("datasetArn pattern", request(b -> b.datasetArn("dataset/shop")),
                        "Value 'dataset/shop' at 'datasetArn' failed to satisfy constraint: Member must satisfy "
                                + "regular expression pattern: arn:([a-z\\d-]+):personalize:.*:.*:.+"),
                Arguments.of("datasetArn too long", request(b -> b.datasetArn(dataset + "x".repeat(256))),
                        "at 'datasetArn' failed to satisfy constraint: Member must have length less than or equal to 256"),
                Arguments.of("dataSource missing", request(b -> b.dataSource((software.amazon.awssdk.services
                                .personalize.model.DataSource) null)),
                        "Value null at 'dataSource' failed to satisfy constraint: Member must not be null"),
                Arguments.of("dataLocation pattern", request(b -> b.dataSource(s -> s.dataLocation("ftp://x/y.csv"))),
                        "Value 'ftp://x/y.csv' at 'dataSource.dataLocation' failed to satisfy constraint: Member must "
                                + "satisfy regular expression pattern: (s3|http|https)://.+"),
                Arguments.of("roleArn missing", request(b -> b.roleArn(null)),
                        "Value null at 'roleArn' failed to satisfy constraint: Member must not be null"),
                Arguments.of("roleArn pattern", request(b -> b.roleArn("arn:aws:iam::123:role/short-account")),
                        "Value 'arn:aws:iam::123:role/short-account' at 'roleArn' failed to satisfy constraint: "
                                + "Member must satisfy regular expression pattern: "
                                + "arn:([a-z\\d-]+):iam::\\d{12}:role/?[a-zA-Z_0-9+=,.@\\-_/]+"),
                Arguments.of("importMode enum", request(b -> b.importMode("PARTIAL")),
                        "Value 'PARTIAL' at 'importMode' failed to satisfy constraint: Member must satisfy enum value "
                                + "set: [FULL, INCREMENTAL]"),
                Arguments.of("tag key too long", request(b -> b.tags(Tag.builder().tagKey("k".repeat(129))
                                .tagValue("v").build())),
                        "at 'tags.1.member.tagKey' failed to satisfy constraint: Member must have length less than or "
                                + "equal to 128"));
    }

    private static CreateDatasetImportJobRequest request(Consumer<CreateDatasetImportJobRequest.Builder> change) {
        CreateDatasetImportJobRequest.Builder builder = job("valid-name", DATASET_ARN).toBuilder();
        change.accept(builder);
        return builder.build();
    }

    private static CreateDatasetImportJobRequest job(String name, String datasetArn) {
        return CreateDatasetImportJobRequest.builder().jobName(name).datasetArn(datasetArn)
                .roleArn(EmulatorHarness.ROLE_ARN).dataSource(s -> s.dataLocation("s3://imports/data.csv")).build();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidImportJobRequests")
    void invalidCreateDatasetImportJob_shouldBeInvalidInputNamingTheMemberAndConstraint(
            String caseName, CreateDatasetImportJobRequest request, String expected) {
        // GIVEN an existing dataset, so only the request's own defect can fail it
        createInteractionsDataset();

        // WHEN the request is sent
        InvalidInputException error = assertThrows(InvalidInputException.class,
                () -> client.createDatasetImportJob(request));

        // THEN the message names the member and what the model expects
        assertTrue(error.awsErrorDetails().errorMessage().contains(expected), error.awsErrorDetails().errorMessage());
        assertEquals(400, error.statusCode());
    }

    @Test
    void severalInvalidMembers_shouldAllBeReportedAtOnce() {
        InvalidInputException error = assertThrows(InvalidInputException.class, () -> client.createDatasetImportJob(
                request(b -> b.jobName("bad name").roleArn(null))));

        assertTrue(error.awsErrorDetails().errorMessage().startsWith("2 validation errors detected: "),
                error.awsErrorDetails().errorMessage());
    }

    @Test
    void tooManyTags_shouldBeTooManyTagsException() {
        Tag[] tags = Stream.iterate(0, i -> i + 1).limit(201)
                .map(i -> Tag.builder().tagKey("k" + i).tagValue("v").build()).toArray(Tag[]::new);

        assertThrows(TooManyTagsException.class, () -> client.createDatasetGroup(b -> b.name("tagged").tags(tags)));
    }

    @Test
    void invalidDatasetType_shouldListTheAllowedTypes() {
        client.createDatasetGroup(b -> b.name("shop"));
        String schemaArn = client.createSchema(b -> b.name("s").schema(EmulatorHarness.USERS_SCHEMA)).schemaArn();

        InvalidInputException error = assertThrows(InvalidInputException.class, () -> client.createDataset(b -> b
                .name("d").datasetGroupArn(GROUP_ARN).schemaArn(schemaArn).datasetType("Purchases")));

        assertTrue(error.awsErrorDetails().errorMessage().contains("Interactions, Items, Users, Actions, "
                + "Action_Interactions"), error.awsErrorDetails().errorMessage());
    }

    @Test
    void schemaWithoutTheTypesRequiredFields_shouldBeIncompatible() {
        // GIVEN a users schema used for an interactions dataset
        client.createDatasetGroup(b -> b.name("shop"));
        String schemaArn = client.createSchema(b -> b.name("s").schema(EmulatorHarness.USERS_SCHEMA)).schemaArn();

        InvalidInputException error = assertThrows(InvalidInputException.class, () -> client.createDataset(b -> b
                .name("d").datasetGroupArn(GROUP_ARN).schemaArn(schemaArn).datasetType("INTERACTIONS")));

        assertTrue(error.awsErrorDetails().errorMessage().contains("ITEM_ID"), error.awsErrorDetails().errorMessage());
    }

    @Test
    void schemaThatIsNoAvroRecord_shouldBeInvalidInput() {
        InvalidInputException error = assertThrows(InvalidInputException.class, () -> client.createSchema(b -> b
                .name("bad").schema("{\"type\": \"record\", \"name\": \"x\", \"fields\": [{\"name\": \"A\", "
                        + "\"type\": \"bytes\"}]}")));

        assertTrue(error.awsErrorDetails().errorMessage().startsWith("Invalid Avro schema: field A has type"),
                error.awsErrorDetails().errorMessage());
    }

    @Test
    void signedForAnotherRegion_shouldGetArnsOfThatRegion() {
        // GIVEN a client signing for eu-west-1 (the region comes from the SigV4 credential scope)
        try (PersonalizeClient eu = SdkClients.personalize(emulator.endpoint(), Region.EU_WEST_1)) {
            // WHEN it creates a dataset group THEN the ARN is in eu-west-1, and us-east-1 does not see it
            String arn = eu.createDatasetGroup(b -> b.name("shop")).datasetGroupArn();
            assertEquals("arn:aws:personalize:eu-west-1:000000000000:dataset-group/shop", arn);
            assertThrows(ResourceNotFoundException.class, () -> client.describeDatasetGroup(b -> b
                    .datasetGroupArn(GROUP_ARN)));
        }
    }

    @Test
    void malformedJson_shouldBeSerializationException() throws Exception {
        HttpResponse<String> response = post("AmazonPersonalize.DescribeDataset", "{not json");

        assertEquals(400, response.statusCode());
        assertEquals("SerializationException", response.headers().firstValue("x-amzn-ErrorType").orElseThrow());
        assertTrue(response.body().contains("\"__type\":\"SerializationException\""), response.body());
    }

    @Test
    void unknownOperation_shouldBeUnknownOperationException() throws Exception {
        HttpResponse<String> response = post("AmazonPersonalize.CreateSolution", "{}");

        assertEquals(400, response.statusCode());
        assertTrue(response.body().contains("\"__type\":\"UnknownOperationException\""), response.body());
        assertEquals("application/x-amz-json-1.1", response.headers().firstValue("Content-Type").orElseThrow());
    }

    private HttpResponse<String> post(String target, String body) throws Exception {
        try (HttpClient http = HttpClient.newHttpClient()) {
            return http.send(HttpRequest.newBuilder(URI.create(emulator.endpoint() + "/"))
                            .header("X-Amz-Target", target)
                            .header("Content-Type", "application/x-amz-json-1.1")
                            .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.ofString());
        }
    }
}
