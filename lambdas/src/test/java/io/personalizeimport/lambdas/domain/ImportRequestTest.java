package io.personalizeimport.lambdas.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.personalizeimport.lambdas.config.ImportMode;
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
}
