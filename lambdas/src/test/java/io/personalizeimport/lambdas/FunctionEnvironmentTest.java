package io.personalizeimport.lambdas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.personalizeimport.lambdas.config.Environment;
import io.personalizeimport.lambdas.config.PipelineConfig;
import io.personalizeimport.lambdas.domain.PollPolicy;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The functions' environment contract reads back as the configuration it was written from. */
class FunctionEnvironmentTest {

    private static final String ROUTES = "[{\"name\":\"users\",\"prefix\":\"users/\","
            + "\"datasetArn\":\"arn:aws:personalize:us-east-1:123456789012:dataset/g/USERS\"}]";
    private static final FunctionEnvironment ENVIRONMENT = new FunctionEnvironment("data-bucket", ROUTES,
            "arn:aws:iam::123456789012:role/Import", false,
            new PollPolicy(Duration.ofSeconds(20), Duration.ofSeconds(200), Duration.ofHours(6)), "import-ledger",
            "import-events", Priming.Targets.of("aws", "us-east-1", "123456789012"), 3);

    @Test
    void importFunctions_shouldReadBackTheBucketRoutesRoleAndPreflight() {
        for (FunctionSettings function : new FunctionSettings[] {FunctionSettings.TRIGGER, FunctionSettings.CREATE}) {
            PipelineConfig config = PipelineConfig.from(new Environment(ENVIRONMENT.variables(function)));

            assertEquals("data-bucket", config.dataBucket());
            assertEquals("users/", config.routes().routes().getFirst().prefix());
            assertEquals("arn:aws:iam::123456789012:role/Import", config.routes().routes().getFirst().roleArn());
            assertFalse(config.preflight());
            assertEquals(3, config.maxImportJobs());
        }
    }

    @Test
    void createAndDescribe_shouldReadBackThePollPolicy() {
        for (FunctionSettings function : new FunctionSettings[] {FunctionSettings.CREATE, FunctionSettings.DESCRIBE}) {
            assertEquals(ENVIRONMENT.pollPolicy(), PollPolicy.from(new Environment(ENVIRONMENT.variables(function))));
        }
    }

    @Test
    void eachFunction_shouldGetOnlyWhatItReads() {
        assertFalse(ENVIRONMENT.variables(FunctionSettings.TRIGGER).containsKey(PollPolicy.MONITOR_DEADLINE));
        assertFalse(ENVIRONMENT.variables(FunctionSettings.DESCRIBE).containsKey("ROUTES"));
        assertTrue(ENVIRONMENT.variables(FunctionSettings.CREATE).keySet().containsAll(
                ENVIRONMENT.variables(FunctionSettings.DESCRIBE).keySet()));
    }
}
