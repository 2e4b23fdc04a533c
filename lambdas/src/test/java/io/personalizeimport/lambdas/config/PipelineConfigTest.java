package io.personalizeimport.lambdas.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.personalizeimport.lambdas.errors.ConfigurationException;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PipelineConfigTest {

    private static final String ROUTES = "[{\"name\":\"users\",\"prefix\":\"users/\",\"datasetArn\":"
            + "\"arn:aws:personalize:us-east-1:123456789012:dataset/shop/USERS\","
            + "\"roleArn\":\"arn:aws:iam::123456789012:role/Import\"}]";

    private static Map<String, String> variables() {
        Map<String, String> variables = new HashMap<>();
        variables.put(PipelineConfig.DATA_BUCKET, "data-bucket");
        variables.put(RouteTable.VARIABLE, ROUTES);
        variables.put(PipelineConfig.EVENT_BUS_NAME, "default");
        return variables;
    }

    @Test
    void noMaxImportJobs_shouldRunTheRegionsFive() {
        assertEquals(5, PipelineConfig.from(new Environment(variables())).maxImportJobs());
    }

    @Test
    void aLowerMax_shouldBeKept() {
        Map<String, String> variables = variables();
        variables.put(PipelineConfig.MAX_IMPORT_JOBS, "3");

        assertEquals(3, PipelineConfig.from(new Environment(variables)).maxImportJobs());
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "6", "-1", "five", "2.5"})
    void aMaxOutsideOneToFive_shouldFailNamingTheVariableAndTheRange(String value) {
        Map<String, String> variables = variables();
        variables.put(PipelineConfig.MAX_IMPORT_JOBS, value);

        ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> PipelineConfig.from(new Environment(variables)));

        assertTrue(e.getMessage().contains("MAX_IMPORT_JOBS") && e.getMessage().contains("from 1 to 5"),
                e.getMessage());
    }
}
