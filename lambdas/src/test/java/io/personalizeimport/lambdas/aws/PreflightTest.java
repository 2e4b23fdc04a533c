package io.personalizeimport.lambdas.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.personalizeimport.lambdas.lane.ObjectHead;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.personalize.PersonalizeClient;
import software.amazon.awssdk.services.personalize.model.Dataset;
import software.amazon.awssdk.services.personalize.model.DatasetSchema;
import software.amazon.awssdk.services.personalize.model.DescribeDatasetRequest;
import software.amazon.awssdk.services.personalize.model.DescribeDatasetResponse;
import software.amazon.awssdk.services.personalize.model.DescribeSchemaRequest;
import software.amazon.awssdk.services.personalize.model.DescribeSchemaResponse;

/**
 * The preflight of a file whose first bytes were just read: a hand-written Personalize client answers the dataset's
 * schema, and no S3 call is made (no server needed).
 */
class PreflightTest {

    private static final String DATASET = "arn:aws:personalize:us-east-1:111122223333:dataset/shop/ITEMS";
    private static final String ITEMS_SCHEMA = """
            {"type":"record","name":"Items","namespace":"com.amazonaws.personalize.schema","fields":[
              {"name":"ITEM_ID","type":"string"},
              {"name":"CATEGORY","type":["null","string"],"categorical":true},
              {"name":"PRICE","type":["null","float"]},
              {"name":"CREATION_TIMESTAMP","type":"long"}],"version":"1.0"}""";

    /** Answers DescribeDataset and DescribeSchema for the one dataset, counting the schema reads. */
    private static final class SchemaOnlyPersonalize implements PersonalizeClient {

        int schemaReads;

        @Override
        public DescribeDatasetResponse describeDataset(DescribeDatasetRequest request) {
            return DescribeDatasetResponse.builder().dataset(Dataset.builder().datasetArn(request.datasetArn())
                    .schemaArn("arn:aws:personalize:us-east-1:111122223333:schema/items").build()).build();
        }

        @Override
        public DescribeSchemaResponse describeSchema(DescribeSchemaRequest request) {
            schemaReads++;
            return DescribeSchemaResponse.builder().schema(DatasetSchema.builder().schemaArn(request.schemaArn())
                    .schema(ITEMS_SCHEMA).build()).build();
        }

        @Override
        public String serviceName() {
            return "personalize";
        }

        @Override
        public void close() {
        }
    }

    private final SchemaOnlyPersonalize personalize = new SchemaOnlyPersonalize();
    // No S3 client: every check below hands the preflight the file's first bytes.
    private final Preflight preflight = new Preflight(null, personalize, Clock.systemUTC());

    private Optional<String> check(String key, String content, long size) {
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        ObjectHead head = new ObjectHead("shop-data", key, null, "etag", size, bytes);
        return preflight.check(DATASET, "s3://shop-data/" + key, head);
    }

    @Test
    void aPriceThatIsAWord_shouldBeRejectedWithItsRowColumnAndValue() {
        String csv = "ITEM_ID,CATEGORY,PRICE,CREATION_TIMESTAMP\ni1,books,12.50,1761000000\ni2,books,free,1761000000\n";

        assertEquals(Optional.of("Row 2 of s3://shop-data/items/a.csv, column PRICE: value 'free' is not a float"
                + " (a number such as 9.99 expected)"), check("items/a.csv", csv, csv.length()));
    }

    @Test
    void aBadHeader_shouldBeReportedBeforeAnyValue() {
        String csv = "ITEM_ID,PRICE\ni1,free\n";

        assertEquals(true, check("items/b.csv", csv, csv.length()).orElseThrow()
                .contains("is missing the following columns: [CREATION_TIMESTAMP]"));
    }

    @Test
    void valuesPastTheBytesRead_shouldBeLeftToTheJob() {
        // GIVEN the first bytes of a larger file, whose last row the read cut inside its PRICE
        StringBuilder read = new StringBuilder("ITEM_ID,CATEGORY,PRICE,CREATION_TIMESTAMP\n");
        while (read.length() < Preflight.HEAD_BYTES - 100) {
            read.append("i1,books,12.50,1761000000\n");
        }
        read.append("i2,books,fr");
        read.append("e".repeat(Preflight.HEAD_BYTES - read.length()));

        // THEN only the complete rows are judged, and they are good
        assertEquals(Preflight.HEAD_BYTES, read.length());
        assertEquals(Optional.empty(), check("items/c.csv", read.toString(), 10_000_000));
    }

    @Test
    void anEmptyFile_shouldBeRejectedAsEmpty() {
        assertEquals(Optional.of("Input CSV s3://shop-data/items/empty.csv is empty: a CSV needs a header row and at"
                + " least one record"), check("items/empty.csv", "", 0));
    }

    @Test
    void theSchema_shouldBeReadOncePerDataset() {
        String csv = "ITEM_ID,CREATION_TIMESTAMP\ni1,1761000000\n";

        check("items/d.csv", csv, csv.length());
        check("items/e.csv", csv, csv.length());

        assertEquals(1, personalize.schemaReads);
    }
}
