package io.personalizeimport.lambdas.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.personalizeimport.lambdas.config.ImportMode;
import io.personalizeimport.lambdas.json.Json;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ImportRequestTest {

    @Test
    void jobArn_shouldLiveInTheDatasetsPartitionRegionAndAccount() {
        // Service Authorization Reference, 'Actions, resources, and condition keys for Amazon Personalize':
        // arn:aws:personalize:<region>:<account>:dataset-import-job/<jobName>
        ImportRequest request = new ImportRequest("users-u-0123456789abcdef",
                "arn:aws-cn:personalize:cn-north-1:123456789012:dataset/group/USERS", "s3://b/users/u.csv",
                "arn:aws:iam::123456789012:role/r", ImportMode.FULL, Map.of(), null);

        assertEquals("arn:aws-cn:personalize:cn-north-1:123456789012:dataset-import-job/users-u-0123456789abcdef",
                request.jobArn());
    }

    @Test
    void json_shouldLeaveOutEmptyTagsAndUnsetFieldsAndReadBack() {
        ImportRequest request = new ImportRequest("j", "arn:aws:personalize:us-east-1:123456789012:dataset/g/USERS",
                "s3://b/k.csv", "arn:aws:iam::123456789012:role/r", ImportMode.INCREMENTAL, Map.of(), null);

        String json = Json.write(request);

        assertEquals("{\"jobName\":\"j\",\"datasetArn\":\"arn:aws:personalize:us-east-1:123456789012:dataset/g/USERS\","
                + "\"dataLocation\":\"s3://b/k.csv\",\"roleArn\":\"arn:aws:iam::123456789012:role/r\","
                + "\"importMode\":\"INCREMENTAL\"}", json);
        assertEquals(request, Json.read(json, ImportRequest.class));
    }

    @Test
    void unknownImportMode_shouldBeRefusedNamingTheModes() {
        var error = assertThrows(IllegalArgumentException.class,
                () -> Json.read("{\"jobName\":\"j\",\"importMode\":\"PARTIAL\"}", ImportRequest.class));

        assertEquals("ImportRequest field $.importMode is \"PARTIAL\": expected one of [FULL, INCREMENTAL]",
                error.getMessage());
    }
}
