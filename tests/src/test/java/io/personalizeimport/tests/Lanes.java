package io.personalizeimport.tests;

import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.personalizeimport.lambdas.lane.FileStatus;
import io.personalizeimport.lambdas.lane.Lane;
import io.personalizeimport.lambdas.ledger.Ledger;
import io.personalizeimport.local.lambda.InvocationResult;
import io.personalizeimport.local.stack.LocalStack;
import java.time.Duration;
import java.time.Instant;

/** Delivering S3 events to the trigger on the local stack, and waiting for a dataset's lane to go quiet. */
final class Lanes {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private Lanes() {
    }

    /** Invokes the trigger with an S3 event, as S3 does; returns the trigger's summary of its records. */
    static JsonNode trigger(LocalStack stack, String event) throws Exception {
        InvocationResult result = stack.lambdaHost().invoke("trigger", event);
        assertFalse(result.isFunctionError(), () -> "trigger failed: " + result.payload());
        return MAPPER.readTree(result.payload());
    }

    /**
     * Waits until the dataset's lane is free and none of its files waits for it (part files of folders wait for their
     * marker, not for the lane): every import the test caused has ended.
     */
    static void awaitIdle(Ledger ledger, String datasetArn, Duration timeout) throws InterruptedException {
        Instant until = Instant.now().plus(timeout);
        while (Instant.now().isBefore(until)) {
            // Free before and after the files are read, at one version: no claim came between, so what the files
            // showed is the lane at rest (a release records what it leaves waiting before it frees the lane).
            Lane before = ledger.lane(datasetArn);
            boolean waiting = ledger.files(datasetArn, FileStatus.PENDING).stream()
                    .anyMatch(entry -> !entry.file().isPart())
                    || !ledger.files(datasetArn, FileStatus.IMPORTING).isEmpty();
            Lane after = ledger.lane(datasetArn);
            if (!before.isBusy() && !after.isBusy() && before.version() == after.version() && !waiting) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the lane of " + datasetArn + " is still busy after " + timeout + ": "
                + ledger.lane(datasetArn));
    }
}
